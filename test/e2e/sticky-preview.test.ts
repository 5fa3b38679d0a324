/** Issue 17 §4 in Chromium at 1024×700: the augmentation preview sits beside the pipeline and stays in view. */
import { describe, expect, it } from 'vitest';
import { at, executable, useWorkbench } from './app';

describe.skipIf(!executable)('sticky augmentation preview', () => {
  const wb = useWorkbench(
    async ({ cli, dataset }) => {
      await cli(['dataset', 'import', dataset, '--size', '16', '--val-fraction', '0.25']);
    },
    { width: 1024, height: 700 },
  );

  it('starts in the first screen beside the pipeline and stays there while the pipeline scrolls', async () => {
    const { page } = wb;
    await page.goto(at(wb.url, '/augment'));
    const panel = page.getByTestId('augment-preview-panel');
    await panel.waitFor();
    const before = (await panel.boundingBox())!;
    expect(before.y).toBeLessThan(700);
    expect(before.x).toBeGreaterThan(300);
    // Scroll the view's own scroller (the nav stays put) to its end.
    await page.mouse.move(400, 400);
    await page.mouse.wheel(0, 5000);
    await page.waitForTimeout(500);
    const scrolled = (await page.evaluate("document.querySelector('.content').scrollTop")) as number;
    const after = (await panel.boundingBox())!;
    // The pipeline is longer than the window, so the view did scroll; the preview stayed at the top.
    expect(scrolled).toBeGreaterThan(0);
    expect(after.y).toBeGreaterThanOrEqual(0);
    expect(after.y).toBeLessThan(100);
    expect(after.y + Math.min(after.height, 100)).toBeLessThanOrEqual(700);
    await wb.screenshot('sticky-preview-1024');
    expect(wb.problems).toEqual([]);
  });
});
