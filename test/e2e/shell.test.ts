/**
 * The app frame in Chromium against `cwb serve`, on an empty workspace: it opens on Datasets, every
 * view loads without a console error, the theme survives a reload, and the page needs its token.
 */
import { describe, expect, it } from 'vitest';
import { executable, useApp } from './app';

const VIEWS = ['datasets', 'augment', 'experiments', 'runs', 'sweeps', 'embeddings', 'prototypes', 'export'];

describe.skipIf(!executable)('the app frame', () => {
  const app = useApp();

  it('opens on the Datasets view with the app frame', async () => {
    await app.page.getByTestId('app-meta').getByText('browser').waitFor();
    expect(app.problems).toEqual([]);
  });

  it('navigates every view without a console error', async () => {
    const { page } = app;
    for (const view of VIEWS) {
      await page.getByTestId(`nav-${view}`).click();
      await page.waitForURL(new RegExp(`#/${view}$`));
      await page.locator('h1').first().waitFor();
      expect(await page.locator('h1').count(), view).toBeGreaterThan(0);
      await app.screenshot(`nav-${view}`);
    }
    expect(app.problems).toEqual([]);
  });

  it('switches theme and keeps it across a reload', async () => {
    const { page } = app;
    await page.getByTestId('nav-datasets').click();
    await page.getByTestId('theme-toggle').click();
    const theme = await page.locator('html').getAttribute('data-theme');
    await page.reload();
    await page.getByRole('heading', { name: 'Datasets', exact: true }).waitFor();
    expect(await page.locator('html').getAttribute('data-theme')).toBe(theme);
    await app.screenshot(`datasets-${theme}`);
    expect(app.problems).toEqual([]);
  });

  it('refuses the page without the token', async () => {
    const fresh = await app.browser.newContext();
    const other = await fresh.newPage();
    const response = await other.goto(app.served.url.replace(/\?token=.*/, ''));
    expect(response?.status()).toBe(401);
    await fresh.close();
  });
});
