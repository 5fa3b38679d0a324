/** Runs that go wrong fail clearly and lose nothing: NaN losses, deleted caches, bad configs. */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeImageFolder } from '../../../helpers/dataset';
import { tempDir } from '../../../helpers/temp';
import { useTestWorkspace } from '../../../helpers/workspace';

const workspace = useTestWorkspace();

describe('failing runs', () => {
  it('a non-finite loss stops the run as failed with the step and a hint', async () => {
    // An absurd learning rate blows the weights up after the first update.
    const { id } = workspace.services.experiments.create({
      datasetId: 1,
      method: 'simclr',
      epochs: 3,
      batchSize: 4,
      optimizer: { name: 'sgd', learningRate: 1e38, momentum: 0, weightDecay: 0 },
      schedule: { kind: 'constant' },
    });
    const run = workspace.services.runs.start(id);
    await expect(run.done).rejects.toThrow(/loss became (NaN|Infinity|-Infinity) at step \d+ \(epoch \d\); lower the learning rate/);
    expect(workspace.services.runs.get(run.runId)).toMatchObject({ status: 'failed' });
    expect(workspace.services.runs.get(run.runId).error).toMatch(/the last checkpoint is kept/);
  });

  it('rebuilds a deleted tensor cache from the dataset folder before training', async () => {
    const cache = workspace.services.ctx.store.datasets.get(1)!.cache_path!;
    rmSync(cache);
    const { id } = workspace.services.experiments.create({ datasetId: 1, method: 'simclr', epochs: 1, batchSize: 4 });
    const result = await workspace.services.runs.start(id).done;
    expect(result.status).toBe('completed');
    const rebuilt = workspace.services.ctx.store.datasets.get(1)!.cache_path!;
    expect(existsSync(rebuilt)).toBe(true);
  });

  it('refuses invalid experiments before a run exists, naming the field', () => {
    const runs = workspace.services.runs.list().length;
    expect(() => workspace.services.experiments.create({ datasetId: 1, method: 'simclr', methodOverrides: { temperature: -1 } })).toThrow(/methodOverrides.temperature: temperature must be > 0/);
    expect(() => workspace.services.experiments.create({ datasetId: 1, method: 'simclr', batchSize: 1 })).toThrow(/batchSize: batchSize must be ≥ 2/);
    expect(() => workspace.services.experiments.create({ datasetId: 1, method: 'simclr', batchSize: 4, augment: 'pirl-jigsaw' })).not.toThrow();
    expect(() => workspace.services.experiments.create({ datasetId: 1, method: 'moco', batchSize: 4, augment: 'no-such-preset' })).toThrow(/augment:/);
    expect(() => workspace.services.experiments.create({ datasetId: 1, method: 'simclr' })).toThrow(/batchSize: 64 is larger than the training split \(8 of the dataset's 12 images/);
    expect(() => workspace.services.experiments.create({ datasetId: 1, method: 'simclr', optimizer: { name: 'rmsprop', learningRate: 1 } as never })).toThrow(/optimizer/);
    expect(workspace.services.runs.list()).toHaveLength(runs);
  });

  it('an incompatible augmentation kind fails the run with a message naming both kinds', async () => {
    const { id } = workspace.services.experiments.create({ datasetId: 1, method: 'simclr', epochs: 1, batchSize: 4, augment: 'pirl-jigsaw' });
    await expect(workspace.services.runs.start(id).done).rejects.toThrow(/needs "pair" views but the augmentation spec makes "jigsaw" views/);
  });
});

describe('failure messages', () => {
  it('explain an out-of-memory failure and keep other messages as they are', async () => {
    const { explainFailure } = await import('../../../../src/main/services/runs');
    expect(explainFailure('RuntimeError: Aborted(OOM)')).toMatch(/ran out of memory .*lower the batch size.*last checkpoint is kept/);
    expect(explainFailure('Cannot enlarge memory arrays to size 4294967296 bytes')).toMatch(/ran out of memory/);
    expect(explainFailure('the loss became NaN at step 3')).toBe('the loss became NaN at step 3');
  });
});

describe('cross-view and temporal positives', () => {
  it('train with the next frames of a clip as positives, and are refused where the dataset has no clips', async () => {
    const { loadAugmentPreset } = await import('../../../../src/main/augment/presets');
    const t = tempDir();
    const clips = await makeImageFolder(join(t.dir, 'clips'), ['clip-a', 'clip-b'], 6);
    const reply = await workspace.services.datasets.import({ dir: clips, size: 16, valFraction: 0, seed: 0, groups: 'sequences' });
    const temporal = { ...loadAugmentPreset('simclr'), positives: { source: 'temporal' as const, maxFrameGap: 2 } };
    const { id } = workspace.services.experiments.create({ datasetId: reply.datasetId, method: 'simclr', epochs: 1, batchSize: 4, augment: temporal });
    const result = await workspace.services.runs.start(id).done;
    expect(result).toMatchObject({ status: 'completed', steps: 3 });
    expect(Number.isFinite(result.finalLoss)).toBe(true);

    const flat = workspace.services.experiments.create({ datasetId: 1, method: 'simclr', epochs: 1, batchSize: 4, augment: temporal });
    await expect(workspace.services.runs.start(flat.id).done).rejects.toThrow(/augment.positives.source: "temporal" positives need a dataset imported with --groups sequences/);
    const swav = workspace.services.experiments.create({ datasetId: reply.datasetId, method: 'swav', epochs: 1, batchSize: 4, augment: { ...loadAugmentPreset('swav-multicrop'), positives: { source: 'temporal', maxFrameGap: 2 } } });
    await expect(workspace.services.runs.start(swav.id).done).rejects.toThrow(/work with two-view methods/);
    t.cleanup();
  });
});
