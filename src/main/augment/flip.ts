/**
 * Horizontal and vertical flips with per-image coin flips. Exact (a flip only moves values), so
 * flipping twice with the same parameters is the identity. [N, H, W, C] → same shape.
 */
import { tf } from '../engine/tf';
import type { HorizontalFlipSpec, VerticalFlipSpec } from '../../shared/schemas/augment';
import type { AugmentOp, OpParams } from './op';
import { selectPerImage } from './per-image';

export const horizontalFlip: AugmentOp<HorizontalFlipSpec> = {
  name: 'horizontal-flip',
  sample: (rng, spec) => ({ applied: rng.chance(spec.p) }),
  apply: (images, params: readonly OpParams[]) =>
    selectPerImage(params.map((q) => q.applied), () => tf.reverse(images, 2), images),
};

export const verticalFlip: AugmentOp<VerticalFlipSpec> = {
  name: 'vertical-flip',
  sample: (rng, spec) => ({ applied: rng.chance(spec.p) }),
  apply: (images, params: readonly OpParams[]) =>
    selectPerImage(params.map((q) => q.applied), () => tf.reverse(images, 1), images),
};
