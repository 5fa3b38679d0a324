/**
 * The contract every augmentation op implements.
 *
 * An op is split in two so that randomness never touches the device:
 * - `sample` draws the parameters of ONE image from that image's seeded stream (plain JSON, shown in
 *   previews as "crop scale 0.31, brightness ×1.2");
 * - `apply` transforms a whole batch [N, H, W, C] float32 at once with those per-image parameters.
 * `apply` is called inside `tf.tidy` by the pipeline; it must not keep references to its input.
 */
import type { tf } from '../compute/tf';
import type { OpSpec } from '../../shared/schemas/augment';
import type { Rng } from '../random/index';

/** Height/width in pixels and channel count (1 or 3) of the images an op receives. */
export interface ImageShape {
  height: number;
  width: number;
  channels: number;
}

/** Sampled parameters of one image; `applied` is the outcome of the op's probability `p`. */
export interface OpParams {
  applied: boolean;
  [key: string]: number | boolean | number[] | string;
}

/** `input` is what the op receives; `output` the view size a geometric op resizes to. */
export interface OpContext {
  input: ImageShape;
  output: { height: number; width: number };
  /** Dataset statistics for `normalize` without its own mean/std. */
  stats?: { mean: readonly number[]; std: readonly number[] };
}

export interface AugmentOp<S extends OpSpec = OpSpec, P extends OpParams = OpParams> {
  readonly name: S['op'];
  /** Whether the op changes H×W to `context.output` (only the crop does). */
  readonly resizes?: boolean;
  sample(rng: Rng, spec: S, context: OpContext): P;
  apply(images: tf.Tensor4D, params: readonly P[], spec: S, context: OpContext): tf.Tensor4D;
}
