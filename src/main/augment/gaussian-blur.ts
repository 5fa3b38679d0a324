/**
 * Gaussian blur with a per-image σ (SimCLR: p = 0.5, σ ∈ [0.1, 2.0] at 224 px).
 *
 * Batched as two depthwise convolutions (vertical then horizontal): the batch is folded into the
 * channel axis, [N, H, W, C] → [1, H, W, N·C], so each image's channels carry that image's 1-D
 * kernel. Edges are reflect-padded (as torchvision). The kernel radius depends on the spec and the
 * image size only — never on the batch — so an image is blurred identically in any batch.
 * [N, H, W, C] → same shape; values stay in [0, 1] (a normalised kernel is a convex combination).
 */
import { tf } from '../compute/tf';
import type { GaussianBlurSpec } from '../../shared/schemas/augment';
import type { AugmentOp, ImageShape, OpParams } from './op';
import { selectPerImage } from './per-image';

export interface BlurParams extends OpParams {
  /** Standard deviation in pixels of the image the op sees. */
  sigma: number;
}

function sigmaScale(spec: GaussianBlurSpec, shape: ImageShape): number {
  return spec.referenceSize ? Math.min(shape.height, shape.width) / spec.referenceSize : 1;
}

/** Kernel radius in pixels: from kernelSize or 3σ_hi, capped so reflect padding stays valid. */
export function blurRadius(spec: GaussianBlurSpec, shape: ImageShape): number {
  const wanted = spec.kernelSize
    ? (spec.kernelSize - 1) / 2
    : Math.ceil(3 * spec.sigma[1] * sigmaScale(spec, shape));
  return Math.max(1, Math.min(wanted, shape.height - 1, shape.width - 1));
}

/** Normalised 1-D Gaussian taps, length 2r + 1. */
export function gaussianKernel(sigma: number, radius: number): Float32Array {
  const taps = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const v = Math.exp(-(i * i) / (2 * sigma * sigma));
    taps[i + radius] = v;
    sum += v;
  }
  return Float32Array.from(taps, (v) => v / sum);
}

export const gaussianBlur: AugmentOp<GaussianBlurSpec, BlurParams> = {
  name: 'gaussian-blur',
  sample(rng, spec, { input }) {
    const applied = rng.chance(spec.p);
    const sigma = rng.uniform(spec.sigma[0], spec.sigma[1]) * sigmaScale(spec, input);
    return { applied, sigma: applied ? sigma : 0 };
  },
  apply(images, params, spec, { input }) {
    return selectPerImage(
      params.map((q) => q.applied),
      () => {
        const [n, h, w, c] = images.shape;
        const r = blurRadius(spec, input);
        const k = 2 * r + 1;
        // filter[t, ch] = kernel of image ⌊ch / C⌋ at tap t (identity kernel for unblurred images).
        const filter = new Float32Array(k * n * c);
        params.forEach((q, i) => {
          const taps = q.applied
            ? gaussianKernel(q.sigma, r)
            : Float32Array.from({ length: k }, (_, t) => (t === r ? 1 : 0));
          for (let t = 0; t < k; t++)
            for (let ch = 0; ch < c; ch++) filter[t * n * c + i * c + ch] = taps[t] ?? 0;
        });
        const folded = tf.reshape(tf.transpose(images, [1, 2, 0, 3]), [
          1,
          h,
          w,
          n * c,
        ]) as tf.Tensor4D;
        const padded = tf.mirrorPad(
          folded,
          [
            [0, 0],
            [r, r],
            [r, r],
            [0, 0],
          ],
          'reflect',
        );
        const vertical = tf.tensor4d(filter, [k, 1, n * c, 1]);
        const horizontal = tf.tensor4d(filter, [1, k, n * c, 1]);
        const blurred = tf.depthwiseConv2d(
          tf.depthwiseConv2d(padded, vertical, 1, 'valid'),
          horizontal,
          1,
          'valid',
        );
        const unfolded = tf.transpose(
          tf.reshape(blurred, [h, w, n, c]),
          [2, 0, 1, 3],
        ) as tf.Tensor4D;
        return tf.clipByValue(unfolded, 0, 1);
      },
      images,
    );
  },
};
