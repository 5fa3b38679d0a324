/** Small seeded image batches and tensor assertions shared by the augmentation tests. */
import { expect } from 'vitest';
import { tf } from '../../../src/main/compute/tf';
import { createRng } from '../../../src/main/random/index';

/** [n, h, w, c] float32 in [0, 1] from a seeded stream, with some structure (gradients) and noise. */
export function randomImages(n: number, h: number, w: number, c: number, seed = 1): tf.Tensor4D {
  const rng = createRng(seed);
  const data = new Float32Array(n * h * w * c);
  for (let i = 0; i < data.length; i++) {
    const x = (i / c) % w;
    data[i] = Math.min(1, Math.max(0, 0.5 * (x / w) + 0.5 * rng.next()));
  }
  return tf.tensor4d(data, [n, h, w, c]);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return max;
}

/** Run `fn` and assert it left no tensor behind (after disposing what it returned through `dispose`). */
export function expectNoLeak(fn: () => tf.Tensor | tf.Tensor[] | void): void {
  const before = tf.memory().numTensors;
  const out = fn();
  if (out) tf.dispose(out);
  expect(tf.memory().numTensors).toBe(before);
}
