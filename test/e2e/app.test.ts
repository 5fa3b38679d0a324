/**
 * End to end in real Chromium against `cwb serve`, one workspace, tests in order: the demo dataset
 * offered on first start → every view loads → import folders (classes, skipped files, thumbnails) →
 * design a SimCLR experiment (inline errors) → it trains, loss and kNN points reach the charts →
 * pause, resume, cancel → tune an augmentation (seed, edit, PIRL jigsaw, copy) → a short SwAV run →
 * compare overlay, prototypes and gallery, embeddings and neighbours, ONNX export and its re-import
 * with kNN → theme persists. Any console error fails the test that caused it. Screenshots go to
 * out/test-artifacts/e2e (or $CWB_TEST_ARTIFACTS).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeImageFolder } from '../helpers/dataset';
import { tempDir } from '../helpers/temp';
import { findChromium, INSTALL_HINT, launchChromium } from './browser';
import { serve, type Served } from './serve';

const executable = findChromium();
const inCi = process.env['CI'] === 'true';
if (!executable && inCi)
  throw new Error(`end-to-end tests need Chromium under CI: ${INSTALL_HINT}`);
if (!executable) console.warn(`skipping end-to-end tests: Chromium not found; ${INSTALL_HINT}`);

const ARTIFACTS =
  process.env['CWB_TEST_ARTIFACTS'] ??
  fileURLToPath(new URL('../../out/test-artifacts/e2e', import.meta.url));

const VIEWS = ['datasets', 'augment', 'experiments', 'runs', 'embeddings', 'prototypes', 'export'];

describe.skipIf(!executable)('the app in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let served: Served;
  let cleanup: () => void;
  let pictures: string;
  let halves: string;
  let exportsDir: string;
  const problems: string[] = [];

  const screenshot = (name: string) =>
    page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    const t = tempDir('cwb-e2e-');
    cleanup = t.cleanup;
    pictures = join(t.dir, 'pictures');
    for (const label of ['red', 'blue']) {
      mkdirSync(join(pictures, label), { recursive: true });
      for (let i = 0; i < 4; i += 1) {
        const colour =
          label === 'red' ? { r: 200, g: 20 * i, b: 10 } : { r: 10, g: 20 * i, b: 200 };
        await sharp({ create: { width: 24, height: 24, channels: 3, background: colour } })
          .png()
          .toFile(join(pictures, label, `${i}.png`));
      }
    }
    writeFileSync(join(pictures, 'red', 'broken.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0x00]));
    exportsDir = join(t.dir, 'exports');
    halves = await makeImageFolder(join(t.dir, 'halves'), ['circle', 'square'], 8, 24);
    mkdirSync(ARTIFACTS, { recursive: true });
    served = await serve(join(t.dir, 'home'));
    browser = await launchChromium(executable!);
    page = await browser.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`HTTP ${res.status()} ${res.url()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    cleanup?.();
  });

  it('opens on the Datasets view with the app frame', async () => {
    await page.goto(served.url);
    await page.getByRole('heading', { name: 'Datasets', exact: true }).waitFor();
    await page.getByTestId('app-meta').getByText('browser').waitFor();
    expect(problems).toEqual([]);
  });

  it('offers the demo dataset on first start and imports it', async () => {
    await page.getByTestId('import-demo').click();
    await page
      .getByTestId('dataset-table')
      .getByRole('cell', { name: 'Colour shapes (demo)' })
      .waitFor({ timeout: 90_000 });
    await page.getByTestId('class-balance-chart').locator('canvas').first().waitFor();
    expect(problems).toEqual([]);
  });

  it('navigates every view without a console error', async () => {
    for (const view of VIEWS) {
      await page.getByTestId(`nav-${view}`).click();
      await page.waitForURL(new RegExp(`#/${view}$`));
      await page.locator('h1').first().waitFor();
      expect(await page.locator('h1').count(), view).toBeGreaterThan(0);
      await screenshot(`nav-${view}`);
    }
    expect(problems).toEqual([]);
  });

  it('imports a folder through the UI and shows its classes and skipped files', async () => {
    await page.getByTestId('nav-datasets').click();
    await page.getByTestId('import-dir').fill(pictures);
    await page.getByTestId('import-submit').click();
    const table = page.getByTestId('dataset-table');
    await table.getByRole('cell', { name: 'pictures', exact: true }).waitFor();
    await expect.poll(async () => table.innerText()).toContain('8');
    await page.getByTestId('class-balance-chart').locator('canvas').first().waitFor();
    await page.getByTestId('skipped-table').getByText('broken.jpg').waitFor();
    // Thumbnails come from the tensor cache, with each image's label and split.
    await expect.poll(() => page.getByTestId('image-grid').locator('img').count()).toBe(8);
    await page.getByTestId('image-grid').getByText('1–8 of 8').waitFor();
    await screenshot('datasets');
    expect(problems).toEqual([]);
  });

  it('designs a SimCLR experiment, starts it and sees loss points reach the chart', async () => {
    await page.getByTestId('import-dir').fill(halves);
    await page.getByTestId('import-submit').click();
    await page
      .getByTestId('dataset-table')
      .getByRole('cell', { name: 'halves', exact: true })
      .waitFor();

    await page.getByTestId('nav-experiments').click();
    const dataset = page.getByTestId('designer-dataset');
    await dataset.locator('option', { hasText: 'halves' }).waitFor({ state: 'attached' });
    const value = await dataset.locator('option', { hasText: 'halves' }).getAttribute('value');
    await dataset.selectOption(value!);
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
    await screenshot('experiments');
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
    await page.getByTestId('export-dir').fill(join(exportsDir, 'simclr-project'));
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
    await screenshot('runs-training');
    expect(problems).toEqual([]);
  });

  it('pauses, resumes and cancels the run from the Runs view', async () => {
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
    await screenshot('runs-cancelled');
    expect(problems).toEqual([]);
  });

  it('tunes an augmentation: the preview follows the seed, edits and the PIRL jigsaw preset', async () => {
    await page.getByTestId('nav-augment').click();
    const dataset = page.getByTestId('augment-dataset');
    const value = await dataset.locator('option', { hasText: 'halves' }).getAttribute('value');
    await dataset.selectOption(value!);
    const firstView = page.getByTestId('preview-row-0').locator('td').nth(1).locator('img');
    await firstView.waitFor();
    await expect.poll(() => page.getByTestId('augment-status').innerText()).toBe('');
    const before = await firstView.getAttribute('src');
    await page.getByTestId('augment-next-seed').click();
    await expect.poll(() => firstView.getAttribute('src'), { timeout: 30_000 }).not.toBe(before);
    await page.getByTestId('step-chain').getByText('random-resized-crop').first().waitFor();
    await screenshot('augment');

    // An out-of-range probability is refused inline and never sent.
    await page.getByTestId('field-p').first().fill('2');
    await page.getByText('p must be ≤ 1').first().waitFor();
    await page.getByTestId('field-p').first().fill('1');
    await expect
      .poll(() => page.getByTestId('augment-status').innerText())
      .toMatch(/^(edited|Rendering…)$/);

    await page.getByTestId('augment-preset').selectOption('pirl-jigsaw');
    await page.getByTestId('preview-grid').getByText('jigsaw 3×3').waitFor({ timeout: 30_000 });
    await page.getByTestId('jigsaw-permutation').first().waitFor();
    await page.getByTestId('augment-copy').click();
    await page.getByText(/Copied to the clipboard|select the JSON below/).waitFor();
    await screenshot('augment-jigsaw');

    // Save the tuned spec as a workspace preset: it joins the preset list.
    await page.getByTestId('augment-preset-name').fill('my-jigsaw');
    await page.getByTestId('augment-save-preset').click();
    await page
      .getByTestId('augment-save-status')
      .getByText('Saved as preset “my-jigsaw”.')
      .waitFor();
    await page
      .getByTestId('augment-preset')
      .locator('option', { hasText: 'my-jigsaw' })
      .waitFor({ state: 'attached' });
    expect(problems).toEqual([]);
  });

  it('trains a short SwAV run and inspects its prototypes, embeddings and export', async () => {
    await page.getByTestId('nav-experiments').click();
    const dataset = page.getByTestId('designer-dataset');
    await dataset.selectOption(
      (await dataset.locator('option', { hasText: 'halves' }).getAttribute('value'))!,
    );
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
    // Overlay the SwAV run with the earlier SimCLR run.
    await page.getByTestId(`compare-${runId}`).check();
    await page.getByTestId(`compare-${runId - 1}`).check();
    await page.getByTestId('run-compare').locator('canvas').first().waitFor();
    await screenshot('runs-compare');

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
    await screenshot('prototypes');

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
    const image = page.getByTestId('embeddings-image');
    await image.selectOption({ index: 1 });
    await page
      .getByTestId('neighbour-grid')
      .getByText(/cos -?\d/)
      .first()
      .waitFor();
    await screenshot('embeddings');

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
    await screenshot('export');
    expect(problems).toEqual([]);
  });

  it('switches theme and keeps it across a reload', async () => {
    await page.getByTestId('nav-datasets').click();
    await page.getByTestId('theme-toggle').click();
    const theme = await page.locator('html').getAttribute('data-theme');
    await page.reload();
    await page.getByRole('heading', { name: 'Datasets', exact: true }).waitFor();
    expect(await page.locator('html').getAttribute('data-theme')).toBe(theme);
    await page.getByTestId('nav-runs').click();
    await page.getByTestId('chart-loss').locator('canvas').first().waitFor();
    await screenshot(`runs-${theme}`);
    expect(problems).toEqual([]);
  });

  it('refuses the page without the token', async () => {
    const fresh = await browser.newContext();
    const other = await fresh.newPage();
    const response = await other.goto(served.url.replace(/\?token=.*/, ''));
    expect(response?.status()).toBe(401);
    await fresh.close();
  });
});
