/** `cwb eval finetune`: the SimCLR semi-supervised protocol through the CLI on the tiny two-class dataset (wasm). */
import { describe, expect, it } from 'vitest';
import { cwbErrorLine, runCli, useCliWorkspace } from '../../../helpers/cli';

const ws = useCliWorkspace();

async function trainRun(): Promise<number> {
  const r = await runCli(['--home', ws.home, 'train', '--dataset', '1', '--method', 'byol', '--epochs', '1', '--batch-size', '4', '--backend', 'wasm', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { runId: number }).runId;
}

const finetune = (runId: number, ...extra: string[]) =>
  runCli(['--home', ws.home, 'eval', 'finetune', '--run', String(runId), '--backend', 'wasm', '--json', ...extra]);

describe('cwb eval finetune', () => {
  it('at 10 % labels prints { runId, labelFraction, accuracy }, the same for the same seed', async () => {
    const runId = await trainRun();
    const a = await finetune(runId, '--label-fraction', '0.1', '--epochs', '3');
    expect(a.code, a.stderr).toBe(0);
    const reply = JSON.parse(a.stdout) as Record<string, number>;
    expect(Object.keys(reply).sort()).toEqual(['accuracy', 'labelFraction', 'runId']);
    expect(reply).toMatchObject({ runId, labelFraction: 0.1 });
    expect(reply['accuracy']).toBeGreaterThanOrEqual(0);
    expect(reply['accuracy']).toBeLessThanOrEqual(1);
    const b = await finetune(runId, '--label-fraction', '0.1', '--epochs', '3');
    expect(JSON.parse(b.stdout)).toEqual(reply);
  });

  it('learns the separable classes with all labels, and refuses a bad fraction', async () => {
    const runId = await trainRun();
    const all = await finetune(runId, '--label-fraction', '1', '--epochs', '30');
    expect(all.code, all.stderr).toBe(0);
    expect((JSON.parse(all.stdout) as { accuracy: number }).accuracy).toBeGreaterThanOrEqual(0.75);
    const bad = await finetune(runId, '--label-fraction', '1.5');
    expect(bad.code).toBe(2);
    expect(cwbErrorLine(bad.stderr)).toMatch(/labelFraction must be in \(0, 1\]/);
    const missing = await finetune(999);
    expect(missing.code).not.toBe(0);
  });

  it('with --baselines prints each score beside random init and raw pixels (kNN, linear, fine-tune)', async () => {
    const runId = await trainRun();
    const withRefs = async (...args: string[]) => {
      const r = await runCli(['--home', ws.home, 'eval', ...args, '--run', String(runId), '--backend', 'wasm', '--baselines', '--json']);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { accuracy: number; baselines: { randomInit: number; rawPixels: number } };
    };
    const scores = [await withRefs('knn'), await withRefs('linear', '--epochs', '20'), await withRefs('finetune', '--label-fraction', '1', '--epochs', '3')];
    for (const s of scores) {
      expect(Object.keys(s.baselines).sort()).toEqual(['randomInit', 'rawPixels']);
      for (const v of [s.baselines.randomInit, s.baselines.rawPixels]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    }
    // Colour separates the tiny dataset's two classes: every protocol on raw pixels finds it.
    expect(scores[1]!.baselines.rawPixels).toBeGreaterThan(0.75);
    const badK = await runCli(['--home', ws.home, 'eval', 'knn', '--run', String(runId), '--k', '5', '--baselines', '--json']);
    expect(badK.code).not.toBe(0);
    expect(cwbErrorLine(badK.stderr)).toMatch(/--baselines are computed at the experiment's k = 200/);
  });
});
