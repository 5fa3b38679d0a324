/** Issue 17 §2 in Chromium: the kNN chart of a run carries chance, random-init and raw-pixel reference lines. */
import { describe, expect, it } from 'vitest';
import { at, executable, useWorkbench } from './app';

describe.skipIf(!executable)('kNN reference lines', () => {
  let runId = 0;
  const wb = useWorkbench(async ({ cli, dataset }) => {
    await cli(['dataset', 'import', dataset, '--size', '16', '--val-fraction', '0.25']);
    runId = (await cli(['train', '--dataset', '1', '--method', 'simclr', '--batch-size', '4', '--epochs', '2'])).runId as number;
  });

  it('draws chance (1/classes), random init and raw pixels, and reads them under the chart', async () => {
    const { page } = wb;
    await page.goto(at(wb.url, `/runs?run=${runId}`));
    const refs = page.getByTestId('baselines-knn');
    await refs.waitFor({ timeout: 60_000 });
    const text = (await refs.textContent()) ?? '';
    expect(text).toMatch(/chance 50\.0%/);
    expect(text).toMatch(/random init \d+\.\d%/);
    expect(text).toMatch(/raw pixels \d+\.\d%/);
    // Log y, x as epoch and smoothing change the view without errors.
    await page.getByTestId('chart-x').selectOption('epoch');
    await page.getByTestId('chart-log').check();
    await page.getByTestId('chart-smoothing').fill('0.6');
    await wb.screenshot('reference-lines');
    expect(wb.problems).toEqual([]);
  });
});
