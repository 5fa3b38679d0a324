/**
 * Tuning an augmentation in Chromium against `cwb serve` on a dataset imported beforehand: the
 * preview follows the seed and edits, out-of-range values are refused inline, the PIRL jigsaw preset
 * shows its tiles, and the tuned spec is copied and saved as a workspace preset.
 */
import { describe, expect, it } from 'vitest';
import { chooseHalves, executable, importFolder, makeHalves, useApp } from './app';

describe.skipIf(!executable)('the augmentation tuner', () => {
  const app = useApp(async (ws) => {
    await importFolder(ws.home, await makeHalves(ws));
  });

  it('tunes an augmentation: the preview follows the seed, edits and the PIRL jigsaw preset', async () => {
    const { page } = app;
    await page.getByTestId('nav-augment').click();
    await chooseHalves(page, 'augment-dataset');
    const firstView = page.getByTestId('preview-row-0').locator('td').nth(1).locator('img');
    await firstView.waitFor();
    await expect.poll(() => page.getByTestId('augment-status').innerText()).toBe('');
    const before = await firstView.getAttribute('src');
    await page.getByTestId('augment-next-seed').click();
    await expect.poll(() => firstView.getAttribute('src'), { timeout: 30_000 }).not.toBe(before);
    await page.getByTestId('step-chain').getByText('random-resized-crop').first().waitFor();
    await app.screenshot('augment');

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
    await app.screenshot('augment-jigsaw');

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
    expect(app.problems).toEqual([]);
  });
});
