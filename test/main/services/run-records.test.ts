/** runs:annotate, runs:delete and runs:metrics-file through dispatch (issue 17 §2–3). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { callHandlers } from '../../../src/main/services/index';
import { createDispatch } from '../../../src/main/services/dispatch';
import { useTestWorkspace } from '../../helpers/workspace';

const workspace = useTestWorkspace();

async function trainedRun(): Promise<number> {
  const { id } = workspace.services.experiments.create({ datasetId: 1, method: 'simclr', batchSize: 4, epochs: 1, name: `records ${Math.random()}` });
  const run = workspace.services.runs.start(id);
  await run.done;
  return run.runId;
}

describe('run records', () => {
  it('renames, tags and annotates a run; an empty name gives back the experiment’s', async () => {
    const dispatch = createDispatch(callHandlers(workspace.services));
    const runId = await trainedRun();
    const named = await dispatch('runs:annotate', { runId, name: '  baseline  ', tags: ['bs4', 'bs4', 'simclr'], note: 'first try' });
    expect(named).toMatchObject({ ok: true, result: { id: runId, name: 'baseline', tags: ['bs4', 'simclr'], note: 'first try' } });
    const listed = await dispatch('runs:list', {});
    expect((listed as { ok: true; result: { id: number; name: string }[] }).result.find((r) => r.id === runId)?.name).toBe('baseline');
    const cleared = await dispatch('runs:annotate', { runId, name: '' });
    expect(cleared).toMatchObject({ ok: true, result: { name: null, tags: ['bs4', 'simclr'], note: 'first try' } });
    expect(await dispatch('runs:annotate', { runId, tags: [''] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/a tag cannot be empty/) as string } });
    expect(await dispatch('runs:annotate', { runId: 999, note: 'x' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('serves the metrics as a downloadable file in each format', async () => {
    const dispatch = createDispatch(callHandlers(workspace.services));
    const runId = await trainedRun();
    const csv = (await dispatch('runs:metrics-file', { runId, format: 'csv' })) as { ok: true; result: { fileName: string; mimeType: string; base64: string } };
    expect(csv.result).toMatchObject({ fileName: `run-${runId}-metrics.csv`, mimeType: 'text/csv' });
    expect(Buffer.from(csv.result.base64, 'base64').toString().split('\n')[0]).toBe('step,epoch,name,value,wall_time');
    const tb = (await dispatch('runs:metrics-file', { runId, format: 'tensorboard' })) as { ok: true; result: { fileName: string; base64: string } };
    expect(tb.result.fileName).toMatch(/^events\.out\.tfevents\./);
    expect(Buffer.from(tb.result.base64, 'base64').length).toBeGreaterThan(100);
  });

  it('deletes a finished run with its metrics and checkpoint files; refuses one that is running', async () => {
    const dispatch = createDispatch(callHandlers(workspace.services));
    const runId = await trainedRun();
    const checkpoints = workspace.services.ctx.store.checkpoints.list(runId);
    expect(checkpoints.length).toBeGreaterThan(0);
    expect(checkpoints.every((c) => existsSync(c.path))).toBe(true);
    const deleted = await dispatch('runs:delete', { runId });
    expect(deleted).toMatchObject({ ok: true, result: { runId, checkpointsRemoved: checkpoints.length } });
    expect(checkpoints.some((c) => existsSync(c.path))).toBe(false);
    expect(existsSync(join(workspace.home, 'checkpoints', `run-${runId}`))).toBe(false);
    expect(workspace.services.ctx.store.metrics.all(runId)).toEqual([]);
    expect(await dispatch('runs:get', { runId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    const { id } = workspace.services.experiments.create({ datasetId: 1, method: 'simclr', batchSize: 4, epochs: 3, name: 'busy' });
    const busy = workspace.services.runs.start(id);
    expect(await dispatch('runs:delete', { runId: busy.runId })).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/cancel it before deleting/) as string } });
    workspace.services.runs.stop(busy.runId, 'cancelled');
    await busy.done.catch(() => undefined);
  });
});

describe('runs:metrics of a running run', () => {
  it('includes the steps not yet written to the database (no gap when a view comes back to the run)', async () => {
    const { id } = workspace.services.experiments.create({ datasetId: 1, method: 'simclr', batchSize: 4, epochs: 3, checkpointEverySteps: 100, name: 'live series' });
    const seen: number[][] = [];
    const run = workspace.services.runs.start(id, {
      listener: {
        step: (e) => {
          // Nothing is flushed before 25 steps or a checkpoint: the database alone has no loss points yet.
          if (e.step === 1) seen.push(workspace.services.ctx.store.metrics.series(run.runId, 'loss').map((p) => p.step));
          if (e.step === 3) seen.push(workspace.services.runs.metrics(run.runId, ['loss'])['loss']!.map((p) => p.step));
        },
      },
    });
    await run.done;
    expect(seen[0]).toEqual([]);
    expect(seen[1]).toEqual([1, 2, 3]);
  });
});

describe('runs:baselines', () => {
  it('gives chance, random-init and raw-pixel kNN, computed once per dataset × encoder and cached', async () => {
    const dispatch = createDispatch(callHandlers(workspace.services));
    const runId = await trainedRun();
    const engine = workspace.services.ctx.engine;
    const calls: string[] = [];
    const original = engine.call.bind(engine);
    engine.call = ((method: string, ...rest: unknown[]) => {
      calls.push(method);
      return (original as (m: string, ...r: unknown[]) => unknown)(method, ...rest);
    }) as typeof engine.call;
    try {
      const first = (await dispatch('runs:baselines', { runId })) as { ok: true; result: { chance: number; randomInit: number; rawPixels: number; classes: number } };
      expect(first.ok).toBe(true);
      expect(first.result).toMatchObject({ runId, classes: 2, chance: 0.5, k: 200 });
      for (const v of [first.result.randomInit, first.result.rawPixels]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
      expect(calls.filter((c) => c === 'evalKnn')).toHaveLength(2);
      // The tiny dataset's colours separate its two classes: raw pixels are a strong baseline here.
      expect(first.result.rawPixels).toBeGreaterThan(0.5);
      const again = await dispatch('runs:baselines', { runId: await trainedRun() });
      expect(again).toEqual({ ok: true, result: { ...first.result, runId: (again as { result: { runId: number } }).result.runId } });
      expect(calls.filter((c) => c === 'evalKnn')).toHaveLength(2);
    } finally {
      engine.call = original;
    }
  });
});
