/**
 * Issue 17 §6 in Chromium against `cwb serve`: the Embeddings view of a SwAV run trained through
 * the CLI — a hint before the first projection, PCA's variance explained, colouring by label,
 * split, SwAV prototype and kNN correctness, and a lasso selection listing the picked thumbnails.
 */
import { describe, expect, it } from 'vitest';
import { executable, importFolder, makeHalves, trainRun, useApp } from './app';

describe.skipIf(!executable)('embeddings: colours, variance and lasso', () => {
  let runId: number;
  const app = useApp(async (ws) => {
    const datasetId = await importFolder(ws.home, await makeHalves(ws));
    runId = await trainRun(ws, {
      datasetId,
      method: 'swav',
      name: 'e2e swav colours',
      epochs: 2,
      batchSize: 4,
    });
  }, { viewport: { width: 1280, height: 900 } });

  it('hints, projects with PCA variance, colours by prototype and kNN, and lassoes points', async () => {
    const { page } = app;
    await page.getByTestId('nav-embeddings').click();
    await page.getByTestId('embeddings-run').selectOption(String(runId));
    const hint = page.getByTestId('embeddings-hint');
    await expect.poll(() => hint.innerText()).toContain(`run #${runId}`);
    expect(await hint.innerText()).toMatch(/Click Project/);
    await app.screenshot('embeddings-hint');

    await page.getByTestId('embeddings-project').click();
    await page
      .getByTestId('embeddings-scatter')
      .locator('canvas')
      .first()
      .waitFor({ timeout: 60_000 });
    await hint.waitFor({ state: 'detached' });
    const cumulative = await page.getByTestId('variance-cumulative').innerText();
    const [pc1, pc2] = [
      ...(await page.getByTestId('variance-explained').innerText()).matchAll(/PC\d (\d+\.\d)%/g),
    ].map((m) => Number(m[1]));
    expect(Number(/(\d+\.\d)%/.exec(cumulative)![1])).toBeCloseTo(pc1! + pc2!, 0);
    expect(pc1!).toBeGreaterThanOrEqual(pc2!);

    const colour = page.getByTestId('embeddings-colour');
    await colour.selectOption('prototype');
    await expect
      .poll(() => page.getByTestId('colour-note').innerText())
      .toMatch(/last stored assignments \(epoch 2\)/);
    await app.screenshot('embeddings-prototype');
    await colour.selectOption('knn');
    await expect
      .poll(() => page.getByTestId('colour-note').innerText())
      .toMatch(/Weighted kNN \(k = \d+, τ = 0\.1\) .*: \d+ of \d+ right\./);
    await app.screenshot('embeddings-knn');
    await colour.selectOption('split');
    expect(await page.locator('[data-testid="colour-note"]').count()).toBe(0);

    // Lasso around the whole plot area: every point is picked and listed with its thumbnail.
    await page.getByTestId('lasso-start').click();
    const box = (await page
      .getByTestId('embeddings-scatter')
      .locator('canvas')
      .first()
      .boundingBox())!;
    // Inside the plot's grid (a stroke must start there), around every point.
    const corners = [
      [box.x + 60, box.y + 60],
      [box.x + box.width - 20, box.y + 60],
      [box.x + box.width - 20, box.y + box.height - 30],
      [box.x + 60, box.y + box.height - 30],
      [box.x + 60, box.y + 62],
    ] as const;
    await page.mouse.move(corners[0][0], corners[0][1]);
    await page.mouse.down();
    for (const [x, y] of corners.slice(1)) await page.mouse.move(x, y, { steps: 8 });
    await page.mouse.up();
    const count = page.getByTestId('lasso-count');
    await expect.poll(() => count.innerText(), { timeout: 10_000 }).toMatch(/^\d+ images$/);
    const picked = Number((await count.innerText()).split(' ')[0]);
    expect(picked).toBeGreaterThan(0);
    await expect
      .poll(() => page.getByTestId('lasso-grid').locator('img').count())
      .toBe(Math.min(picked, 60));
    await app.screenshot('embeddings-lasso');
    await page.getByTestId('lasso-clear').click();
    await page.getByTestId('lasso-selection').waitFor({ state: 'detached' });
    expect(app.problems).toEqual([]);
  });
});
