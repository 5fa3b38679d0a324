/** `cwb runs list | show | metrics` against a real trained run (issue 17 §3). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventType } from '../../../src/main/export/tensorboard';
import { cwbErrorLine, runCli, useCliWorkspace } from '../../helpers/cli';

const ws = useCliWorkspace();

describe('cwb runs', () => {
  it('lists, shows and exports the metrics of a run as CSV, JSON and a TensorBoard event file', async () => {
    const empty = await runCli(['--home', ws.home, 'runs', 'list']);
    expect(empty.stdout).toMatch(/no runs yet/);
    const trained = await runCli(['--home', ws.home, 'train', '--dataset', '1', '--method', 'simclr', '--batch-size', '4', '--epochs', '2', '--json']);
    expect(trained.code, trained.stderr).toBe(0);
    const { runId, steps } = JSON.parse(trained.stdout) as { runId: number; steps: number };

    const list = await runCli(['--home', ws.home, 'runs', 'list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as { runs: unknown[] }).runs).toEqual([expect.objectContaining({ id: runId, method: 'simclr', status: 'completed' })]);

    const show = await runCli(['--home', ws.home, 'runs', 'show', '--run', String(runId), '--json']);
    const shown = JSON.parse(show.stdout) as { id: number; checkpoints: number; metrics: string[]; experiment: { batchSize: number } };
    expect(shown).toMatchObject({ id: runId, experiment: { batchSize: 4 } });
    expect(shown.checkpoints).toBeGreaterThan(0);
    expect(shown.metrics).toEqual(expect.arrayContaining(['loss', 'knn_accuracy', 'epoch_loss']));

    const csv = await runCli(['--home', ws.home, 'runs', 'metrics', '--run', String(runId), '--format', 'csv']);
    expect(csv.code, csv.stderr).toBe(0);
    const rows = csv.stdout.trim().split('\n');
    expect(rows[0]).toBe('step,epoch,name,value,wall_time');
    const losses = rows.slice(1).map((r) => r.split(',')).filter((c) => c[2] === 'loss');
    expect(losses).toHaveLength(steps);
    for (const c of losses) {
      expect(Number.isFinite(Number(c[3]))).toBe(true);
      // Logged now, in seconds since the epoch.
      expect(Math.abs(Number(c[4]) - Date.now() / 1000)).toBeLessThan(3600);
    }

    const json = await runCli(['--home', ws.home, 'runs', 'metrics', '--run', String(runId), '--format', 'json']);
    const parsed = JSON.parse(json.stdout) as { runId: number; metrics: Record<string, { step: number; value: number }[]> };
    expect(parsed.runId).toBe(runId);
    expect(parsed.metrics['loss']!.map((p) => String(p.value))).toEqual(losses.map((c) => c[3]));

    const out = join(ws.root, 'tb');
    const tb = await runCli(['--home', ws.home, 'runs', 'metrics', '--run', String(runId), '--format', 'tensorboard', '--out', out, '--json']);
    expect(tb.code, tb.stderr).toBe(0);
    const files = readdirSync(out);
    expect(files).toEqual([expect.stringMatching(/^events\.out\.tfevents\.\d+\.cwb-run-\d+$/)]);
    expect((JSON.parse(tb.stdout) as { file: string }).file).toBe(join(out, files[0]!));
    // Walk the frames and count the step events (CRCs are checked in test/main/export/tensorboard.test.ts).
    const bytes = readFileSync(join(out, files[0]!));
    const tags = new Set<string>();
    let at = 0;
    let events = 0;
    while (at < bytes.length) {
      const length = Number(bytes.readBigUInt64LE(at));
      const event = EventType.toObject(EventType.decode(bytes.subarray(at + 12, at + 12 + length))) as { summary?: { value: { tag: string }[] } };
      for (const v of event.summary?.value ?? []) tags.add(v.tag);
      events += 1;
      at += 16 + length;
    }
    expect(events).toBe(1 + steps);
    expect([...tags]).toEqual(expect.arrayContaining(['loss', 'learning_rate', 'knn_accuracy']));
  });

  it('refuses a TensorBoard export without --out, an unknown format and an unknown run, with one line', async () => {
    const noOut = await runCli(['--home', ws.home, 'runs', 'metrics', '--run', '1', '--format', 'tensorboard']);
    expect(noOut.code).not.toBe(0);
    expect(cwbErrorLine(noOut.stderr)).toMatch(/give --out <dir>/);
    const badFormat = await runCli(['--home', ws.home, 'runs', 'metrics', '--run', '1', '--format', 'xlsx']);
    expect(cwbErrorLine(badFormat.stderr)).toMatch(/format must be one of csv, json, tensorboard/);
    const missing = await runCli(['--home', ws.home, 'runs', 'show', '--run', '99']);
    expect(missing.code).not.toBe(0);
    expect(cwbErrorLine(missing.stderr)).toMatch(/no run with id 99/);
  });
});
