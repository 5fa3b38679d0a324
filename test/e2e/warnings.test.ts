/** Issue 17 §1 in Chromium: the designer shows warnings beside the field, and the run can still start. */
import { describe, expect, it } from 'vitest';
import { at, executable, useWorkbench } from './app';

describe.skipIf(!executable)('warnings before a wasted run', () => {
  const wb = useWorkbench(async ({ cli, dataset }) => {
    await cli(['dataset', 'import', dataset, '--size', '16', '--val-fraction', '0.25']);
  });

  it('a MoCo queue smaller than the batch is flagged beside queueSize; fixing it clears the warning', async () => {
    const { page } = wb;
    await page.goto(at(wb.url, '/experiments'));
    await page.getByTestId('designer-method').selectOption('moco');
    await page.getByTestId('field-batchSize').fill('4');
    await page.getByTestId('field-queueSize').fill('2');
    const warning = page.getByTestId('warning-queueSize');
    await warning.waitFor({ timeout: 15_000 });
    expect(await warning.textContent()).toMatch(/smaller than one batch \(4\)/);
    // A warning never blocks: Start run stays enabled.
    expect(await page.getByTestId('designer-start').isDisabled()).toBe(false);
    await page.getByTestId('field-queueSize').fill('8');
    await warning.waitFor({ state: 'detached', timeout: 15_000 });
    await wb.screenshot('warnings-designer');
  });

  it('SwAV: shows the crops training builds, and prototypes frozen for the whole run', async () => {
    const { page } = wb;
    await page.getByTestId('designer-method').selectOption('swav');
    await page.getByTestId('field-epochs').fill('2');
    await page.getByTestId('warning-freezePrototypesSteps').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('designer-views').textContent()).toMatch(/2 × global 16 px, 4 × local 7 px/);
    expect(wb.problems).toEqual([]);
  });
});
