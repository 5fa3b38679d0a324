import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../../src/main/compute/tf';
import {
  batchNormalization,
  batchNormInTraining,
} from '../../../../src/main/ssl/encoders/batch-norm';
import { expectArrayClose, expectGradientMatchesFiniteDifferences } from '../tensor-assertions';

const EPSILON = 1e-5;

/** The formulation tfjs-layers trains with: moments + batchNorm, differentiated op by op. */
function referenceBatchNorm(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
): { y: tf.Tensor; mean: tf.Tensor; variance: tf.Tensor } {
  const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
  const { mean, variance } = tf.moments(x, axes);
  return { y: tf.batchNorm(x, mean, variance, beta, gamma, EPSILON), mean, variance };
}

interface Case {
  shape: number[];
  /** Offset and spread of x: BatchNorm must cope with activations far from N(0, 1). */
  offset: number;
  spread: number;
}

const cases: Case[] = [
  { shape: [8, 5, 5, 3], offset: 0, spread: 1 },
  { shape: [16, 8, 8, 4], offset: 3, spread: 2 }, // R = 1024 rows: two pooling rounds on wasm
  { shape: [6, 12], offset: -1, spread: 0.5 }, // projection head: [B, units]
  { shape: [7, 1, 1, 5], offset: 0, spread: 1 }, // prime row count: one pooling round
  { shape: [3, 2], offset: 0, spread: 1 }, // fewer rows than the pooling path needs
];

type Run = {
  y: number[];
  mean: number[];
  variance: number[];
  dx: number[];
  dGamma: number[];
  dBeta: number[];
};

function run(c: Case, fast: boolean): Run {
  return tf.tidy(() => {
    const channels = c.shape[c.shape.length - 1]!;
    const x = tf.add(tf.mul(tf.randomNormal(c.shape, 0, 1, 'float32', 1), c.spread), c.offset);
    const gamma = tf.randomUniform([channels], 0.5, 1.5, 'float32', 2) as tf.Tensor1D;
    const beta = tf.randomNormal([channels], 0, 1, 'float32', 3) as tf.Tensor1D;
    const weights = tf.randomNormal(c.shape, 0, 1, 'float32', 4);
    const forward = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      fast
        ? batchNormInTraining(a, g as tf.Tensor1D, b as tf.Tensor1D, EPSILON)
        : referenceBatchNorm(a, g as tf.Tensor1D, b as tf.Tensor1D);
    const out = forward(x, gamma, beta);
    const [dx, dGamma, dBeta] = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const r = forward(a, g, b);
      return tf.sum(tf.mul(r.y, weights)) as tf.Scalar;
    })([x, gamma, beta]);
    const values = (t: tf.Tensor | undefined): number[] => Array.from(t!.dataSync());
    return {
      y: values(out.y),
      mean: values(out.mean),
      variance: values(out.variance),
      dx: values(dx),
      dGamma: values(dGamma),
      dBeta: values(dBeta),
    };
  });
}

function expectRunsClose(actual: Run, expected: Run, tolerance: number): void {
  for (const key of ['y', 'mean', 'variance', 'dx', 'dGamma', 'dBeta'] as const) {
    try {
      expectArrayClose(actual[key], expected[key], tolerance);
    } catch (err) {
      throw new Error(`${key}: ${(err as Error).message}`, { cause: err });
    }
  }
}

