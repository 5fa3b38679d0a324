/**
 * DINO's two per-epoch schedules of the reference main_dino.py (issue 19) in the tfjs engine: the
 * last layer gets no update at all while epoch < freezeLastLayer — its weights, its optimiser slots
 * and its weight decay stay put, for every optimiser the trainer builds — and trains after; the loss
 * uses the epoch's warmed-up τt. The PyTorch side: test/main/export/pytorch-dino-schedules.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../src/main/compute/tf';
import { createMethod, trainStep } from '../../../src/main/ssl/index';
import type { DinoMethod } from '../../../src/main/ssl/methods/dino';
import { createOptimizer } from '../../../src/main/ssl/optimizers';
import type { OptimizerConfig } from '../../../src/shared/schemas/experiment';
import {
  batchIndices,
  CONTEXT,
  DATASET_SIZE,
  makeBatch,
  syntheticImages,
  tinyConfig,
} from './fixtures';

const OPTIMIZERS: OptimizerConfig[] = [
  { name: 'adamw', learningRate: 0.01, weightDecay: 0.1 },
  { name: 'adam', learningRate: 0.01, weightDecay: 0.1 },
  { name: 'sgd', learningRate: 0.1, momentum: 0.9, weightDecay: 0.1 },
  { name: 'lars', learningRate: 0.1, momentum: 0.9, weightDecay: 0.1, trustCoefficient: 0.01 },
];

const largestChange = (a: Float32Array, b: Float32Array): number =>
  a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe('DINO per-epoch schedules (tfjs)', () => {
  let dataset: tf.Tensor4D;
  beforeAll(async () => {
    await initBackend('wasm');
    dataset = syntheticImages(DATASET_SIZE, CONTEXT.imageSize, CONTEXT.channels, 1);
  });
  afterAll(() => dataset.dispose());

  it.each(OPTIMIZERS.map((o) => [o.name, o] as const))(
    '%s: freezeLastLayer 1 keeps the last layer (weights and optimiser slots) unchanged in epoch 0, trains it in epoch 1',
    async (_, config) => {
      const dino = createMethod(
        'dino',
        tinyConfig('dino', { freezeLastLayer: 1 }),
        CONTEXT,
      ) as DinoMethod;
      const optimizer = createOptimizer(config, () => dino.trainableVariables());
      const [last] = dino.frozenVariables();
      expect(last, 'epoch 0 freezes the last layer').toBeDefined();
      expect(dino.frozenVariables()).toHaveLength(1);
      const lastLayer = last!;
      const other = dino.trainableVariables().find((v) => v !== lastLayer && v.rank > 1)!;
      const snapshot = (v: tf.Variable) => Float32Array.from(v.dataSync());
      const initialLast = snapshot(lastLayer);
      const initialOther = snapshot(other);

      dino.beginEpoch(0);
      for (let s = 0; s < 2; s++) {
        const batch = makeBatch(dino, dataset, batchIndices(s), 100 + s);
        expect(Number.isFinite(await trainStep(dino, optimizer, batch))).toBe(true);
        tf.dispose(batch.views);
      }
      // Bit for bit: no step, no decay (decay alone would shrink it by lr·λ).
      expect(snapshot(lastLayer)).toEqual(initialLast);
      expect(largestChange(snapshot(other), initialOther)).toBeGreaterThan(1e-5);
      // The slots keep their positions (one per variable) and the frozen layer's stay zero.
      const slots = await optimizer.getWeights();
      const own = slots.filter((w) => w.name.startsWith(`${lastLayer.name}/`));
      expect(own.length).toBeGreaterThan(0);
      for (const w of own) expect(w.tensor.dataSync().every((x) => x === 0)).toBe(true);
      // The slots are the optimiser's own variables; only the iteration count is a fresh tensor.
      tf.dispose(slots.filter((w) => w.name === 'iter').map((w) => w.tensor));

      dino.beginEpoch(1);
      expect(dino.frozenVariables()).toEqual([]);
      const batch = makeBatch(dino, dataset, batchIndices(2), 102);
      await trainStep(dino, optimizer, batch);
      tf.dispose(batch.views);
      expect(largestChange(snapshot(lastLayer), initialLast)).toBeGreaterThan(1e-6);
      optimizer.dispose();
      dino.dispose();
    },
  );

  it('freezeLastLayer 0 trains the last layer from the first step', async () => {
    const dino = createMethod(
      'dino',
      tinyConfig('dino', { freezeLastLayer: 0 }),
      CONTEXT,
    ) as DinoMethod;
    const optimizer = createOptimizer(OPTIMIZERS[0]!, () => dino.trainableVariables());
    expect(dino.frozenVariables()).toEqual([]);
    dino.beginEpoch(0);
    const lastLayer = dino.trainableVariables().find((v) => v.name.includes('head_last'))!;
    const before = Float32Array.from(lastLayer.dataSync());
    const batch = makeBatch(dino, dataset, batchIndices(0), 7);
    await trainStep(dino, optimizer, batch);
    tf.dispose(batch.views);
    expect(largestChange(Float32Array.from(lastLayer.dataSync()), before)).toBeGreaterThan(1e-6);
    optimizer.dispose();
    dino.dispose();
  });

  it('the loss uses the epoch’s warmed-up τt', () => {
    const warm = createMethod(
      'dino',
      tinyConfig('dino', {
        teacherTemp: 0.07,
        warmupTeacherTemp: 0.04,
        warmupTeacherTempEpochs: 4,
      }),
      CONTEXT,
    ) as DinoMethod;
    // Same seed, same initial weights: a method whose τt is fixed at the warm-up's epoch-1 value.
    const fixed = createMethod(
      'dino',
      tinyConfig('dino', { teacherTemp: 0.05 }),
      CONTEXT,
    ) as DinoMethod;
    const after = createMethod(
      'dino',
      tinyConfig('dino', { teacherTemp: 0.07 }),
      CONTEXT,
    ) as DinoMethod;
    const batch = makeBatch(warm, dataset, batchIndices(0), 3);
    const lossOf = (m: DinoMethod): number => tf.tidy(() => m.loss(batch).dataSync()[0]!);
    expect(warm.teacherTemp).toBe(0.04);
    warm.beginEpoch(1);
    expect(warm.teacherTemp).toBeCloseTo(0.05, 12);
    expect(lossOf(warm)).toBeCloseTo(lossOf(fixed), 5);
    warm.beginEpoch(9);
    expect(warm.teacherTemp).toBe(0.07);
    expect(lossOf(warm)).toBeCloseTo(lossOf(after), 5);
    expect(Math.abs(lossOf(fixed) - lossOf(after))).toBeGreaterThan(1e-3);
    tf.dispose(batch.views);
    [warm, fixed, after].forEach((m) => m.dispose());
  });
});
