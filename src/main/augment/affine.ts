/**
 * Random affine transform (torchvision RandomAffine semantics): rotation, translation, isotropic
 * scale and x-shear about the image centre, sampled per image and applied with ONE
 * `tf.image.transform` carrying N projective rows. [N, H, W, C] → same shape; pixels mapped from
 * outside the image get `fill` (constant `fillValue`, reflect, nearest or wrap).
 */
import { tf } from '../compute/tf';
import type { AffineSpec } from '../../shared/schemas/augment';
import type { AugmentOp, ImageShape, OpParams } from './op';
import { selectPerImage } from './per-image';

export interface AffineParams extends OpParams {
  /** Counter-clockwise rotation, degrees. */
  degrees: number;
  /** Translation in pixels [dx, dy]. */
  translate: number[];
  scale: number;
  /** x-shear, degrees. */
  shear: number;
}

const RAD = Math.PI / 180;

/** cos/sin that are exact at multiples of 90° (so right-angle rotations move pixels exactly). */
function cosSin(degrees: number): [number, number] {
  const quarter = degrees / 90;
  if (Number.isInteger(quarter)) {
    const k = ((quarter % 4) + 4) % 4;
    return (
      [
        [1, 0],
        [0, 1],
        [-1, 0],
        [0, -1],
      ] as const
    )[k] as [number, number];
  }
  return [Math.cos(degrees * RAD), Math.sin(degrees * RAD)];
}

/**
 * The `tf.image.transform` row [a0, a1, a2, b0, b1, b2, 0, 0] mapping an OUTPUT pixel (x, y) to the
 * INPUT pixel it samples, i.e. the inverse of the forward map
 * p ↦ c + t + R(θ)·Shear(φ)·(s·(p − c)) with c the centre ((W−1)/2, (H−1)/2). y points down, so a
 * counter-clockwise rotation on screen is R(−θ) in (x, y) pixel coordinates.
 */
export function inverseAffineRow(
  q: Pick<AffineParams, 'degrees' | 'translate' | 'scale' | 'shear'>,
  shape: ImageShape,
): number[] {
  const [cos, sin] = cosSin(q.degrees);
  const shear = Math.tan(q.shear * RAD);
  // Forward linear part M = R(−θ) · [[1, shear], [0, 1]] · s, in (x, y).
  const m00 = cos * q.scale;
  const m01 = (cos * shear + sin) * q.scale;
  const m10 = -sin * q.scale;
  const m11 = (-sin * shear + cos) * q.scale;
  const det = m00 * m11 - m01 * m10;
  const [i00, i01, i10, i11] = [m11 / det, -m01 / det, -m10 / det, m00 / det];
  const cx = (shape.width - 1) / 2;
  const cy = (shape.height - 1) / 2;
  const ox = cx + (q.translate[0] ?? 0);
  const oy = cy + (q.translate[1] ?? 0);
  // input = c + M⁻¹·(out − c − t)
  return [i00, i01, cx - i00 * ox - i01 * oy, i10, i11, cy - i10 * ox - i11 * oy, 0, 0];
}

/**
 * One `tf.image.transform` over the batch. tfjs-backend-cpu 4.22's Transform kernel returns inside
 * its batch loop, so only image 0 is transformed (the rest keep the fill value); on cpu we therefore
 * transform image by image. Remove once the cpu kernel is patched in compute/kernels.
 */
function transformBatch(
  images: tf.Tensor4D,
  rows: number[][],
  fill: { fill: AffineSpec['fill']; fillValue: number },
): tf.Tensor4D {
  const run = (x: tf.Tensor4D, r: number[][]) =>
    tf.image.transform(
      x,
      tf.tensor2d(r.flat(), [r.length, 8]),
      'bilinear',
      fill.fill,
      fill.fillValue,
    ) as tf.Tensor4D;
  if (tf.getBackend() !== 'cpu' || rows.length === 1) return run(images, rows);
  const singles = tf.split(images, rows.length, 0) as tf.Tensor4D[];
  return tf.concat(
    singles.map((x, i) => run(x, [rows[i] ?? []])),
    0,
  );
}

/** Apply per-image affine params; images whose `applied` is false are returned untouched. */
export function applyAffine(
  images: tf.Tensor4D,
  params: readonly AffineParams[],
  fill: { fill: AffineSpec['fill']; fillValue: number },
  shape: ImageShape,
): tf.Tensor4D {
  return selectPerImage(
    params.map((q) => q.applied),
    () => {
      const rows = params.map((q) => inverseAffineRow(q, shape));
      return transformBatch(images, rows, fill);
    },
    images,
  );
}

export const affine: AugmentOp<AffineSpec, AffineParams> = {
  name: 'affine',
  sample(rng, spec, { input }) {
    const applied = rng.chance(spec.p);
    const degrees = rng.uniform(spec.degrees[0], spec.degrees[1]);
    const maxDx = spec.translate[0] * input.width;
    const maxDy = spec.translate[1] * input.height;
    const translate = [rng.uniform(-maxDx, maxDx), rng.uniform(-maxDy, maxDy)];
    const scale = rng.uniform(spec.scale[0], spec.scale[1]);
    const shear = rng.uniform(spec.shear[0], spec.shear[1]);
    return applied
      ? { applied, degrees, translate, scale, shear }
      : { applied, degrees: 0, translate: [0, 0], scale: 1, shear: 0 };
  },
  apply: (images, params, spec, { input }) => applyAffine(images, params, spec, input),
};
