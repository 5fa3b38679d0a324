import { describe, expect, it } from 'vitest';
import { configDiff } from '../../src/renderer/src/charts/config-diff';

describe('configDiff', () => {
  it('lists only the leaf settings that differ, with each run’s value', () => {
    const a = { name: 'a', method: 'moco', batchSize: 32, methodOverrides: { queueSize: 512, momentum: 0.99 }, optimizer: { name: 'adam', learningRate: 0.001 } };
    const b = { name: 'b', method: 'moco', batchSize: 32, methodOverrides: { queueSize: 4096, momentum: 0.99 }, optimizer: { name: 'adam', learningRate: 0.003 }, seed: 1 };
    expect(configDiff([a, b])).toEqual([
      { path: 'methodOverrides.queueSize', values: ['512', '4096'] },
      { path: 'optimizer.learningRate', values: ['0.001', '0.003'] },
      { path: 'seed', values: ['—', '1'] },
    ]);
    expect(configDiff([a, { ...a, name: 'renamed' }])).toEqual([]);
  });
});
