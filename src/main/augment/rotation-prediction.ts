/**
 * RotNet pretext task (Gidaris, Singh & Komodakis 2018, arXiv:1803.07728): rotate by k·90°
 * counter-clockwise and predict k. Rotations are exact (transpose + reverse), so square images only.
 * - `all`: every image in all four rotations, [N, S, S, C] → [4N, S, S, C], block k = rotation k,
 *   labels [0…0, 1…1, 2…2, 3…3] (the paper's setting);
 * - `random`: one k per image from its stream, [N, S, S, C] → [N, S, S, C].
 */
import { tf } from '../compute/tf';
import type { Rng } from '../random/index';

/** k quarter turns counter-clockwise; [N, S, S, C] → same. */
export function rotate90(images: tf.Tensor4D, k: number): tf.Tensor4D {
  return tf.tidy(() => {
    const turns = ((k % 4) + 4) % 4;
    if (turns === 0) return images.clone();
    if (turns === 2) return tf.reverse(images, [1, 2]);
    const transposed = tf.transpose(images, [0, 2, 1, 3]);
    return tf.reverse(transposed, turns === 1 ? 1 : 2);
  });
}

export interface RotationPrediction {
  images: tf.Tensor4D;
  labels: Int32Array;
}

export function rotationPrediction(
  images: tf.Tensor4D,
  mode: 'all' | 'random',
  rngs: readonly Rng[],
): RotationPrediction {
  const [n, h, w] = images.shape;
  if (h !== w) throw new Error(`rotation prediction needs square images (got ${h}×${w})`);
  if (mode === 'all') {
    const images4 = tf.tidy(() =>
      tf.concat(
        [0, 1, 2, 3].map((k) => rotate90(images, k)),
        0,
      ),
    );
    return {
      images: images4,
      labels: Int32Array.from({ length: 4 * n }, (_, i) => Math.floor(i / n)),
    };
  }
  const labels = Int32Array.from(rngs, (rng) => rng.int(0, 4));
  const rotated = tf.tidy(() => {
    const all = tf.concat(
      [0, 1, 2, 3].map((k) => rotate90(images, k)),
      0,
    );
    return tf.gather(
      all,
      tf.tensor1d(
        Array.from(labels, (k, i) => k * n + i),
        'int32',
      ),
    ) as tf.Tensor4D;
  });
  return { images: rotated, labels };
}
