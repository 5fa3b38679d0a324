/**
 * Random grayscale (SimCLR, p = 0.2): RGB → ITU-R 601 luma L = 0.2989 R + 0.587 G + 0.114 B, copied
 * to every channel so the shape stays [N, H, W, 3]. One-channel images are already gray: identity.
 * Both are a matrix product over the channel axis (fast on every backend, unlike slicing channels).
 */
import { tf } from '../compute/tf';
import type { GrayscaleSpec } from '../../shared/schemas/augment';
import type { AugmentOp, OpParams } from './op';
import { selectPerImage } from './per-image';

export const LUMA = [0.2989, 0.587, 0.114] as const;

/** Pixels × (3 × k) matrix: [N, H, W, 3] → [N, H, W, k]. */
function channelProduct(images: tf.Tensor4D, matrix: number[][]): tf.Tensor4D {
  const [n, h, w] = images.shape;
  const k = matrix[0]?.length ?? 0;
  return tf.reshape(tf.matMul(tf.reshape(images, [-1, 3]), tf.tensor2d(matrix)), [n, h, w, k]);
}

/** Luma of an RGB batch: [N, H, W, 3] → [N, H, W, 1]; a 1-channel batch is returned as is. */
export function luminance(images: tf.Tensor4D): tf.Tensor4D {
  if (images.shape[3] === 1) return images;
  return channelProduct(
    images,
    LUMA.map((v) => [v]),
  );
}

export const grayscale: AugmentOp<GrayscaleSpec> = {
  name: 'grayscale',
  sample: (rng, spec) => ({ applied: rng.chance(spec.p) }),
  apply(images, params: readonly OpParams[]) {
    if (images.shape[3] === 1) return images;
    return selectPerImage(
      params.map((q) => q.applied),
      () =>
        channelProduct(
          images,
          LUMA.map((v) => [v, v, v]),
        ),
      images,
    );
  },
};
