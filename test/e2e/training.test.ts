/**
 * Designing and training in Chromium against `cwb serve`: a SimCLR experiment on a dataset imported
 * beforehand (inline errors, estimate, saved and exported as a PyTorch project), its loss and kNN
 * points reaching the charts, then pause, resume and cancel from the Runs view.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseHalves, executable, importFolder, makeHalves, useApp } from './app';

describe.skipIf(!executable)('designing and training a run', () => {
  const app = useApp(async (ws) => {
    await importFolder(ws.home, await makeHalves(ws));
  });

  it('designs a SimCLR experiment, starts it and sees loss points reach the chart', async () => {
    const { page } = app;
    await page.getByTestId('nav-experiments').click();
    await chooseHalves(page, 'designer-dataset');
    await page.getByTestId('designer-method').selectOption('simclr');
    await page
      .getByTestId('method-notes')
      .getByText('two augmented views of the same image')
      .waitFor();
    // An invalid value is reported inline and blocks the start.
    await page.getByTestId('field-batchSize').fill('1');
    await page.getByText('batchSize must be ≥ 2').waitFor();
    expect(await page.getByTestId('designer-start').isDisabled()).toBe(true);
    await page.getByTestId('field-batchSize').fill('4');
    await page.getByTestId('field-epochs').fill('200');
    await page.getByTestId('designer-name').fill('e2e simclr');
    // Time and memory per epoch, measured by the engine with real steps.
    await page.getByTestId('designer-estimate').click();
    await page
      .getByTestId('designer-estimate-result')
      .getByText(/per epoch \(\d+ steps of/)
      .waitFor({ timeout: 60_000 });
    await app.screenshot('experiments');
    // Saved without a run, the design opens in Export as a PyTorch project (the cluster hand-off).
    await page.getByTestId('designer-save').click();
    await page
      .getByTestId('designer-saved')
      .getByText(/Saved as experiment \d+, without a run/)
      .waitFor();
    await page.getByTestId('designer-saved-export').click();
    await page.waitForURL(/#\/export\?format=pytorch-project&experiment=\d+$/);
    expect(await page.getByTestId('export-format-pytorch-project').isChecked()).toBe(true);
    await expect
      .poll(() => page.getByTestId('export-experiment').locator('option:checked').innerText())
      .toMatch(/e2e simclr · simclr ·\s+no run yet/);
    await page.getByTestId('export-dir').fill(join(app.dir, 'exports', 'simclr-project'));
    await page.getByTestId('export-submit').click();
    await page.getByTestId('export-result').getByText('train.py', { exact: true }).waitFor();
    await page.getByTestId('nav-experiments').click();
    await page.getByTestId('designer-start').click();

    await page.waitForURL(/#\/runs\?run=\d+$/);
    const runId = Number(/run=(\d+)/.exec(page.url())![1]);
    await page.getByTestId(`run-row-${runId}`).getByText('e2e simclr').waitFor();
    await page.getByTestId('chart-loss').locator('canvas').first().waitFor();
    await expect
      .poll(() => page.getByTestId('latest-loss').innerText(), { timeout: 90_000 })
      .toMatch(/^\d/);
    await page.getByTestId('run-progress').getByText(/ETA/).waitFor();
    // Epoch ends bring the kNN accuracy on the validation split, and the run's pretext preview is listed.
    await expect
      .poll(() => page.getByTestId('latest-knn').innerText(), { timeout: 90_000 })
      .toMatch(/%$/);
    await page.getByTestId('run-previews').locator('img').first().waitFor();
    await expect.poll(() => page.getByTestId('latest-geometry').innerText()).toMatch(/\d/);
    await page.waitForTimeout(500); // let the throttled chart patch land before the screenshot
    expect(await page.getByTestId('run-detail-' + runId).innerText()).toMatch(/backend\s+\w+/);
    await app.screenshot('runs-training');
    expect(app.problems).toEqual([]);
  });

  it('pauses, resumes and cancels the run from the Runs view', async () => {
    const { page } = app;
    const status = page.getByTestId('run-status');
    await expect.poll(() => status.innerText(), { timeout: 30_000 }).toBe('running');
    await page.getByTestId('run-pause').click();
    await expect.poll(() => status.innerText(), { timeout: 30_000 }).toBe('paused');
    expect(await page.getByTestId('run-pause').isDisabled()).toBe(true);
    await page.getByTestId('run-resume').click();
    await expect.poll(() => status.innerText(), { timeout: 60_000 }).toBe('running');
    // Cancel asks first (issue 17): dismissing keeps the run going, accepting ends it.
    page.once('dialog', (d) => void d.dismiss());
    await page.getByTestId('run-cancel').click();
    expect(await status.innerText()).not.toBe('cancelled');
    page.once('dialog', (d) => void d.accept());
    await page.getByTestId('run-cancel').click();
    await expect.poll(() => status.innerText(), { timeout: 30_000 }).toBe('cancelled');
    // A cancelled run is finished: Resume is not offered (Pause is the resumable stop).
    expect(await page.getByTestId('run-resume').isDisabled()).toBe(true);
    await app.screenshot('runs-cancelled');
    expect(app.problems).toEqual([]);
  });
});
