/** `experiments:save`: an experiment kept without a run, checked exactly as `runs:start` checks it. */
import { describe, expect, it } from 'vitest';
import { callHandlers } from '../../../src/main/services/index';
import { createDispatch } from '../../../src/main/services/dispatch';
import { useTestWorkspace } from '../../helpers/workspace';

const workspace = useTestWorkspace();

describe('experiments:save', () => {
  it('saves a valid experiment without starting a run, and lists it with no runs', async () => {
    const dispatch = createDispatch(callHandlers(workspace.services));
    const design = { name: 'for the cluster', datasetId: 1, method: 'moco', batchSize: 4, epochs: 30, methodOverrides: { queueSize: 16 } };
    const saved = await dispatch('experiments:save', design);
    expect(saved).toMatchObject({ ok: true, result: { id: expect.any(Number) as number } });
    const id = (saved as { ok: true; result: { id: number } }).result.id;
    expect(workspace.services.experiments.get(id)).toMatchObject({ ...design, seed: 0 });
    expect(workspace.services.experiments.list().find((e) => e.id === id)).toMatchObject({ name: 'for the cluster', method: 'moco', datasetId: 1, runs: 0 });
    expect(workspace.services.runs.list()).toEqual([]);
    const unnamed = await dispatch('experiments:save', { datasetId: 1, method: 'swav', batchSize: 4 });
    const second = (unnamed as { ok: true; result: { id: number } }).result.id;
    expect(second).toBeGreaterThan(id);
    expect(workspace.services.experiments.list().find((e) => e.id === second)).toMatchObject({ name: 'swav on dataset 1', runs: 0 });
    // The count is per experiment: a run of the first shows on it, not on the second (removed again for the tests below).
    const store = workspace.services.ctx.store;
    const runId = store.runs.insert(id);
    try {
      expect(workspace.services.experiments.list().filter((e) => e.id === id || e.id === second).map((e) => e.runs)).toEqual([1, 0]);
    } finally {
      store.runs.delete(runId);
    }
  });

  it.each([
    ['a batch larger than the dataset', { datasetId: 1, method: 'simclr', batchSize: 500 }, 'INVALID_INPUT', /batchSize: 500 is larger than the training split \(8 of the dataset's 12 images/],
    ['a batch that fits the dataset but not its training split', { datasetId: 1, method: 'simclr', batchSize: 10 }, 'INVALID_INPUT', /batchSize: 10 is larger than the training split \(8 of the dataset's 12 images; the rest are held out for validation\)/],
    ['an unknown dataset', { datasetId: 99, method: 'simclr', batchSize: 4 }, 'NOT_FOUND', /datasetId: no dataset with id 99/],
    ['an unknown method', { datasetId: 1, method: 'mae', batchSize: 4 }, 'INVALID_INPUT', /method/],
    ['an unknown field', { datasetId: 1, method: 'simclr', batchSize: 4, learningRate: 0.1 }, 'INVALID_INPUT', /learningRate/],
    ['a bad method override', { datasetId: 1, method: 'moco', batchSize: 4, methodOverrides: { momentum: 2 } }, 'INVALID_INPUT', /methodOverrides\.momentum/],
    ['an augmentation preset that does not exist', { datasetId: 1, method: 'simclr', batchSize: 4, augment: 'never-saved' }, 'NOT_FOUND', /augment: no augmentation preset "never-saved"/],
  ])('refuses %s with the error runs:start gives, and saves nothing', async (_what, design, code, message) => {
    const dispatch = createDispatch(callHandlers(workspace.services));
    const before = workspace.services.experiments.list().length;
    const saved = await dispatch('experiments:save', design);
    expect(saved).toMatchObject({ ok: false, error: { code, message: expect.stringMatching(message) as string } });
    // The same refusal, word for word (a schema error names the channel it came through).
    const started = JSON.stringify(await dispatch('runs:start', design)).replaceAll('runs:start', 'experiments:save');
    expect(JSON.parse(started)).toEqual(saved);
    expect(workspace.services.experiments.list()).toHaveLength(before);
    expect(workspace.services.runs.list()).toEqual([]);
  });
});