describe('batchNormInTraining (one op, hand-written gradient)', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  for (const c of cases) {
    for (const backend of ['cpu', 'wasm']) {
      it(`matches moments + batchNorm and their autodiff on ${backend}: x [${c.shape.join(', ')}] ~ ${c.offset} ± ${c.spread}`, async () => {
        await tf.setBackend(backend);
        const reference = run(c, false);
        await tf.setBackend('cpu');
        const onCpu = run(c, false);
        await tf.setBackend(backend);
        const fast = run(c, true);
        await tf.setBackend('wasm');
        expect(fast.dGamma.some((v) => Math.abs(v) > 1e-3)).toBe(true);
        expectRunsClose(fast, reference, 2e-4);
        expectRunsClose(fast, onCpu, 2e-4);
      });
    }
  }

  it('has the gradient of its forward pass (central differences, cpu)', async () => {
    await tf.setBackend('cpu');
    const x = tf.randomNormal([4, 2, 2, 2], 0, 1, 'float32', 5);
    const gamma = tf.tensor1d([0.7, 1.3]);
    const beta = tf.tensor1d([0.1, -0.2]);
    const weights = tf.randomNormal([4, 2, 2, 2], 0, 1, 'float32', 6);
    const loss = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      tf.tidy(() => {
        const { y, mean, variance } = batchNormInTraining(
          a,
          g as tf.Tensor1D,
          b as tf.Tensor1D,
          EPSILON,
        );
        tf.dispose([mean, variance]);
        // A nonlinear readout, so dx is not trivially zero along the normalised directions.
        return tf.sum(tf.mul(tf.square(y), weights)) as tf.Scalar;
      });
    for (const which of [0, 1, 2])
      expectGradientMatchesFiniteDifferences(loss, [x, gamma, beta], which, 1e-2, 2e-2);
    tf.dispose([x, gamma, beta, weights]);
    await tf.setBackend('wasm');
  });

  it('rejects mismatched channels', () => {
    const x = tf.zeros([2, 3]);
    const g = tf.ones([4]) as tf.Tensor1D;
    expect(() => batchNormInTraining(x, g, g, EPSILON)).toThrow(RangeError);
    tf.dispose([x, g]);
  });

  it('runs no Mean, Sum or FusedBatchNorm kernel on wasm (the point of it)', async () => {
    const x = tf.randomNormal([8, 4, 4, 6], 0, 1, 'float32', 7);
    const gamma = tf.ones([6]) as tf.Tensor1D;
    const beta = tf.zeros([6]) as tf.Tensor1D;
    const dy = tf.randomNormal([8, 4, 4, 6], 0, 1, 'float32', 8);
    const profile = await tf.profile(() => {
      // An explicit dy instead of a summed loss, so every kernel listed is BatchNorm's own.
      const [dx] = tf.grads((a: tf.Tensor) => {
        const { y, mean, variance } = batchNormInTraining(a, gamma, beta, EPSILON);
        tf.dispose([mean, variance]);
        return y;
      })([x], dy);
      dx!.dispose();
    });
    const names = new Set(profile.kernels.map((k) => k.name));
    for (const slow of ['Mean', 'Sum', 'FusedBatchNorm', 'Transpose'])
      expect(names.has(slow), slow).toBe(false);
    tf.dispose([x, gamma, beta, dy]);
  });
});

