/**
 * Solarize (BYOL, Grill et al. 2020, arXiv:2006.07733): pixels x ≥ threshold become 1 − x, per image
 * with probability p. Values stay in [0, 1]. [N, H, W, C] → same shape.
 */
import { tf } from '../compute/tf';
import type { SolarizeSpec } from '../../shared/schemas/augment';
import type { AugmentOp, OpParams } from './op';
import { selectPerImage } from './per-image';

/** x ≥ threshold ? 1 − x : x, on every image. */
export function solarizeAll(images: tf.Tensor4D, threshold: number): tf.Tensor4D {
  return tf.where(tf.greaterEqual(images, threshold), tf.sub(1, images), images) as tf.Tensor4D;
}

export const solarize: AugmentOp<SolarizeSpec> = {
  name: 'solarize',
  sample: (rng, spec) => ({ applied: rng.chance(spec.p) }),
  apply: (images, params: readonly OpParams[], spec) =>
    selectPerImage(
      params.map((q) => q.applied),
      () => solarizeAll(images, spec.threshold),
      images,
    ),
};
