/**
 * What the generic method tests (methods.test.ts) cannot see: BYOL's and DINO's EMA networks follow
 * the online/student network by exactly m, DINO's centre moves, SimSiam's and BYOL's predictor is
 * trained, and the autoencoder's three corruptions do what their names say.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../src/main/compute/tf';
import { createMethod, trainStep, type MethodState } from '../../../src/main/ssl/index';
import { AutoencoderMethod } from '../../../src/main/ssl/methods/autoencoder';
import { decoderLayout } from '../../../src/main/ssl/heads/conv-decoder';
import {
  batchIndices,
  CONTEXT,
  DATASET_SIZE,
  makeBatch,
  syntheticImages,
  tinyConfig,
  trainLosses,
} from './fixtures';
import { expectArrayClose } from './tensor-assertions';

const entry = (state: MethodState, key: string): Float32Array => {
  const e = state[key];
  if (!e) throw new Error(`no state entry ${key}`);
  return e.data;
};

describe('non-contrastive methods', () => {
  let dataset: tf.Tensor4D;
  beforeAll(async () => {
    await initBackend('wasm');
    dataset = syntheticImages(DATASET_SIZE, CONTEXT.imageSize, CONTEXT.channels, 1);
  });
  afterAll(() => dataset.dispose());

  for (const [name, online, target] of [
    ['byol', 'online', 'target'],
    ['dino', 'student', 'teacher'],
  ] as const) {
    it(`${name}: the ${target} network is θt ← m·θt + (1 − m)·θ after each step`, async () => {
      const m = 0.7;
      const method = createMethod(
        name,
        tinyConfig(name, name === 'dino' ? { momentum: m, centerMomentum: 0.5 } : { momentum: m }),
        CONTEXT,
      );
      await trainLosses(method, dataset, 1);
      const before = await method.getState();
      await trainLosses(method, dataset, 1);
      const after = await method.getState();
      const key = Object.keys(after).find(
        (k) => k.startsWith(`${online}/encoder/`) && k.includes('kernel'),
      )!;
      const targetKey = key.replace(`${online}/`, `${target}/`);
      const expected = entry(before, targetKey).map(
        (t, i) => m * t + (1 - m) * (entry(after, key)[i] ?? NaN),
      );
      expectArrayClose(entry(after, targetKey), expected, 1e-4);
      // The target is not trained: none of its variables is in the optimiser's list.
      expect(method.trainableVariables().length).toBeGreaterThan(0);
      const targetVars = new Set(Object.keys(after).filter((k) => k.startsWith(`${target}/`)));
      expect(targetVars.size).toBeGreaterThan(0);
      if (name === 'dino') {
        expect(Math.max(...Array.from(entry(after, 'center'), Math.abs))).toBeGreaterThan(0);
        expect(entry(after, 'center')).not.toEqual(entry(before, 'center'));
      }
      method.dispose();
    });
  }

  it('simsiam and byol give every trainable variable (predictor included) a finite gradient', async () => {
    for (const name of ['simsiam', 'byol'] as const) {
      const method = createMethod(name, tinyConfig(name), CONTEXT);
      const batch = makeBatch(method, dataset, batchIndices(0), 3);
      const { value, grads } = tf.variableGrads(
        () => method.loss(batch),
        method.trainableVariables(),
      );
      const norms = Object.values(grads).map((g) => tf.norm(g).dataSync()[0] ?? NaN);
      expect(norms.every(Number.isFinite)).toBe(true);
      expect(Math.max(...norms)).toBeGreaterThan(0);
      tf.dispose([value, ...Object.values(grads), ...batch.views]);
      method.dispose();
    }
  });

  describe('autoencoder', () => {
    const images = (): tf.Tensor4D => tf.slice(dataset, 0, 4);

    it('decoder layout keeps the first map ≥ 4 px and reconstructs the image size', () => {
      expect(decoderLayout(8)).toEqual({ upsamplings: 1, start: 4 });
      expect(decoderLayout(28)).toEqual({ upsamplings: 3, start: 4 });
      expect(decoderLayout(12)).toEqual({ upsamplings: 1, start: 6 });
      expect(decoderLayout(32)).toEqual({ upsamplings: 3, start: 4 });
      expect(decoderLayout(224)).toEqual({ upsamplings: 4, start: 14 });
      for (const imageSize of [8, 12, 28]) {
        const method = createMethod('autoencoder', tinyConfig('autoencoder'), {
          ...CONTEXT,
          imageSize,
        });
        const x = tf.zeros([2, imageSize, imageSize, 3]) as tf.Tensor4D;
        const out = (method as AutoencoderMethod).reconstruct(x, false);
        expect(out.shape).toEqual([2, imageSize, imageSize, 3]);
        tf.dispose([x, out]);
        method.dispose();
      }
    });

    it('corruption none is the identity, noise adds N(0, σ²), mask zeroes whole patches', () => {
      const x = tf.add(images(), 1) as tf.Tensor4D; // strictly positive, so zeros come from the mask
      const make = (extra: Record<string, unknown>): AutoencoderMethod =>
        createMethod('autoencoder', tinyConfig('autoencoder', extra), CONTEXT) as AutoencoderMethod;

      const none = make({ corruption: 'none' });
      const same = none.corrupt(x);
      expect(tf.max(tf.abs(tf.sub(same, x))).dataSync()[0]).toBe(0);

      const noisy = make({ corruption: 'noise', noiseStd: 0.5 });
      const n = noisy.corrupt(x);
      const { mean, variance } = tf.moments(tf.sub(n, x));
      expect(Math.abs(mean.dataSync()[0]!)).toBeLessThan(0.1);
      expect(Math.sqrt(variance.dataSync()[0]!)).toBeCloseTo(0.5, 1);
      const again = noisy.corrupt(x); // the PRNG moves on: a fresh draw each step
      expect(tf.max(tf.abs(tf.sub(again, n))).dataSync()[0]).toBeGreaterThan(0);

      const masked = make({ corruption: 'mask', maskRatio: 0.5, maskPatch: 4 });
      const mk = masked.corrupt(x);
      const zero = tf.cast(tf.equal(mk, 0), 'float32');
      const fraction = tf.mean(zero).dataSync()[0]!;
      expect(fraction).toBeGreaterThan(0.1);
      expect(fraction).toBeLessThan(0.9);
      // Zeros come in 4×4 patches covering every channel: each patch is all-zero or all-kept.
      const patches = tf.mean(
        tf.reshape(zero, [4, 2, 4, 2, 4, 3]).transpose([0, 1, 3, 2, 4, 5]).reshape([4, 2, 2, 48]),
        3,
      );
      for (const v of patches.dataSync()) expect(v === 0 || v === 1).toBe(true);

      tf.dispose([x, same, n, mean, variance, again, mk, zero, patches]);
      [none, noisy, masked].forEach((m) => m.dispose());
    });

    for (const corruption of ['none', 'noise', 'mask'] as const) {
      it(`reconstruction error falls with corruption ${corruption}`, async () => {
        const method = createMethod(
          'autoencoder',
          tinyConfig('autoencoder', { corruption }),
          CONTEXT,
        );
        const optimizer = tf.train.adam(0.01);
        const losses: number[] = [];
        for (let s = 0; s < 20; s++) {
          const batch = makeBatch(method, dataset, batchIndices(s), 100 + s);
          losses.push(await trainStep(method, optimizer, batch));
          tf.dispose(batch.views);
        }
        optimizer.dispose();
        method.dispose();
        expect(losses.every(Number.isFinite)).toBe(true);
        expect(losses.slice(-5).reduce((a, b) => a + b) / 5).toBeLessThan(
          0.7 * (losses.slice(0, 5).reduce((a, b) => a + b) / 5),
        );
      });
    }
  });
});
