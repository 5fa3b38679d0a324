/**
 * Broadcasting per-image values over a batch [N, H, W, C]: the building blocks that let one batched
 * kernel apply different random parameters to every image. Call inside `tf.tidy`.
 */
import { tf } from '../compute/tf';

/** Per-image scalars as a [N, 1, 1, 1] float32 tensor. */
export function perImageScalar(values: readonly number[]): tf.Tensor4D {
  return tf.tensor4d(Float32Array.from(values), [values.length, 1, 1, 1]);
}

/**
 * `changed()` (computed only when some flag is set) where the image's flag is set, `original`
 * elsewhere. Written as changed·m + original·(1 − m) with m ∈ {0, 1}: bit-exact for finite values
 * (v·1 + w·0 = v), so an op that was not applied leaves the image untouched — and on wasm about
 * 20× faster than a broadcasting `tf.where`, which materialises the mask at full size.
 */
export function selectPerImage(
  flags: readonly boolean[],
  changed: () => tf.Tensor4D,
  original: tf.Tensor4D,
): tf.Tensor4D {
  if (!flags.some(Boolean)) return original;
  if (flags.every(Boolean)) return changed();
  const m = perImageScalar(flags.map(Number));
  return tf.add(tf.mul(changed(), m), tf.mul(original, tf.sub(1, m)));
}