describe('batchNormalization layer', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  /** The layer and tfjs-layers' own, built alike with the same (non-trivial) weights. */
  function pair(shape: number[]): [tf.layers.Layer, tf.layers.Layer] {
    const args = { momentum: 0.9, epsilon: EPSILON, name: 'bn' };
    const layers: [tf.layers.Layer, tf.layers.Layer] = [
      batchNormalization(args),
      tf.layers.batchNormalization(args),
    ];
    const channels = shape[shape.length - 1]!;
    const weights = [
      tf.randomUniform([channels], 0.5, 1.5, 'float32', 1),
      tf.randomNormal([channels], 0, 1, 'float32', 2),
      tf.randomNormal([channels], 0, 1, 'float32', 3),
      tf.randomUniform([channels], 0.5, 2, 'float32', 4),
    ];
    for (const layer of layers) {
      tf.dispose(layer.apply(tf.zeros(shape)) as tf.Tensor); // builds it (and lets it be disposed)
      layer.setWeights(weights);
    }
    tf.dispose(weights);
    return layers;
  }

  /** One training call under variableGrads (as the trainer runs it): output, gradients, moving stats. */
  function trainOnce(layer: tf.layers.Layer, x: tf.Tensor, w: tf.Tensor): number[][] {
    const variables = layer.trainableWeights.map((v) => v.read() as tf.Variable);
    let y: number[] = [];
    const { value, grads } = tf.variableGrads(
      () =>
        tf.tidy(() => {
          const out = layer.apply(x, { training: true }) as tf.Tensor;
          y = Array.from(out.dataSync());
          return tf.sum(tf.mul(out, w)) as tf.Scalar;
        }),
      variables,
    );
    const result = [
      y,
      ...variables.map((v) => Array.from(grads[v.name]!.dataSync())),
      ...layer
        .getWeights()
        .slice(2)
        .map((t) => Array.from(t.dataSync())),
    ];
    tf.dispose([value, ...Object.values(grads)]);
    return result;
  }

  for (const backend of ['cpu', 'wasm']) {
    for (const shape of [
      [8, 4, 4, 3],
      [10, 6],
    ]) {
      it(`trains like tfjs-layers' BatchNormalization on ${backend}, x [${shape.join(', ')}]`, async () => {
        await tf.setBackend(backend);
        const [fast, original] = pair(shape);
        const x = tf.add(tf.mul(tf.randomNormal(shape, 0, 1, 'float32', 5), 2), 1);
        const w = tf.randomNormal(shape, 0, 1, 'float32', 6);
        for (let step = 0; step < 2; step++) {
          const a = trainOnce(fast, x, w);
          const b = trainOnce(original, x, w);
          a.forEach((values, i) => expectArrayClose(values, b[i]!, 2e-4));
        }
        // Inference runs tfjs-layers' own code on the moving statistics compared above.
        const [yi, yo] = [
          fast.apply(x, { training: false }) as tf.Tensor,
          original.apply(x, { training: false }) as tf.Tensor,
        ];
        expectArrayClose(yi.dataSync(), yo.dataSync(), 2e-4);
        tf.dispose([x, w, yi, yo]);
        fast.dispose();
        original.dispose();
        await tf.setBackend('wasm');
      });
    }
  }

  it('trains through batchNormInTraining on wasm, where the original runs Mean and FusedBatchNorm', async () => {
    const [fast, original] = pair([8, 4, 4, 3]);
    const x = tf.randomNormal([8, 4, 4, 3], 0, 1, 'float32', 7);
    const kernels = async (layer: tf.layers.Layer): Promise<Set<string>> =>
      new Set(
        (
          await tf.profile(() => tf.dispose(layer.apply(x, { training: true }) as tf.Tensor))
        ).kernels.map((k) => k.name),
      );
    expect((await kernels(original)).has('FusedBatchNorm')).toBe(true);
    const mine = await kernels(fast);
    for (const slow of ['Mean', 'FusedBatchNorm']) expect(mine.has(slow), slow).toBe(false);
    x.dispose();
    fast.dispose();
    original.dispose();
  });

  it('serialises as a plain BatchNormalization', () => {
    const [fast, original] = pair([2, 3]);
    expect(fast.getClassName()).toBe('BatchNormalization');
    expect(fast.getConfig()).toEqual(original.getConfig());
    fast.dispose();
    original.dispose();
  });

  it('leaks no tensors across training steps', () => {
    const [fast, original] = pair([8, 4, 4, 3]);
    original.dispose();
    const x = tf.randomNormal([8, 4, 4, 3], 0, 1, 'float32', 8);
    const w = tf.randomNormal([8, 4, 4, 3], 0, 1, 'float32', 9);
    trainOnce(fast, x, w);
    const tensors = tf.memory().numTensors;
    const data = tf.engine().backend.numDataIds();
    for (let i = 0; i < 3; i++) trainOnce(fast, x, w);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(data);
    tf.dispose([x, w]);
    fast.dispose();
  });
});
