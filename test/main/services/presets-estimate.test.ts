import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAugmentPreset } from '../../../src/main/augment/presets';
import { callHandlers } from '../../../src/main/services/index';
import { createDispatch } from '../../../src/main/services/dispatch';
import { useTestWorkspace } from '../../helpers/workspace';

const workspace = useTestWorkspace();

describe('saved augmentation presets', () => {
  it('are saved in the workspace, listed, previewed and trained with by name', async () => {
    const dispatch = createDispatch(callHandlers(workspace.services));
    const spec = { ...loadAugmentPreset('simclr'), name: 'Mild crops' };
    const saved = await dispatch('presets:save-augment', { name: 'mild-crops', spec });
    expect(saved).toMatchObject({ ok: true });
    expect(existsSync(join(workspace.services.ctx.home, 'presets', 'augment', 'mild-crops.json'))).toBe(true);
    const list = await dispatch('presets:list', {});
    const names = (list as { ok: true; result: { augment: { name: string; user?: boolean }[] } }).result.augment;
    expect(names.find((p) => p.name === 'mild-crops')).toMatchObject({ user: true });
    expect(names.find((p) => p.name === 'simclr')).toMatchObject({ user: false });
    const preview = await workspace.services.previews.create({ datasetId: 1, augment: 'mild-crops', seed: 0, pairs: 2, stepByStep: false });
    expect(preview.items).toHaveLength(2);
    const { id } = workspace.services.experiments.create({ datasetId: 1, method: 'simclr', batchSize: 4, epochs: 1, augment: 'mild-crops' });
    expect((await workspace.services.runs.start(id).done).status).toBe('completed');
  });

  it('refuse built-in names, bad names, invalid specs and silent overwrites', async () => {
    const dispatch = createDispatch(callHandlers(workspace.services));
    const spec = loadAugmentPreset('simclr');
    expect(await dispatch('presets:save-augment', { name: 'simclr', spec })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await dispatch('presets:save-augment', { name: '../evil', spec })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await dispatch('presets:save-augment', { name: 'x', spec: { kind: 'pair', views: [] } })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await dispatch('presets:save-augment', { name: 'twice', spec })).toMatchObject({ ok: true });
    expect(await dispatch('presets:save-augment', { name: 'twice', spec })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await dispatch('presets:save-augment', { name: 'twice', spec, overwrite: true })).toMatchObject({ ok: true });
    expect(() => workspace.services.experiments.create({ datasetId: 1, method: 'simclr', batchSize: 4, augment: 'never-saved' })).toThrow(/augment: no augmentation preset "never-saved"/);
  });
});

describe('experiment estimates', () => {
  it('measure seconds per epoch and memory with real steps', async () => {
    const estimate = await workspace.services.experiments.estimate({ datasetId: 1, method: 'moco', batchSize: 4 });
    expect(estimate.stepsPerEpoch).toBe(2);
    expect(estimate.secondsPerStep).toBeGreaterThan(0);
    expect(estimate.secondsPerEpoch).toBeCloseTo(2 * estimate.secondsPerStep, 9);
    expect(estimate.tensorMB).toBeGreaterThan(0);
    expect(estimate.peakRssMB).toBeGreaterThan(estimate.tensorMB);
  });
});
