/**
 * Long class names in Chromium against `cwb serve`: a dataset whose three class folders have
 * ~80-character names must not break a layout — no element wider than its container, no sideways
 * scrolling — on the Datasets view (chart, class table, thumbnails, filters) and on the Prototypes
 * view, whose heatmap sizes itself to 3 and to 300 prototypes; each full name stays reachable by a
 * tooltip or a title. The prototype assignments are written straight into the workspace (what a
 * SwAV run records after an epoch): this file tests the layout, not SwAV training.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createServices } from '../../src/main/services/index';
import { executable, useApp } from './app';

const CLASSES = [
  'Aardvark_with_an_exceptionally_long_descriptive_class_name_from_a_taxonomy_v1',
  'Barn_owl_with_an_exceptionally_long_descriptive_class_name_from_a_taxonomy_v2',
  'Capybara_with_an_exceptionally_long_descriptive_class_name_from_a_taxonomy_v3',
];
const PER_CLASS = 100;

/** 8 px images of seeded noise, every one different. */
async function makeLongLabelFolder(dir: string): Promise<string> {
  for (const [c, label] of CLASSES.entries()) {
    mkdirSync(join(dir, label), { recursive: true });
    for (let i = 0; i < PER_CLASS; i += 1) {
      const pixels = Buffer.alloc(8 * 8 * 3);
      let state = 1 + c * 7919 + i * 104_729;
      for (let k = 0; k < pixels.length; k += 1) {
        state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
        pixels[k] = state % 256;
      }
      await sharp(pixels, { raw: { width: 8, height: 8, channels: 3 } }).png().toFile(join(dir, label, `${i}.png`));
    }
  }
  return dir;
}

/**
 * Elements wider than (or sticking out of) their unclipped parent, content running out of an
 * unclipped element, and sideways scrolling. Runs in
 * the page (a string: this file is type-checked without the DOM library).
 */
const OVERFLOWS = `(() => {
  const out = [];
  const content = document.querySelector('main.content');
  for (const box of [document.documentElement, content]) {
    if (box.scrollWidth > box.clientWidth + 1) out.push(box.tagName.toLowerCase() + ' scrolls sideways (' + box.scrollWidth + ' > ' + box.clientWidth + ')');
  }
  for (const el of Array.from(content.querySelectorAll('*'))) {
    const parent = el.parentElement;
    if (!parent || getComputedStyle(parent).overflowX !== 'visible') continue;
    const style = getComputedStyle(el);
    if (style.position === 'fixed' || style.position === 'absolute' || style.display === 'none') continue;
    const r = el.getBoundingClientRect();
    const p = parent.getBoundingClientRect();
    if (r.width === 0) continue;
    // Text (not an element) running out of its box.
    if (style.overflowX === 'visible' && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1)
      out.push('<' + el.tagName.toLowerCase() + '> content ' + el.scrollWidth + ' px wide in ' + el.clientWidth + ' px');
    if (r.right > p.right + 1 || r.left < p.left - 1) {
      const id = el.getAttribute('data-testid') || String(el.className);
      out.push('<' + el.tagName.toLowerCase() + ' ' + id + '> ' + Math.round(r.left) + '-' + Math.round(r.right) + ' outside its parent ' + Math.round(p.left) + '-' + Math.round(p.right));
    }
  }
  return out;
})()`;

function overflows(page: Page): Promise<string[]> {
  return page.evaluate(OVERFLOWS) as Promise<string[]>;
}

/** Hover the middle of a chart's plot and return the tooltip's text (ECharts draws it as HTML). */
async function tooltipAt(page: Page, testId: string, x: number, y: number): Promise<string> {
  const chart = page.getByTestId(testId);
  const box = (await chart.boundingBox())!;
  await page.mouse.move(box.x + box.width * x, box.y + box.height * y);
  const tip = chart.locator('div').filter({ hasText: /\S/ }).last();
  await expect.poll(() => tip.innerText(), { timeout: 5000 }).not.toBe('');
  return tip.innerText();
}

