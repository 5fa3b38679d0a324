import { describe, expect, it } from 'vitest';
import { applySettings } from '../../../src/main/services/sweeps';
import {
  bestSweepRun,
  expandSweep,
  SweepConfigSchema,
  type SweepRun,
} from '../../../src/shared/schemas/sweep';

const parse = (x: unknown) => SweepConfigSchema.parse(x);

describe('sweep expansion', () => {
  it('grid: every combination, first field slowest', () => {
    const points = expandSweep(
      parse({ experiment: {}, fields: { queueSize: [64, 4096], batchSize: [8, 16, 32] } }),
    );
    expect(points).toEqual([
      { queueSize: 64, batchSize: 8 },
      { queueSize: 64, batchSize: 16 },
      { queueSize: 64, batchSize: 32 },
      { queueSize: 4096, batchSize: 8 },
      { queueSize: 4096, batchSize: 16 },
      { queueSize: 4096, batchSize: 32 },
    ]);
  });

  it('random: `samples` seeded draws from the listed values, reproducible by seed', () => {
    const config = {
      experiment: {},
      search: 'random',
      samples: 20,
      seed: 5,
      fields: { temperature: [0.05, 0.1, 0.2, 0.5], learningRate: [0.001, 0.01] },
    };
    const a = expandSweep(parse(config));
    expect(a).toHaveLength(20);
    expect(expandSweep(parse(config))).toEqual(a);
    expect(expandSweep(parse({ ...config, seed: 6 }))).not.toEqual(a);
    for (const p of a) {
      expect([0.05, 0.1, 0.2, 0.5]).toContain(p['temperature']);
      expect([0.001, 0.01]).toContain(p['learningRate']);
    }
    expect(new Set(a.map((p) => p['temperature'])).size).toBeGreaterThan(1);
  });

  it('rejects unknown fields, empty value lists, random without samples', () => {
    expect(() => parse({ experiment: {}, fields: { temprature: [1] } })).toThrow(
      /not a sweep field/,
    );
    expect(() => parse({ experiment: {}, fields: { temperature: [] } })).toThrow(
      /at least one value/,
    );
    expect(() => parse({ experiment: {}, fields: {} })).toThrow(/at least one field/);
    expect(() => parse({ experiment: {}, search: 'random', fields: { seed: [1] } })).toThrow(
      /samples/,
    );
    expect(parse({ experiment: {}, fields: { 'methodOverrides.lambda': [0.1] } }).fields).toEqual({
      'methodOverrides.lambda': [0.1],
    });
  });

  it('lays settings over the base experiment; a swept method drops the other method’s overrides', () => {
    const base = {
      datasetId: 1,
      method: 'moco',
      methodOverrides: { queueSize: 64, momentum: 0.9 },
      optimizer: { name: 'sgd', learningRate: 0.1 },
    };
    expect(applySettings(base, { temperature: 0.3, learningRate: 0.05, batchSize: 16 })).toEqual({
      datasetId: 1,
      method: 'moco',
      methodOverrides: { queueSize: 64, momentum: 0.9, temperature: 0.3 },
      optimizer: { name: 'sgd', learningRate: 0.05 },
      batchSize: 16,
    });
    expect(applySettings(base, { method: 'simclr' })['methodOverrides']).toEqual({});
    expect(applySettings(base, { method: 'moco' })['methodOverrides']).toEqual({
      queueSize: 64,
      momentum: 0.9,
    });
    expect(applySettings({ method: 'simclr' }, { learningRate: 0.01 })['optimizer']).toEqual({
      name: 'adam',
      learningRate: 0.01,
    });
  });

  it('best run: the highest best-epoch kNN, null when none has one', () => {
    const run = (index: number, bestKnnAccuracy: number | null): SweepRun => ({
      index,
      settings: {},
      experimentId: null,
      runId: index,
      status: 'completed',
      finalLoss: null,
      knnAccuracy: null,
      bestKnnAccuracy,
      bestEpoch: null,
    });
    expect(bestSweepRun([run(0, 0.5), run(1, 0.7), run(2, 0.7), run(3, null)])?.index).toBe(1);
    expect(bestSweepRun([run(0, null)])).toBeNull();
  });
});
