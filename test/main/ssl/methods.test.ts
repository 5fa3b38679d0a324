import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../src/main/compute/tf';
import { createMethod, METHODS, trainStep, type SslMethod } from '../../../src/main/ssl/index';
import { METHOD_NAMES } from '../../../src/shared/schemas/method';
import {
  BATCH,
  batchIndices,
  CONTEXT,
  DATASET_SIZE,
  makeBatch,
  syntheticImages,
  tinyConfig,
  trainLosses,
  WARM_UP_STEPS,
} from './fixtures';

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('methods', () => {
  let dataset: tf.Tensor4D;

  beforeAll(async () => {
    await initBackend('wasm');
    dataset = syntheticImages(DATASET_SIZE, CONTEXT.imageSize, CONTEXT.channels, 1);
  });
  afterAll(() => dataset.dispose());

  it('registers every method', async () => {
    expect(Object.keys(METHODS).sort()).toEqual([...METHOD_NAMES].sort());
  });

  it('rejects a config for another method and a bad context', async () => {
    expect(() => createMethod('moco', tinyConfig('simclr'), CONTEXT)).toThrow(/simclr/);
    expect(() =>
      createMethod('simclr', { ...tinyConfig('simclr'), temperature: 0 }, CONTEXT),
    ).toThrow(/temperature/);
    expect(() =>
      createMethod('simclr', tinyConfig('simclr'), { ...CONTEXT, datasetSize: 0 }),
    ).toThrow(RangeError);
  });

  for (const name of METHOD_NAMES) {
    describe(name, () => {
      it('loss goes down over 20 steps on wasm', async () => {
        const method = createMethod(name, tinyConfig(name), CONTEXT);
        const losses = await trainLosses(method, dataset, 20);
        method.dispose();
        expect(losses.every(Number.isFinite)).toBe(true);
        const start = WARM_UP_STEPS[name];
        const first = mean(losses.slice(start, start + 5));
        const last = mean(losses.slice(-5));
        expect(last, `losses ${losses.map((l) => l.toFixed(3)).join(' ')}`).toBeLessThan(
          0.9 * first,
        );
      });

      it('leaks no tensor per step and frees everything on dispose', async () => {
        const before = tf.memory().numTensors;
        const method = createMethod(name, tinyConfig(name), CONTEXT);
        const counts: number[] = [];
        await trainLosses(method, dataset, 6, () => counts.push(tf.memory().numTensors));
        // Step 0 creates the optimiser's slots; from then on the count must be flat.
        expect(new Set(counts.slice(1)).size, `tensor counts ${counts.join(' ')}`).toBe(1);
        method.dispose();
        expect(tf.memory().numTensors).toBe(before);
      });

      it('restores its state into a fresh instance (same embeddings and loss)', async () => {
        const a = createMethod(name, tinyConfig(name), CONTEXT);
        await trainLosses(a, dataset, 3);
        const b = createMethod(name, tinyConfig(name), { ...CONTEXT, seed: CONTEXT.seed + 99 });
        b.setState(await a.getState());
        const images = tf.slice(dataset, 0, 4);
        const [ea, eb] = [a.embed(images), b.embed(images)];
        expect(tf.max(tf.abs(tf.sub(ea, eb))).dataSync()[0]).toBeLessThan(1e-5);
        const batch = makeBatch(a, dataset, batchIndices(0), 5);
        const [la, lb] = [a.loss(batch), b.loss(batch)];
        expect(lb.dataSync()[0]).toBeCloseTo(la.dataSync()[0]!, 4);
        tf.dispose([images, ea, eb, la, lb, ...batch.views]);
        a.afterStep(batch, { loss: 0 });
        b.afterStep(batch, { loss: 0 });
        a.dispose();
        b.dispose();
      });

      it('embeds in inference mode to [B, F] and rejects malformed batches', async () => {
        const method = createMethod(name, tinyConfig(name), CONTEXT);
        const images = tf.slice(dataset, 0, 3);
        const features = method.embed(images);
        expect(features.shape[0]).toBe(3);
        expect(features.shape[1]).toBe(method.encoder.outputs[0]!.shape[1]);
        const batch = makeBatch(method, dataset, batchIndices(0), 1);
        expect(() => method.loss({ views: batch.views.slice(1), indices: batch.indices })).toThrow(
          RangeError,
        );
        expect(() =>
          method.loss({ views: batch.views, indices: batch.indices.slice(0, BATCH - 1) }),
        ).toThrow(RangeError);
        tf.dispose([images, features, ...batch.views]);
        method.dispose();
      });
    });
  }

  it('trainStep gives every variable a gradient slot in a fixed order', async () => {
    const method: SslMethod = createMethod(
      'swav',
      tinyConfig('swav', { freezePrototypesSteps: 2 }),
      CONTEXT,
    );
    const optimizer = tf.train.adam(0.01);
    for (let s = 0; s < 3; s++) {
      const batch = makeBatch(method, dataset, batchIndices(s), s);
      expect(Number.isFinite(await trainStep(method, optimizer, batch))).toBe(true);
      tf.dispose(batch.views);
    }
    // Adam: iterations + first and second moments of every trainable variable (frozen prototypes too).
    const weights = await optimizer.getWeights();
    expect(weights.length).toBe(1 + 2 * method.trainableVariables().length);
    optimizer.dispose();
    method.dispose();
  });
});
