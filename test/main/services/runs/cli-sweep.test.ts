/** `cwb sweep`: a 2×2 grid on the tiny two-class dataset through the CLI (wasm), and refusals before any run. */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../../../src/main/store/store';
import type { SweepRun } from '../../../../src/shared/schemas/sweep';
import { cwbErrorLine, runCli, useCliWorkspace } from '../../../helpers/cli';

const ws = useCliWorkspace();

function sweepFile(name: string, sweep: unknown): string {
  const file = join(ws.root, name);
  writeFileSync(file, JSON.stringify(sweep));
  return file;
}

describe('cwb sweep', () => {
  it('runs a 2×2 grid in order and reports every run and the best one', async () => {
    const file = sweepFile('grid.json', {
      name: 'tiny grid',
      experiment: { datasetId: 1, method: 'simclr', epochs: 1, batchSize: 4 },
      fields: { temperature: [0.1, 0.5], learningRate: [0.001, 0.01] },
    });
    const r = await runCli([
      '--home',
      ws.home,
      'sweep',
      '--config',
      file,
      '--backend',
      'wasm',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      sweepId: number;
      status: string;
      fields: string[];
      runs: SweepRun[];
      best: SweepRun | null;
    };
    expect(out).toMatchObject({
      sweepId: 1,
      status: 'completed',
      fields: ['temperature', 'learningRate'],
    });
    expect(out.runs.map((x) => x.settings)).toEqual([
      { temperature: 0.1, learningRate: 0.001 },
      { temperature: 0.1, learningRate: 0.01 },
      { temperature: 0.5, learningRate: 0.001 },
      { temperature: 0.5, learningRate: 0.01 },
    ]);
    expect(new Set(out.runs.map((x) => x.runId)).size).toBe(4);
    for (const run of out.runs) {
      expect(run.status).toBe('completed');
      expect(Number.isFinite(run.finalLoss)).toBe(true);
      expect(run.bestKnnAccuracy).toBeGreaterThanOrEqual(0);
      expect(run.bestKnnAccuracy).toBeLessThanOrEqual(1);
    }
    const top = Math.max(...out.runs.map((x) => x.bestKnnAccuracy ?? -1));
    expect(out.best?.bestKnnAccuracy).toBe(top);
    // Each run trained the experiment with its own settings laid over the base.
    const store = Store.open(join(ws.home, 'workbench.sqlite'), { readonly: true });
    try {
      for (const run of out.runs) {
        const experiment = JSON.parse(store.experiments.get(run.experimentId!)!.config_json) as {
          methodOverrides: Record<string, unknown>;
          optimizer: { learningRate: number };
        };
        expect(experiment.methodOverrides['temperature']).toBe(run.settings['temperature']);
        expect(experiment.optimizer.learningRate).toBe(run.settings['learningRate']);
      }
    } finally {
      store.close();
    }
    // Rewritten after every run through a temp file: only the record is left.
    expect(readdirSync(join(ws.home, 'sweeps'))).toEqual(['1.json']);
  });

  it('refuses an unknown field, or a point its method cannot take, before training anything', async () => {
    const unknown = await runCli([
      '--home',
      ws.home,
      'sweep',
      '--config',
      sweepFile('bad.json', {
        experiment: { datasetId: 1, method: 'simclr', epochs: 1 },
        fields: { temprature: [0.1] },
      }),
    ]);
    expect(unknown.code).toBe(2);
    expect(cwbErrorLine(unknown.stderr)).toMatch(/"temprature" is not a sweep field/);
    const point = await runCli([
      '--home',
      ws.home,
      'sweep',
      '--config',
      sweepFile('point.json', {
        experiment: { datasetId: 1, method: 'simclr', epochs: 1, batchSize: 4 },
        fields: { method: ['simclr', 'byol'], temperature: [0.2] },
      }),
    ]);
    expect(point.code).toBe(2);
    expect(cwbErrorLine(point.stderr)).toMatch(/sweep run 2 .*byol.*temperature/);
    expect(existsSync(join(ws.home, 'sweeps', '2.json'))).toBe(false);
  });
});
