/**
 * Pause/resume and kill -9/resume continue exactly: the final weights equal an uninterrupted run's
 * with the same seed, and no metric row is duplicated or lost.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../../../src/main/engine/checkpoints';
import { createServices, type Services } from '../../../../src/main/services/index';
import { Store } from '../../../../src/main/store/store';
import type { ExperimentInput } from '../../../../src/shared/schemas/experiment';
import { runCli } from '../../../helpers/cli';
import { makeImageFolder } from '../../../helpers/dataset';
import { tempDir } from '../../../helpers/temp';

let services: Services;
let home: string;
let cleanup: () => void;

const experiment = (method: ExperimentInput['method']): ExperimentInput => ({
  datasetId: 1,
  method,
  epochs: 2,
  batchSize: 4,
  seed: 7,
  checkpointEverySteps: 1,
  optimizer: { name: 'sgd', learningRate: 0.05, momentum: 0.9, weightDecay: 1e-4 },
});

function finalWeights(runId: number): Map<string, Float32Array> {
  const latest = services.ctx.store.checkpoints.latest(runId);
  if (!latest) throw new Error(`run ${runId} has no checkpoint`);
  return new Map(readCheckpoint(latest.path).method.map((a) => [a.name, a.data]));
}

function maxDifference(a: Map<string, Float32Array>, b: Map<string, Float32Array>): number {
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  let max = 0;
  for (const [name, x] of a) {
    const y = b.get(name)!;
    for (let i = 0; i < x.length; i += 1) max = Math.max(max, Math.abs((x[i] ?? 0) - (y[i] ?? 0)));
  }
  return max;
}

beforeAll(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  home = join(t.dir, 'home');
  services = createServices({ home, front: 'browser' });
  await services.datasets.import({ dir: await makeImageFolder(join(t.dir, 'shapes')), size: 16, valFraction: 0.34, seed: 0 });
});
afterAll(async () => {
  await services.close();
  cleanup();
});

describe('resuming runs', () => {
  it.each(['simclr', 'moco', 'byol', 'simsiam', 'barlow-twins', 'vicreg', 'dino', 'autoencoder'] as const)('%s: pause after step 3, resume, and end with the uninterrupted weights', async (method) => {
    const reference = services.runs.start(services.experiments.create(experiment(method)).id);
    await reference.done;

    const { id } = services.experiments.create(experiment(method));
    const paused = services.runs.start(id, {
      listener: {
        step: (e) => {
          if (e.step === 3) services.runs.stop(paused.runId, 'paused');
        },
      },
    });
    const first = await paused.done;
    expect(first.status).toBe('cancelled');
    expect(services.runs.get(paused.runId).status).toBe('paused');
    // The pause request crosses to the worker while it already trains on: it lands within a step.
    expect(first.steps).toBeGreaterThanOrEqual(3);
    expect(first.steps).toBeLessThanOrEqual(4);

    const resumed = await services.runs.resume(paused.runId).done;
    expect(resumed).toMatchObject({ status: 'completed', steps: 4, epochs: 2 });
    expect(maxDifference(finalWeights(reference.runId), finalWeights(paused.runId))).toBeLessThan(1e-5);
    const losses = services.ctx.store.metrics.series(paused.runId, 'loss');
    expect(losses.map((p) => p.step)).toEqual([1, 2, 3, 4]);
    const referenceLosses = services.ctx.store.metrics.series(reference.runId, 'loss').map((p) => p.value);
    losses.forEach((p, i) => expect(p.value).toBeCloseTo(referenceLosses[i]!, 5));
    if (method === 'dino') {
      // The preset freezes the last layer for epoch 0 (steps 1–2 here): the trainer tells the method
      // the epoch, so it is still in step 2 and trains from step 3 on; the resumed run, told epoch 1,
      // ends at the uninterrupted weights (above).
      const lastLayerAt = (step: number): Float32Array => {
        const row = services.ctx.store.checkpoints.list(paused.runId).filter((c) => c.step === step).at(-1);
        if (!row) throw new Error(`no checkpoint at step ${step}`);
        const entry = readCheckpoint(row.path).method.find((a) => a.name.startsWith('student/') && a.name.includes('head_last'));
        if (!entry) throw new Error('no student last layer in the checkpoint');
        return entry.data;
      };
      const largest = (a: Float32Array, b: Float32Array): number => a.reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] ?? 0))), 0);
      expect(largest(lastLayerAt(2), lastLayerAt(1))).toBe(0);
      expect(largest(lastLayerAt(3), lastLayerAt(2))).toBeGreaterThan(0);
    }
  });

  it('a run killed with SIGKILL is marked interrupted and resumes to the same weights', async () => {
    const { id } = services.experiments.create({ ...experiment('simclr'), epochs: 3 });
    const reference = services.runs.start(id);
    await reference.done;

    const t = tempDir();
    const configFile = join(t.dir, 'experiment.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(configFile, JSON.stringify({ ...experiment('simclr'), epochs: 3 }));
    const bin = fileURLToPath(new URL('../../../../bin/cwb.mjs', import.meta.url));
    const child = spawn(process.execPath, [bin, '--home', home, 'train', '--config', configFile, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Wait for a checkpoint past the first epoch, then kill without warning.
    const store = Store.open(join(home, 'workbench.sqlite'), { readonly: true });
    let runId = 0;
    await expect
      .poll(
        () => {
          const run = store.runs.list().at(-1);
          runId = run?.id ?? 0;
          return run && run.status === 'running' ? (store.checkpoints.latest(run.id)?.step ?? 0) : 0;
        },
        { timeout: 60_000, interval: 20 },
      )
      .toBeGreaterThanOrEqual(3);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    store.close();
    t.cleanup();

    expect(services.runs.recoverInterrupted()).toContain(runId);
    expect(services.runs.get(runId)).toMatchObject({ status: 'paused' });
    const r = await runCli(['--home', home, 'train', '--resume', String(runId), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ runId, status: 'completed', steps: 6 });
    expect(maxDifference(finalWeights(reference.runId), finalWeights(runId))).toBeLessThan(1e-5);
    expect(services.ctx.store.metrics.series(runId, 'loss').map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
