/**
 * Datasets in Chromium against `cwb serve`: the demo dataset offered on first start, and a folder
 * imported through the UI with its classes, skipped files and thumbnails.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executable, makePictures, useApp } from './app';

describe.skipIf(!executable)('datasets', () => {
  let pictures: string;
  const app = useApp(async (ws) => {
    pictures = await makePictures(join(ws.dir, 'pictures'));
  });

  it('offers the demo dataset on first start and imports it', async () => {
    const { page } = app;
    await page.getByTestId('import-demo').click();
    await page
      .getByTestId('dataset-table')
      .getByRole('cell', { name: 'Colour shapes (demo)' })
      .waitFor({ timeout: 90_000 });
    await page.getByTestId('class-balance-chart').locator('canvas').first().waitFor();
    expect(app.problems).toEqual([]);
  });

  it('imports a folder through the UI and shows its classes and skipped files', async () => {
    const { page } = app;
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
    await app.screenshot('datasets');
    expect(app.problems).toEqual([]);
  });
});