describe.skipIf(!executable)('long class names', () => {
  const runs: Record<number, number> = {};
  const app = useApp(async (ws) => {
    const dir = await makeLongLabelFolder(join(ws.dir, 'long-names'));
    const services = createServices({ home: ws.home, front: 'browser' });
    try {
      const { datasetId } = await services.datasets.import({ dir, size: 16, valFraction: 0.2 });
      const images = services.datasets.images({ datasetId, offset: 0, limit: 500 }).images;
      for (const prototypes of [3, 300]) {
        const experimentId = services.experiments.save({ datasetId, method: 'swav', name: `swav ${prototypes} prototypes`, methodOverrides: { prototypes }, epochs: 1, batchSize: 4 }).id;
        const runId = services.ctx.store.runs.insert(experimentId);
        services.ctx.store.runs.setStatus(runId, 'completed');
        services.ctx.store.prototypeAssignments.replaceEpoch(runId, 0, images.map((image, i) => ({ imageId: image.id, prototype: i % prototypes, entropy: 0.5 })));
        runs[prototypes] = runId;
      }
    } finally {
      await services.close();
    }
  }, { viewport: { width: 1024, height: 700 } });

  it('keeps the Datasets view inside its width, with every full name in a tooltip or title', async () => {
    const { page } = app;
    await page.getByTestId('dataset-table').getByText('long-names', { exact: true }).click();
    await page.getByTestId('class-table').getByText(CLASSES[0]!).waitFor();
    await expect.poll(() => page.getByTestId('image-grid').locator('.tiles img').count()).toBe(48);
    expect(await page.getByTestId('class-table').locator(`td[title="${CLASSES[2]}"]`).count()).toBe(1);
    // The cell is cut with an ellipsis: narrower than its text.
    const cut = await page.evaluate(
      `Array.from(document.querySelectorAll('[data-testid="class-table"] td')).some((td) => td.title === ${JSON.stringify(CLASSES[2])} && td.scrollWidth > td.clientWidth)`,
    );
    expect(cut).toBe(true);
    expect(await page.getByTestId('image-grid').locator(`.caption [title="${CLASSES[0]}"]`).count()).toBeGreaterThan(0);
    expect(await page.getByTestId('image-filter-class').locator('option', { hasText: CLASSES[1]! }).getAttribute('title')).toBe(CLASSES[1]);
    expect(await overflows(page)).toEqual([]);
    // The check sees a planted unbreakable 80-character name.
    await page.evaluate(`(() => {
      const td = document.querySelector('[data-testid="class-table"] td');
      td.setAttribute('data-planted', td.className);
      td.className = '';
      td.style.whiteSpace = 'nowrap';
    })()`);
    expect((await overflows(page)).length).toBeGreaterThan(0);
    await page.evaluate(`(() => {
      const td = document.querySelector('[data-planted]');
      td.className = td.getAttribute('data-planted');
      td.style.whiteSpace = '';
    })()`);
    expect(await overflows(page)).toEqual([]);
    const tip = await tooltipAt(page, 'class-balance-chart', 0.5, 0.4);
    expect(tip).toContain(CLASSES[1]);
    await page.getByTestId('class-table').scrollIntoViewIfNeeded();
    await app.screenshot('long-labels-datasets');
    expect(app.problems).toEqual([]);
  });

  it('sizes the prototype heatmap to 3 and to 300 prototypes without breaking the layout', async () => {
    const { page } = app;
    await page.getByTestId('nav-prototypes').click();
    const heights: Record<number, number> = {};
    for (const prototypes of [3, 300]) {
      await page.getByTestId('prototypes-run').selectOption(String(runs[prototypes]));
      await expect.poll(() => page.getByTestId('prototypes-choose').locator('option').count()).toBe(prototypes + 1);
      const chart = page.getByTestId('prototype-heatmap-chart');
      await chart.locator('canvas').first().waitFor();
      heights[prototypes] = (await chart.boundingBox())!.height;
      expect(await overflows(page)).toEqual([]);
      const tip = await tooltipAt(page, 'prototype-heatmap-chart', 0.5, 0.1);
      expect(tip).toMatch(/prototype #\d+ · .*_with_an_exceptionally_long_descriptive_class_name_from_a_taxonomy_v\d/);
      await chart.scrollIntoViewIfNeeded();
      await app.screenshot(`long-labels-prototypes-${prototypes}`);
    }
    expect(heights[300]).toBeGreaterThan(heights[3]! * 2);
    expect(app.problems).toEqual([]);
  });
});
