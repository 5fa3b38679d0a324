/**
 * Random rotation about the image centre, counter-clockwise degrees drawn uniformly from `degrees`
 * (`continuous`) or as k·90° inside that range (`right-angles`, exact pixel moves on square images).
 * One `tf.image.transform` for the batch. [N, H, W, C] → same shape, corners filled per `fill`.
 */
import type { RotationSpec } from '../../shared/schemas/augment';
import type { AugmentOp, OpParams } from './op';
import { applyAffine } from './affine';

export interface RotationParams extends OpParams {
  degrees: number;
}

export const rotation: AugmentOp<RotationSpec, RotationParams> = {
  name: 'rotation',
  sample(rng, spec) {
    const applied = rng.chance(spec.p);
    let degrees: number;
    if (spec.mode === 'right-angles') {
      const lo = Math.ceil(spec.degrees[0] / 90);
      const hi = Math.floor(spec.degrees[1] / 90);
      degrees = hi >= lo ? 90 * rng.int(lo, hi + 1) : 0;
    } else {
      degrees = rng.uniform(spec.degrees[0], spec.degrees[1]);
    }
    return { applied, degrees: applied ? degrees : 0 };
  },
  apply: (images, params, spec, { input }) =>
    applyAffine(
      images,
      params.map((q) => ({
        applied: q.applied,
        degrees: q.degrees,
        translate: [0, 0],
        scale: 1,
        shear: 0,
      })),
      spec,
      input,
    ),
};
