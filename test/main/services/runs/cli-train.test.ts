/** Every method trains 2 epochs end to end through `cwb train` on a tiny labelled dataset (wasm). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../../../src/shared/schemas/method';
import { Store } from '../../../../src/main/store/store';
import { cwbErrorLine, runCli, useCliWorkspace } from '../../../helpers/cli';

const ws = useCliWorkspace();

describe('cwb train', () => {
  it.each(METHOD_NAMES)('%s trains 2 epochs and records metrics', async (method) => {
    const r = await runCli(['--home', ws.home, 'train', '--dataset', '1', '--method', method, '--epochs', '2', '--batch-size', '4', '--backend', 'wasm', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ status: 'completed', epochs: 2, steps: 4, backend: 'wasm' });
    expect(Number.isFinite(summary['finalLoss'])).toBe(true);
    expect(summary['imagesPerSecond']).toBeGreaterThan(0);
    expect(summary['knnAccuracy']).toBeGreaterThanOrEqual(0);
    expect(summary['knnAccuracy']).toBeLessThanOrEqual(1);
    const store = Store.open(join(ws.home, 'workbench.sqlite'), { readonly: true });
    try {
      const runId = summary['runId'] as number;
      expect(store.metrics.series(runId, 'loss')).toHaveLength(4);
      expect(store.metrics.series(runId, 'knn_accuracy')).toHaveLength(2);
      if (method !== 'pirl') {
        // Wang & Isola: alignment in [0, 4] for unit vectors, uniformity ≤ 0.
        const [alignment, uniformity] = [store.metrics.series(runId, 'alignment'), store.metrics.series(runId, 'uniformity')];
        expect(alignment).toHaveLength(2);
        expect(alignment.every((p) => p.value >= 0 && p.value <= 4)).toBe(true);
        expect(uniformity.every((p) => p.value <= 1e-6)).toBe(true);
      }
      expect(store.checkpoints.list(runId).length).toBeGreaterThanOrEqual(2);
      expect(store.runs.get(runId)).toMatchObject({ status: 'completed', backend: 'wasm' });
      if (method === 'swav') expect(store.prototypeAssignments.epochs(runId)).toEqual([1, 2]);
    } finally {
      store.close();
    }
  });

  it('--epochs 0 evaluates the randomly initialised encoder (kNN and linear probe)', async () => {
    const r = await runCli(['--home', ws.home, 'train', '--dataset', '1', '--method', 'simclr', '--epochs', '0', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ epochs: 0, steps: 0, finalLoss: null });
    expect(typeof summary['knnAccuracy']).toBe('number');
    const knn = await runCli(['--home', ws.home, 'eval', 'knn', '--run', String(summary['runId']), '--json']);
    expect(knn.code, knn.stderr).toBe(0);
    expect(JSON.parse(knn.stdout)).toEqual({ runId: summary['runId'], k: 8, accuracy: summary['knnAccuracy'] });
    const linear = await runCli(['--home', ws.home, 'eval', 'linear', '--run', String(summary['runId']), '--epochs', '30', '--json']);
    expect(linear.code, linear.stderr).toBe(0);
    const probe = JSON.parse(linear.stdout) as { runId: number; accuracy: number; trainAccuracy: number };
    expect(probe.runId).toBe(summary['runId']);
    // Separable colours: the probe fits its training images.
    expect(probe.trainAccuracy).toBeGreaterThan(0.9);
    expect(probe.accuracy).toBeGreaterThanOrEqual(0);
  });

  it('refuses impossible experiments before training, naming the field', async () => {
    const big = await runCli(['--home', ws.home, 'train', '--dataset', '1', '--method', 'simclr', '--batch-size', '500']);
    expect(big.code).toBe(2);
    expect(cwbErrorLine(big.stderr)).toMatch(/batchSize: 500 is larger than the training split/);
    // fits the 12 images but not the 8 of the training split: refused before a run exists
    const runsBefore = (await runCli(['--home', ws.home, 'experiment', 'list', '--json'])).stdout;
    const split = await runCli(['--home', ws.home, 'train', '--dataset', '1', '--method', 'simclr', '--batch-size', '10']);
    expect(split.code).toBe(2);
    expect(cwbErrorLine(split.stderr)).toMatch(/batchSize: 10 is larger than the training split \(8 of the dataset's 12 images/);
    expect((await runCli(['--home', ws.home, 'experiment', 'list', '--json'])).stdout).toBe(runsBefore);
    const method = await runCli(['--home', ws.home, 'train', '--dataset', '1', '--method', 'byol']);
    expect(method.code).toBe(2);
    expect(cwbErrorLine(method.stderr)).toMatch(/method/);
    const noDataset = await runCli(['--home', ws.home, 'train', '--dataset', '99', '--method', 'simclr']);
    expect(noDataset.code).toBe(3);
  });
});
