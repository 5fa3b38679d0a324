/**
 * Horizontal and vertical flips with per-image coin flips, as ONE `cropAndResize` whose boxes are
 * reversed for the flipped images ([0, 1, 1, 0] mirrors columns, [1, 0, 0, 1] rows). The samples fall
 * exactly on pixel centres, so a flip only moves values and flipping twice with the same parameters
 * is the identity. [N, H, W, C] → same shape.
 */
import { tf } from '../compute/tf';
import type { HorizontalFlipSpec, VerticalFlipSpec } from '../../shared/schemas/augment';
import type { AugmentOp, OpParams } from './op';

function flipBatch(
  images: tf.Tensor4D,
  params: readonly OpParams[],
  flipped: number[],
): tf.Tensor4D {
  if (!params.some((q) => q.applied)) return images;
  const [n, h, w] = images.shape;
  const boxes = params.flatMap((q) => (q.applied ? flipped : [0, 0, 1, 1]));
  return tf.image.cropAndResize(
    images,
    tf.tensor2d(boxes, [n, 4]),
    tf.range(0, n, 1, 'int32') as tf.Tensor1D,
    [h, w],
    'bilinear',
  );
}

export const horizontalFlip: AugmentOp<HorizontalFlipSpec> = {
  name: 'horizontal-flip',
  sample: (rng, spec) => ({ applied: rng.chance(spec.p) }),
  apply: (images, params: readonly OpParams[]) => flipBatch(images, params, [0, 1, 1, 0]),
};

export const verticalFlip: AugmentOp<VerticalFlipSpec> = {
  name: 'vertical-flip',
  sample: (rng, spec) => ({ applied: rng.chance(spec.p) }),
  apply: (images, params: readonly OpParams[]) => flipBatch(images, params, [1, 0, 0, 1]),
};
