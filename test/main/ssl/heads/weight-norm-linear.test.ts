/**
 * DINO's weight-normalised last layer (g fixed to 1, `norm_last_layer`): the worked example, the
 * invariances that define it, its gradient by finite differences, and the DINO head built with it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../../src/main/compute/tf';
import { buildProjectionHead } from '../../../../src/main/ssl/heads/projection-head';
import { weightNormLinear } from '../../../../src/main/ssl/heads/weight-norm-linear';
import { createMethod } from '../../../../src/main/ssl/index';
import { CONTEXT, tinyConfig } from '../fixtures';
import {
  expectArrayClose,
  expectGradientMatchesFiniteDifferences,
  expectNoLeakedTensors,
} from '../tensor-assertions';

const X = [
  [0.3, -1.2, 0.8, 0.5],
  [1.1, 0.4, -0.7, 0.9],
  [-0.6, 0.2, 1.5, -0.3],
];
const V = [
  [0.5, -0.2, 0.9, 0.1, -0.4],
  [-0.3, 0.8, 0.2, 0.6, 0.7],
  [0.4, 0.1, -0.5, 0.9, 0.3],
  [0.9, -0.6, 0.3, -0.2, 0.5],
];

/** y[b][k] = (x_b / ‖x_b‖) · (v_k / ‖v_k‖) with plain numbers. */
function reference(x: number[][], v: number[][]): number[] {
  const norm = (a: number[]): number => Math.hypot(...a);
  const columns = v[0]!.map((_, k) => v.map((row) => row[k]!));
  return x.flatMap((row) =>
    columns.map((c) => row.reduce((s, xi, i) => s + xi * c[i]!, 0) / (norm(row) * norm(c))),
  );
}

describe('weightNormLinear (DINO last layer, g = 1)', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('matches the worked example and a hand-written reference', () => {
    const y = weightNormLinear(
      tf.tensor2d([[3, 4]]),
      tf.tensor2d([
        [1, 0],
        [0, 2],
      ]),
    );
    expectArrayClose(y.dataSync(), [0.6, 0.8]);
    const z = weightNormLinear(tf.tensor2d(X), tf.tensor2d(V));
    expect(z.shape).toEqual([3, 5]);
    expectArrayClose(z.dataSync(), reference(X, V), 1e-5);
  });

  it('has g fixed to 1: rescaling a column of v or a row of x changes nothing; outputs are cosines', () => {
    const scaled = V.map((row) => row.map((x, k) => x * (k + 1) * 3));
    const a = weightNormLinear(tf.tensor2d(X), tf.tensor2d(V)).dataSync();
    const b = weightNormLinear(
      tf.tensor2d(X.map((r) => r.map((x) => 7 * x))),
      tf.tensor2d(scaled),
    ).dataSync();
    expectArrayClose(b, a, 1e-5);
    expect(Math.max(...Array.from(a, Math.abs))).toBeLessThanOrEqual(1 + 1e-6);
  });

  it('gradients with respect to x and v match finite differences', () => {
    const weights = tf.tensor2d([
      [0.7, -1.1, 0.4, 0.9, -0.2],
      [-0.5, 0.3, 1.2, -0.8, 0.6],
      [0.2, 0.9, -0.4, 0.5, 1.0],
    ]);
    const loss = (x: tf.Tensor, v: tf.Tensor): tf.Scalar =>
      tf.sum(tf.mul(weightNormLinear(x as tf.Tensor2D, v as tf.Tensor2D), weights));
    const inputs = [tf.tensor2d(X), tf.tensor2d(V)];
    expectGradientMatchesFiniteDifferences(loss, inputs, 0, 1e-2, 2e-2);
    expectGradientMatchesFiniteDifferences(loss, inputs, 1, 1e-2, 2e-2);
    // With g fixed, only directions learn: ∂L/∂v_k is orthogonal to v_k for every output k.
    const dv = tf.grads((x: tf.Tensor, v: tf.Tensor) => loss(x, v))(inputs)[1]!;
    const dots = tf.sum(tf.mul(dv, inputs[1]!), 0).dataSync();
    expect(Math.max(...Array.from(dots, Math.abs))).toBeLessThan(1e-5);
    expect(tf.norm(dv).dataSync()[0]).toBeGreaterThan(1e-3);
    tf.dispose([weights, dv, ...inputs]);
  });

  it('refuses mismatched shapes and leaks nothing', () => {
    expect(() =>
      weightNormLinear(tf.zeros([2, 3]) as tf.Tensor2D, tf.zeros([4, 5]) as tf.Tensor2D),
    ).toThrow(/share D/);
    const x = tf.tensor2d(X);
    const v = tf.tensor2d(V);
    expectNoLeakedTensors(() => tf.dispose(weightNormLinear(x, v)));
    tf.dispose([x, v]);
  });
});

describe('the DINO head', () => {
  it('ends in the weight-normalised layer: [B, F] → blocks → normalize → [B, K]', () => {
    const head = buildProjectionHead({
      inputDim: 6,
      blocks: [{ units: 4, batchNorm: false, activation: 'linear', bias: true }],
      seed: 3,
      batchNormMomentum: 0.9,
      name: 'head',
      normalizedLastLayer: 5,
    });
    const names = head.trainableWeights.map((w) => `${w.originalName} [${w.shape.join(', ')}]`);
    expect(names).toEqual([
      'head_dense1/kernel [6, 4]',
      'head_dense1/bias [4]',
      'head_last/kernel_v [4, 5]',
    ]);
    const input = tf.randomNormal([3, 6], 0, 1, 'float32', 1) as tf.Tensor2D;
    const out = head.apply(input) as tf.Tensor2D;
    // The same as the blocks alone followed by weightNormLinear with the layer's v.
    const [kernel, bias, v] = head.trainableWeights.map((w) => w.read());
    const expected = weightNormLinear(
      tf.add(tf.matMul(input, kernel as tf.Tensor2D), bias!) as tf.Tensor2D,
      v as tf.Tensor2D,
    );
    expect(out.shape).toEqual([3, 5]);
    expectArrayClose(out.dataSync(), expected.dataSync(), 1e-5);
    tf.dispose([input, out, expected]);
    head.dispose();
  });

  it('dino: K = outputDim for student, teacher and centre, the layer trained, its state saved', async () => {
    const method = createMethod('dino', tinyConfig('dino', { outputDim: 24 }), CONTEXT);
    const state = await method.getState();
    for (const role of ['student', 'teacher'])
      expect(state[`${role}/head/head_last/kernel_v`]?.shape).toEqual([16, 24]);
    expect(state['center']?.shape).toEqual([24]);
    const trained = method.trainableVariables().map((v) => v.shape.join('×'));
    expect(trained).toContain('16×24');
    method.dispose();
  });
});
