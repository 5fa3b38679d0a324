/**
 * Random grayscale (SimCLR, p = 0.2): RGB → ITU-R 601 luma L = 0.2989 R + 0.587 G + 0.114 B, copied
 * to every channel so the shape stays [N, H, W, 3]. One-channel images are already gray: identity.
 */
import { tf } from '../engine/tf';
import type { GrayscaleSpec } from '../../shared/schemas/augment';
import type { AugmentOp, OpParams } from './op';
import { selectPerImage } from './per-image';

const LUMA = [0.2989, 0.587, 0.114];

/** Luma of an RGB batch: [N, H, W, 3] → [N, H, W, 1]; a 1-channel batch is returned as is. */
export function luminance(images: tf.Tensor4D): tf.Tensor4D {
  if (images.shape[3] === 1) return images;
  return tf.sum(tf.mul(images, tf.tensor1d(LUMA)), 3, true) as tf.Tensor4D;
}

export const grayscale: AugmentOp<GrayscaleSpec> = {
  name: 'grayscale',
  sample: (rng, spec) => ({ applied: rng.chance(spec.p) }),
  apply(images, params: readonly OpParams[]) {
    const channels = images.shape[3];
    if (channels === 1) return images;
    return selectPerImage(params.map((q) => q.applied), () => tf.tile(luminance(images), [1, 1, 1, channels]), images);
  },
};
