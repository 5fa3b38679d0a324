/**
 * Issue 17 §4 in Chromium against `cwb serve`: multi-crop previews (SwAV's preset and a DINO-style
 * 2 + 10 crop preset saved in the workspace) draw local crops at their true size and keep every
 * column in view; sliders stop at valid bounds and an invalid edit never reaches the preview call;
 * every op parameter explains itself with its paper default; a preview image enlarges on click.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chooseHalves, executable, importFolder, makeHalves, useApp } from './app';

/** Image boxes of every cell of preview row 0: [original, ...views]. */
async function rowBoxes(page: Page): Promise<{ x: number; width: number }[]> {
  const cells = page.getByTestId('preview-row-0').locator('td img');
  const boxes = [];
  for (let i = 0; i < (await cells.count()); i += 1)
    boxes.push((await cells.nth(i).boundingBox())!);
  return boxes;
}

/** The pixel width of an image as sent (its PNG's own size). */
const natural = (img: Locator) =>
  img.evaluate((e) => (e as unknown as { naturalWidth: number }).naturalWidth);

/**
 * Every column of row 0 lies inside the preview panel (nothing cut off), and the last (local) view
 * is drawn at its true size relative to the first (global) one: the ratio of their PNGs' sides.
 */
async function expectAllColumnsInView(
  page: Page,
  panel: Locator,
  columns: number,
): Promise<number> {
  const row = page.getByTestId('preview-row-0');
  await expect.poll(() => row.locator('td').count(), { timeout: 30_000 }).toBe(columns + 1);
  await expect
    .poll(() => natural(row.locator('td img').last()), { timeout: 30_000 })
    .toBeGreaterThan(0);
  const box = (await panel.boundingBox())!;
  const cells = await rowBoxes(page);
  for (const cell of cells) {
    expect(cell.x).toBeGreaterThanOrEqual(box.x - 0.5);
    expect(cell.x + cell.width).toBeLessThanOrEqual(box.x + box.width + 0.5);
  }
  const [global, local] = [
    await natural(row.locator('td img').nth(1)),
    await natural(row.locator('td img').last()),
  ];
  // The preset's local crops are 0.4286 of the image side (96 of 224), up to rounding to pixels.
  expect(local / global).toBeCloseTo(96 / 224, 1);
  expect(cells.at(-1)!.width / cells[1]!.width).toBeCloseTo(local / global, 2);
  return local;
}

describe.skipIf(!executable)('tuning multi-crop augmentations', () => {
  const app = useApp(async (ws) => {
    await importFolder(ws.home, await makeHalves(ws));
    // DINO trains on 2 global + 10 local crops: a user preset shaped like that.
    const swav = JSON.parse(
      readFileSync(join('resources', 'presets', 'augment', 'swav-multicrop.json'), 'utf8'),
    ) as {
      name: string;
      views: { count: number }[];
    };
    swav.name = 'DINO multi-crop';
    swav.views[1]!.count = 10;
    mkdirSync(join(ws.home, 'presets', 'augment'), { recursive: true });
    writeFileSync(
      join(ws.home, 'presets', 'augment', 'dino-multicrop.json'),
      JSON.stringify(swav),
    );
  }, { viewport: { width: 1280, height: 800 } });

  it('SwAV and DINO previews: local crops at 96/224 of a global crop, every column in view', async () => {
    const { page } = app;
    await page.getByTestId('nav-augment').click();
    await chooseHalves(page, 'augment-dataset');
    const panel = page.getByTestId('augment-preview-panel');
    await page.getByTestId('augment-preset').selectOption('swav-multicrop');
    await expectAllColumnsInView(page, panel, 8);
    await app.screenshot('augment-swav-multicrop');
    await page.getByTestId('augment-preset').selectOption('dino-multicrop');
    const localSide = await expectAllColumnsInView(page, panel, 12);
    await app.screenshot('augment-dino-multicrop');

    // Click to enlarge a local crop: its column and true pixel size.
    await page.getByTestId('preview-view-0-11').click();
    await page.getByTestId('lightbox').waitFor();
    await expect
      .poll(() => page.getByTestId('lightbox-caption').innerText())
      .toMatch(new RegExp(`image 0 · local-10\\s+${localSide}×${localSide} px`));
    await page.keyboard.press('Escape');
    await page.getByTestId('lightbox').waitFor({ state: 'detached' });
    expect(app.problems).toEqual([]);
  });

  it('sliders stop at valid bounds, an invalid number stays inline and is never sent; every parameter explains itself', async () => {
    const { page } = app;
    // Watch the preview calls on a fresh connection.
    const sent: string[] = [];
    page.on('websocket', (ws) =>
      ws.on('framesent', (frame) => void sent.push(String(frame.payload))),
    );
    await page.reload();
    await page.getByTestId('nav-augment').click();
    await chooseHalves(page, 'augment-dataset');
    await page.getByTestId('augment-preset').selectOption('simclr');
    await page.getByTestId('preview-row-0').locator('td img').last().waitFor({ timeout: 30_000 });
    const previews = () => sent.filter((f) => f.includes('previews:create')).length;
    await expect.poll(previews).toBeGreaterThan(0);

    // The crop's scale: the low slider stops at the high end, and never at the invalid 0.
    const low = page.getByRole('slider', { name: 'scale low slider' }).first();
    const high = page.getByTestId('field-scale-1').first();
    expect(Number(await low.getAttribute('min'))).toBeGreaterThan(0);
    expect(await low.getAttribute('max')).toBe(await high.inputValue());
    await low.focus();
    await page.keyboard.press('End');
    await expect
      .poll(() => page.getByTestId('field-scale-0').first().inputValue())
      .toBe(await high.inputValue());
    await page.keyboard.press('Home');
    await expect
      .poll(() => page.getByTestId('field-scale-0').first().inputValue())
      .toBe(await low.getAttribute('min'));
    expect(await page.locator('.field-error').count()).toBe(0);

    // A probability typed past its bound: an inline error, the preview dimmed, no preview call.
    await expect
      .poll(() => page.getByTestId('augment-status').innerText(), { timeout: 30_000 })
      .not.toBe('Rendering…');
    await page.waitForTimeout(600);
    const before = previews();
    await page.getByTestId('field-p').first().fill('5');
    await page.getByText('p must be ≤ 1').first().waitFor();
    await expect
      .poll(() => page.getByTestId('augment-preview-panel').getAttribute('class'))
      .toContain('stale');
    await page.waitForTimeout(1200);
    expect(previews()).toBe(before);
    await page.getByTestId('field-p').first().fill('0.5');
    await expect.poll(previews, { timeout: 10_000 }).toBe(before + 1);

    // Tooltips: one line with the paper default for each parameter shown.
    const hints = page.locator('.op [data-testid^="hint-"]');
    const fields = page.locator('.op .field');
    expect(await hints.count()).toBe(await fields.count());
    for (let i = 0; i < (await hints.count()); i += 1)
      expect(await hints.nth(i).getAttribute('aria-label')).toMatch(/default/i);
    expect(
      await page
        .locator('.op')
        .filter({ hasText: 'color-jitter' })
        .getByTestId('hint-hue')
        .getAttribute('aria-label'),
    ).toMatch(/Paper default: 0\.2 \(SimCLR/);
    await app.screenshot('augment-tooltips');
    expect(app.problems).toEqual([]);
  });
});
