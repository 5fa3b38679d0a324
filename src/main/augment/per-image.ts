/**
 * Broadcasting per-image values over a batch [N, H, W, C]: the building blocks that let one batched
 * kernel apply different random parameters to every image. Call inside `tf.tidy`.
 */
import { tf } from '../engine/tf';

/** Per-image scalars as a [N, 1, 1, 1] float32 tensor. */
export function perImageScalar(values: readonly number[]): tf.Tensor4D {
  return tf.tensor4d(Float32Array.from(values), [values.length, 1, 1, 1]);
}

/** Per-image flags as a [N, 1, 1, 1] bool tensor. */
export function perImageMask(flags: readonly boolean[]): tf.Tensor4D {
  return tf.tensor4d(Uint8Array.from(flags, Number), [flags.length, 1, 1, 1], 'bool');
}

/**
 * `changed()` (computed only when some flag is set) where the image's flag is set, `original` elsewhere — bit-exact on both sides, so an op
 * that was not applied leaves the image untouched (a blend x + m·(f − x) would round).
 */
export function selectPerImage(flags: readonly boolean[], changed: () => tf.Tensor4D, original: tf.Tensor4D): tf.Tensor4D {
  if (!flags.some(Boolean)) return original;
  if (flags.every(Boolean)) return changed();
  return tf.where(perImageMask(flags), changed(), original);
}
