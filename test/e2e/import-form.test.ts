/**
 * The import form in Chromium against `cwb serve`: a labels CSV beside the folder (a missing one
 * refused beside its field), exact duplicates reported after the import, the new dataset selected,
 * and its thumbnails filtered by class and split and enlarged with path and size.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executable, makePictures, useApp } from './app';

describe.skipIf(!executable)('import form', () => {
  let pictures: string;
  let csv: string;
  const app = useApp(async (ws) => {
    pictures = await makePictures(join(ws.dir, 'pictures'));
    // One exact copy, which the CSV leaves unlabelled, and a CSV that labels three images.
    copyFileSync(join(pictures, 'red', '0.png'), join(pictures, 'red', 'copy-of-0.png'));
    csv = join(ws.dir, 'labels.csv');
    writeFileSync(csv, 'path,label\nred/0.png,crimson\nred/1.png,crimson\nblue/0.png,navy\n');
  });

  it('refuses a missing labels CSV beside its field', async () => {
    const { page } = app;
    await page.getByTestId('import-dir').fill(pictures);
    await page.getByTestId('import-labels').fill(join(app.dir, 'nope.csv'));
    await page.getByTestId('import-submit').click();
    await expect.poll(() => page.getByTestId('import-labels-error').innerText()).toBe('no such file');
    expect(await page.getByRole('alert').count()).toBe(0);
    // The refused import is an expected HTTP-free error: nothing else went wrong.
    expect(app.problems).toEqual([]);
  });

  it('imports with the CSV, reports the duplicate and selects the new dataset', async () => {
    const { page } = app;
    await page.getByTestId('import-labels').fill(csv);
    await page.getByTestId('import-submit').click();
    const summary = page.getByTestId('import-summary');
    await summary.waitFor({ timeout: 90_000 });
    expect(await page.getByTestId('import-duplicates').innerText()).toBe('1 exact duplicate in 1 set of identical files');
    await page.getByTestId('duplicate-sets').locator('summary').click();
    const sets = await page.getByTestId('duplicate-sets').innerText();
    expect(sets).toContain('red/0.png = red/copy-of-0.png');
    expect(sets).toContain('labels disagree: crimson / unlabelled');
    expect(await summary.innerText()).toContain('Imported 8 images');
    // Selected: its row is marked and its details are open.
    await page.getByTestId('dataset-table').locator('tr.selected', { hasText: 'pictures' }).waitFor();
    await page.getByRole('heading', { name: 'Class balance — pictures' }).waitFor();
    const classes = await page.getByTestId('class-table').locator('tbody td:first-child').allInnerTexts();
    expect(classes).toEqual(['crimson', 'navy', 'unlabelled']);
    expect(app.problems).toEqual([]);
  });

  it('filters the thumbnails by class and split, and enlarges one with its path and size', async () => {
    const { page } = app;
    const grid = page.getByTestId('image-grid');
    await expect.poll(() => grid.locator('.tiles img').count()).toBe(8);
    await page.getByTestId('image-filter-class').selectOption({ label: 'crimson (2)' });
    await expect.poll(() => grid.locator('.tiles img').count()).toBe(2);
    await page.getByTestId('image-filter-split').selectOption('val');
    const valCrimson = await grid.locator('.tiles img').count();
    expect(valCrimson).toBeLessThanOrEqual(1);
    await page.getByTestId('image-filter-split').selectOption('');
    await expect.poll(() => grid.locator('.tiles img').count()).toBe(2);
    await grid.locator('.tiles button').first().click();
    const lightbox = page.getByTestId('lightbox');
    await lightbox.waitFor();
    const caption = await page.getByTestId('lightbox-caption').innerText();
    expect(caption).toContain(join(pictures, 'red', '0.png'));
    expect(caption).toContain('24×24 px');
    expect(caption).toContain('label: crimson');
    // The image is drawn large: far bigger than its 64 px cached pixels.
    const box = await page.getByTestId('lightbox-image').boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    await app.screenshot('import-form-lightbox');
    await page.keyboard.press('Escape');
    await lightbox.waitFor({ state: 'detached' });
    // Focus went back to the thumbnail that opened it.
    expect(await page.evaluate("document.activeElement?.getAttribute('aria-label')")).toBe('Enlarge red/0.png');
    expect(app.problems).toEqual([]);
  });
});
