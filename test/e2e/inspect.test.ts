/**
 * Inspecting trained runs in Chromium against `cwb serve`: a short SwAV run started from the
 * designer, overlaid with a SimCLR run trained beforehand through the CLI, its prototypes and
 * gallery, embeddings and neighbours, and an ONNX export that comes back as an imported encoder with
 * a kNN score.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  chooseHalves,
  executable,
  importFolder,
  makeHalves,
  trainRun,
  useApp,
} from './app';

describe.skipIf(!executable)('inspecting runs', () => {
  let simclrRun: number;
  const app = useApp(async (ws) => {
    const datasetId = await importFolder(ws.home, await makeHalves(ws));
    simclrRun = await trainRun(ws, {
      datasetId,
      method: 'simclr',
      name: 'e2e simclr',
      epochs: 1,
      batchSize: 4,
    });
  });

  it('trains a short SwAV run and inspects its prototypes, embeddings and export', async () => {
    const { page } = app;
    const exportsDir = join(app.dir, 'exports');
    await page.getByTestId('nav-experiments').click();
    await chooseHalves(page, 'designer-dataset');
    await page.getByTestId('designer-method').selectOption('swav');
    await page
      .getByTestId('method-notes')
      .getByText('prototypes (clusters) replace pairwise negatives')
      .waitFor();
    await page.getByTestId('designer-name').fill('e2e swav');
    await page.getByTestId('field-batchSize').fill('4');
    await page.getByTestId('field-epochs').fill('2');
    await page.getByTestId('designer-start').click();
    await page.waitForURL(/#\/runs\?run=\d+$/);
    const runId = Number(/run=(\d+)/.exec(page.url())![1]);
    await expect
      .poll(() => page.getByTestId('run-status').innerText(), { timeout: 120_000 })
      .toBe('completed');
    await page.getByTestId('run-summary').waitFor();
    // Overlay the SwAV run with the SimCLR run.
    await page.getByTestId(`compare-${runId}`).check();
    await page.getByTestId(`compare-${simclrRun}`).check();
    await page.getByTestId('run-compare').locator('canvas').first().waitFor();
    await app.screenshot('runs-compare');

    await page.getByTestId('nav-prototypes').click();
    await expect.poll(() => page.getByTestId('prototypes-run').inputValue()).toBe(String(runId));
    await page.getByTestId('prototype-usage').locator('canvas').first().waitFor();
    await page.getByTestId('prototype-entropy').locator('canvas').first().waitFor();
    await page.getByTestId('prototype-heatmap').locator('canvas').first().waitFor();
    await page.getByText(/\d+ of \d+ prototypes in use/).waitFor();
    await page.getByTestId('prototypes-choose').selectOption({ index: 1 });
    await expect
      .poll(() => page.getByTestId('prototype-gallery').locator('img').count())
      .toBeGreaterThan(0);
    await app.screenshot('prototypes');

    await page.getByTestId('nav-embeddings').click();
    await page.getByTestId('embeddings-run').selectOption(String(runId));
    await page.getByTestId('embeddings-project').click();
    await page
      .getByTestId('embeddings-scatter')
      .locator('canvas')
      .first()
      .waitFor({ timeout: 60_000 });
    await page.getByText(/\d+ images · PCA of \d+-d features/).waitFor();
    // The keyboard-reachable alternative to clicking a point gives the same neighbours.
    await page.getByTestId('embeddings-image').selectOption({ index: 1 });
    await page
      .getByTestId('neighbour-grid')
      .getByText(/cos -?\d/)
      .first()
      .waitFor();
    await app.screenshot('embeddings');

    await page.getByTestId('nav-export').click();
    await page.getByTestId('export-run').selectOption(String(runId));
    await page.getByTestId('export-format-onnx').check();
    await page.getByTestId('export-dir').fill(join(exportsDir, 'swav-onnx'));
    await page.getByTestId('export-submit').click();
    await page.getByTestId('export-result').getByText('model.onnx').waitFor({ timeout: 120_000 });
    await page
      .getByTestId('export-history')
      .getByRole('cell', { name: 'onnx', exact: true })
      .waitFor();
    // Round trip: the exported ONNX file comes back as an imported encoder and gets a kNN score.
    await page.getByTestId('encoder-file').fill(join(exportsDir, 'swav-onnx', 'model.onnx'));
    await page.getByTestId('encoder-name').fill('swav round trip');
    await page.getByTestId('encoder-import').click();
    await page
      .getByTestId('encoder-table')
      .getByText('swav round trip')
      .waitFor({ timeout: 60_000 });
    await page.getByTestId('encoder-dataset').selectOption({ label: 'halves' });
    await page.getByTestId('encoder-table').getByRole('button', { name: 'Evaluate' }).click();
    await expect
      .poll(() => page.getByTestId('encoder-table').innerText(), { timeout: 60_000 })
      .toMatch(/\d+\.\d% \(k=\d+\)/);
    await app.screenshot('export');
    expect(app.problems).toEqual([]);
  });
});
