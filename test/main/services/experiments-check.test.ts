/**
 * `experiments:warnings` and `experiments:save` through dispatch (issue 17 §1), and the SwAV crop
 * counts: the designer's reply, the run's pretext preview and training all use the method's counts.
 */
import { describe, expect, it } from 'vitest';
import { callHandlers } from '../../../src/main/services/index';
import { createDispatch } from '../../../src/main/services/dispatch';
import type { AugmentSpec } from '../../../src/shared/schemas/augment';
import { useTestWorkspace } from '../../helpers/workspace';

const workspace = useTestWorkspace();

describe('experiment warnings', () => {
  it('experiments:save replies with the warnings and still saves', async () => {
    const dispatch = createDispatch(callHandlers(workspace.services));
    const saved = await dispatch('experiments:save', { datasetId: 1, method: 'moco', batchSize: 4, methodOverrides: { queueSize: 2 } });
    expect(saved).toMatchObject({
      ok: true,
      result: { id: expect.any(Number) as number, warnings: [{ field: 'methodOverrides.queueSize', message: expect.stringMatching(/smaller than one batch/) as string }] },
    });
    const clean = await dispatch('experiments:save', { datasetId: 1, method: 'simclr', batchSize: 4 });
    expect(clean).toMatchObject({ ok: true, result: { warnings: [] } });
  });

  it('experiments:warnings lists the problems and the views training builds (SwAV: the method’s crop counts)', async () => {
    const dispatch = createDispatch(callHandlers(workspace.services));
    const reply = await dispatch('experiments:warnings', { datasetId: 1, method: 'swav', batchSize: 4, epochs: 2 });
    expect(reply.ok).toBe(true);
    const { warnings, views } = (reply as { ok: true; result: { warnings: { field: string }[]; views: unknown[] } }).result;
    // 8 training images, batch 4 → 4 steps < 300 frozen steps; 100 prototypes > 8 images.
    expect(warnings.map((w) => w.field).sort()).toEqual(['methodOverrides.freezePrototypesSteps', 'methodOverrides.prototypes']);
    // The swav-multicrop preset says 6 local crops; the method preset says 4 and training uses 4.
    expect(views).toEqual([
      { name: 'global', count: 2, size: 16 },
      { name: 'local', count: 4, size: 7 },
    ]);
    const refused = await dispatch('experiments:warnings', { datasetId: 1, method: 'simclr', batchSize: 500 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('the run’s pretext preview shows the crops training uses, not the preset’s', async () => {
    const { id } = workspace.services.experiments.create({ datasetId: 1, method: 'swav', batchSize: 4, epochs: 0, methodOverrides: { smallCrops: 3, prototypes: 4 } });
    const run = workspace.services.runs.start(id);
    await run.done;
    const preview = workspace.services.ctx.store.previews.list({ runId: run.runId })[0];
    expect(preview).toBeDefined();
    const spec = JSON.parse(preview!.spec_json) as AugmentSpec;
    expect(spec.views.map((v) => [v.name, v.count])).toEqual([
      ['global', 2],
      ['local', 3],
    ]);
  });

  it('Save without running, then Start run: one experiment of that name with one run, not two experiments', async () => {
    const dispatch = createDispatch(callHandlers(workspace.services));
    const design = { name: 'saved then started', datasetId: 1, method: 'simclr', batchSize: 4, epochs: 0 };
    const saved = (await dispatch('experiments:save', design)) as { ok: true; result: { id: number } };
    const started = (await dispatch('runs:start', design)) as { ok: true; result: { runId: number; experimentId: number } };
    expect(started.result.experimentId).toBe(saved.result.id);
    const named = workspace.services.experiments.list().filter((e) => e.name === 'saved then started');
    expect(named).toHaveLength(1);
    // A changed design under the same name is a new experiment.
    const changed = (await dispatch('experiments:save', { ...design, batchSize: 6 })) as { ok: true; result: { id: number } };
    expect(changed.result.id).not.toBe(saved.result.id);
    // Let the started run finish before the workspace closes.
    for (let i = 0; i < 200 && ['queued', 'running'].includes(workspace.services.runs.get(started.result.runId).status); i++) await new Promise((r) => setTimeout(r, 100));
  });
});
