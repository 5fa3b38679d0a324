/** Test helpers in the spirit of tfjs-layers' test_utils: closeness, leaks, finite differences. */
import { expect } from 'vitest';
import { tf } from '../../../src/main/compute/tf';

export function expectArrayClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance = 1e-5,
): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] ?? NaN;
    const e = expected[i] ?? NaN;
    if (!(Math.abs(a - e) <= tolerance * Math.max(1, Math.abs(e)))) {
      throw new Error(`element ${i}: ${a} differs from ${e} by more than ${tolerance}`);
    }
  }
}

/** Runs `fn` (after one warm-up call) and fails when it leaves tensors behind. */
export function expectNoLeakedTensors(fn: () => void): void {
  fn();
  const before = tf.memory().numTensors;
  fn();
  fn();
  expect(tf.memory().numTensors).toBe(before);
}

/**
 * Checks d loss / d inputs[which] against central differences, element by element.
 * `loss` receives fresh tensors and must return a scalar; inputs are plain nested arrays.
 */
export function expectGradientMatchesFiniteDifferences(
  loss: (...xs: tf.Tensor[]) => tf.Scalar,
  inputs: tf.Tensor[],
  which: number,
  step = 1e-2,
  tolerance = 2e-2,
): void {
  const analytic = tf.tidy(() => {
    const grads = tf.grads((...xs: tf.Tensor[]) => loss(...xs))(inputs);
    return grads[which]!.dataSync().slice();
  });
  const base = inputs[which]!.dataSync();
  const evalAt = (values: Float32Array): number =>
    tf.tidy(() => {
      const xs = inputs.map((t, i) => (i === which ? tf.tensor(values, t.shape) : t));
      return loss(...xs).dataSync()[0] ?? NaN;
    });
  let checked = 0;
  for (let i = 0; i < base.length; i++) {
    const plus = Float32Array.from(base);
    const minus = Float32Array.from(base);
    plus[i] = (plus[i] ?? 0) + step;
    minus[i] = (minus[i] ?? 0) - step;
    const numeric = (evalAt(plus) - evalAt(minus)) / (2 * step);
    const a = analytic[i] ?? NaN;
    if (!(Math.abs(a - numeric) <= tolerance * Math.max(1, Math.abs(numeric)))) {
      throw new Error(`d/dx[${which}][${i}]: analytic ${a} vs finite difference ${numeric}`);
    }
    checked++;
  }
  expect(checked).toBe(base.length);
}
