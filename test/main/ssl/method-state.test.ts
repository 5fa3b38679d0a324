import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../src/main/compute/tf';
import { createMethod, type SslMethod } from '../../../src/main/ssl/index';
import { emaUpdate } from '../../../src/main/ssl/methods/ema';
import { InstanceBank } from '../../../src/main/ssl/methods/instance-bank';
import { KeyQueue } from '../../../src/main/ssl/methods/key-queue';
import type { MocoMethod } from '../../../src/main/ssl/methods/moco';
import type { SwavMethod } from '../../../src/main/ssl/methods/swav';
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

const rows = (t: tf.Tensor): number[][] => t.arraySync() as number[][];

describe('method state updates', () => {
  let dataset: tf.Tensor4D;

  beforeAll(async () => {
    await initBackend('wasm');
    dataset = syntheticImages(DATASET_SIZE, CONTEXT.imageSize, CONTEXT.channels, 1);
  });
  afterAll(() => dataset.dispose());

  describe('MoCo', () => {
    it('queue is FIFO: enqueue appends newest last and drops the oldest', async () => {
      const queue = new KeyQueue(4, 2, 1);
      queue.replace(
        tf.tensor2d([
          [1, 0],
          [2, 0],
          [3, 0],
          [4, 0],
        ]),
      );
      queue.enqueue(
        tf.tensor2d([
          [5, 0],
          [6, 0],
        ]),
      );
      expect(rows(queue.entries).map((r) => r[0])).toEqual([3, 4, 5, 6]);
      queue.enqueue(
        tf.tensor2d([
          [7, 0],
          [8, 0],
          [9, 0],
          [10, 0],
          [11, 0],
        ]),
      );
      expect(rows(queue.entries).map((r) => r[0])).toEqual([8, 9, 10, 11]);
      queue.dispose();
    });

    it('EMA update is m·target + (1 − m)·source', async () => {
      const target = tf.variable(tf.tensor1d([1, 2]));
      const source = tf.variable(tf.tensor1d([3, -2]));
      emaUpdate([target], [source], 0.75);
      expectArrayClose(target.dataSync(), [0.75 * 1 + 0.25 * 3, 0.75 * 2 + 0.25 * -2]);
      tf.dispose([target, source]);
    });

    it('after a step: key weights = m·old key + (1 − m)·new query, and the batch keys are enqueued', async () => {
      const moco = createMethod(
        'moco',
        tinyConfig('moco', { momentum: 0.8, queueSize: 16 }),
        CONTEXT,
      ) as MocoMethod;
      // The key network starts as an exact copy of the query network.
      const kernel = (m: tf.LayersModel): Float32Array =>
        m.getLayer('stem_conv').getWeights()[0]!.dataSync() as Float32Array;
      expectArrayClose(kernel(moco.key.encoder), kernel(moco.query.encoder), 0);
      const oldKey = Float32Array.from(kernel(moco.key.encoder));
      const oldQueue = rows(moco.queue.entries);
      const batch = makeBatch(moco, dataset, batchIndices(0), 3);
      const expectedKeys = tf.tidy(() => {
        const k = moco.key.project(batch.views[1]!, true);
        return rows(tf.div(k, tf.norm(k, 2, 1, true)));
      });
      const optimizer = tf.train.sgd(0.5);
      // Recompute inside trainStep order: loss → apply → afterStep.
      const { value, grads } = tf.variableGrads(() => moco.loss(batch), moco.trainableVariables());
      optimizer.applyGradients(grads);
      (moco as SslMethod).afterStep(batch, { loss: value.dataSync()[0]! });
      const newQuery = kernel(moco.query.encoder);
      expectArrayClose(
        kernel(moco.key.encoder),
        Array.from(oldKey, (k, i) => 0.8 * k + 0.2 * newQuery[i]!),
        1e-5,
      );
      expect(
        Math.max(...Array.from(oldKey, (k, i) => Math.abs(k - kernel(moco.key.encoder)[i]!))),
      ).toBeGreaterThan(0);
      const queue = rows(moco.queue.entries);
      expect(queue.length).toBe(16);
      expectArrayClose(queue.slice(0, 8).flat(), oldQueue.slice(8).flat(), 0);
      expectArrayClose(queue.slice(-8).flat(), expectedKeys.flat(), 1e-4);
      tf.dispose([value, ...Object.values(grads), ...batch.views]);
      optimizer.dispose();
      moco.dispose();
    });
  });

  describe('memory bank', () => {
    it('updates exactly the batch entries to normalise(m·v + (1 − m)·f)', async () => {
      const bank = new InstanceBank(4, 2, 1);
      bank.replace(
        tf.tensor2d([
          [1, 0],
          [0, 1],
          [-1, 0],
          [0, -1],
        ]),
      );
      bank.update(
        Int32Array.from([2, 0]),
        tf.tensor2d([
          [0, 3],
          [0, 1],
        ]),
        0.5,
      );
      const s = Math.SQRT1_2;
      expectArrayClose(rows(bank.entries).flat(), [s, s, 0, 1, -s, s, 0, -1], 1e-6);
      bank.dispose();
    });

    it('the memory-bank method moves only the trained images’ entries', async () => {
      const method = createMethod('memory-bank', tinyConfig('memory-bank'), CONTEXT);
      const initial = (await method.getState())['bank']!;
      const before = rows(tf.tidy(() => tf.tensor(initial.data, initial.shape)));
      await trainLosses(method, dataset, 1);
      const after = (await method.getState())['bank']!;
      const changed = before.map((row, i) =>
        row.some((v, d) => Math.abs(v - after.data[i * row.length + d]!) > 1e-7),
      );
      expect(changed).toEqual(Array.from({ length: DATASET_SIZE }, (_, i) => i < 8));
      for (let i = 0; i < DATASET_SIZE; i++) {
        const norm = Math.hypot(...Array.from(after.data.subarray(i * 16, (i + 1) * 16)));
        expect(norm).toBeCloseTo(1, 5);
      }
      method.dispose();
    });
  });

  describe('SwAV', () => {
    it('normalises prototypes after every step and freezes them for the first steps', async () => {
      const swav = createMethod(
        'swav',
        tinyConfig('swav', { freezePrototypesSteps: 2 }),
        CONTEXT,
      ) as SwavMethod;
      const snapshot = (): Float32Array => Float32Array.from(swav.prototypes.weights.dataSync());
      const initial = snapshot();
      await trainLosses(swav, dataset, 2);
      expectArrayClose(snapshot(), initial, 1e-6);
      await trainLosses(swav, dataset, 1);
      const moved = snapshot();
      expect(Math.max(...Array.from(moved, (v, i) => Math.abs(v - initial[i]!)))).toBeGreaterThan(
        1e-4,
      );
      const norms = tf.tidy(() => tf.norm(swav.prototypes.weights, 2, 1).dataSync());
      norms.forEach((n) => expect(n).toBeCloseTo(1, 5));
      expect(swav.stepsDone).toBe(3);
      swav.dispose();
    });

    it('exposes per-image assignments: argmax prototype and code entropy', async () => {
      const swav = createMethod('swav', tinyConfig('swav'), CONTEXT);
      const images = tf.slice(dataset, 0, 6);
      const { prototype, entropy } = await swav.assignments!(images);
      expect(prototype.length).toBe(6);
      prototype.forEach((p) => expect(p >= 0 && p < 8).toBe(true));
      entropy.forEach((h) => {
        expect(h).toBeGreaterThanOrEqual(0);
        expect(h).toBeLessThanOrEqual(Math.log(8) + 1e-5);
      });
      images.dispose();
      swav.dispose();
    });

    it('with a feature queue: fills it, then trains with it, without leaks', async () => {
      const swav = createMethod('swav', tinyConfig('swav', { queueSize: 16 }), CONTEXT);
      const counts: number[] = [];
      const losses = await trainLosses(swav, dataset, 5, () => counts.push(tf.memory().numTensors));
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(new Set(counts.slice(1)).size).toBe(1);
      const queue = (await swav.getState())['queue/0']!;
      expect(queue.shape).toEqual([16, 16]);
      expect(Array.from(queue.data).some((v) => v !== 0)).toBe(true);
      swav.dispose();
    });
  });
});
