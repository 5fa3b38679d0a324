/** Issue 17 §3 in Chromium: CSV, JSON and TensorBoard downloads from the run page. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { at, executable, useWorkbench } from './app';

describe.skipIf(!executable)('metrics downloads', () => {
  let runId = 0;
  let steps = 0;
  const wb = useWorkbench(async ({ cli, dataset }) => {
    await cli(['dataset', 'import', dataset, '--size', '16', '--val-fraction', '0.25']);
    const r = await cli(['train', '--dataset', '1', '--method', 'simclr', '--batch-size', '4', '--epochs', '1']);
    runId = r.runId as number;
    steps = r.steps as number;
  });

  async function download(format: string): Promise<{ name: string; bytes: Buffer }> {
    const [file] = await Promise.all([wb.page.waitForEvent('download'), wb.page.getByTestId(`run-download-${format}`).click()]);
    const path = await file.path();
    return { name: file.suggestedFilename(), bytes: readFileSync(path) };
  }

  it('saves the metrics as CSV, JSON and a TensorBoard event file', async () => {
    await wb.page.goto(at(wb.url, `/runs?run=${runId}`));
    await wb.page.getByTestId('run-details').waitFor();
    const csv = await download('csv');
    expect(csv.name).toBe(`run-${runId}-metrics.csv`);
    const rows = csv.bytes.toString().trim().split('\n');
    expect(rows[0]).toBe('step,epoch,name,value,wall_time');
    expect(rows.filter((r) => r.split(',')[2] === 'loss')).toHaveLength(steps);
    const json = await download('json');
    expect((JSON.parse(json.bytes.toString()) as { metrics: { loss: unknown[] } }).metrics.loss).toHaveLength(steps);
    const tb = await download('tensorboard');
    expect(tb.name).toMatch(/^events\.out\.tfevents\.\d+\.cwb-run-\d+$/);
    // First record: 8-byte length, then the file_version Event.
    const length = Number(tb.bytes.readBigUInt64LE(0));
    expect(tb.bytes.subarray(12, 12 + length).toString('latin1')).toContain('brain.Event:2');
    await wb.screenshot('metrics-downloads');
    expect(wb.problems).toEqual([]);
  });
});
