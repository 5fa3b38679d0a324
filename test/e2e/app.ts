/**
 * What every end-to-end file starts from: its own workspace (prepared through the real `cwb` CLI
 * where the UI path is not what the file tests), its own `cwb serve` and its own Chromium page that
 * records console errors, page errors and HTTP failures. Files share no state, so one failure does
 * not cascade. Screenshots go to out/test-artifacts/e2e (or $CWB_TEST_ARTIFACTS).
 *
 * A file calls `useApp(prepare)` once at the top of its describe: it opens the app before the file's
 * tests (beforeAll) and closes it after them (afterAll).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, expect } from 'vitest';
import type { ExperimentInput } from '../../src/shared/schemas/experiment';
import { runCli } from '../helpers/cli';
import { makeImageFolder } from '../helpers/dataset';
import { tempDir } from '../helpers/temp';
import { findChromium, INSTALL_HINT, launchChromium } from './browser';
import { serve, type Served } from './serve';

export const executable = findChromium();
if (!executable && process.env['CI'] === 'true')
  throw new Error(`end-to-end tests need Chromium under CI: ${INSTALL_HINT}`);
if (!executable) console.warn(`skipping end-to-end tests: Chromium not found; ${INSTALL_HINT}`);

export const ARTIFACTS =
  process.env['CWB_TEST_ARTIFACTS'] ??
  fileURLToPath(new URL('../../out/test-artifacts/e2e', import.meta.url));

/** A workspace being prepared: its `--home` and a scratch folder for image folders and exports. */
export interface Workspace {
  home: string;
  dir: string;
  /** `cwb --home <home> …args --json`, parsed; throws with its stderr on a non-zero exit. */
  cli: (args: string[]) => Promise<Record<string, unknown>>;
}

export interface AppOptions {
  /** The page's viewport (Playwright's default, 1280×720, when not given). */
  viewport?: { width: number; height: number };
}

export interface App extends Workspace {
  browser: Browser;
  page: Page;
  served: Served;
  /** The served app's URL, with its token. */
  url: string;
  /** The same as `dir` (files written against the old harness call it `root`). */
  root: string;
  /** Console errors, page errors and HTTP ≥ 400 responses seen so far. */
  problems: string[];
  screenshot(name: string): Promise<Buffer>;
  close(): Promise<void>;
}

/** A fresh workspace, `prepare`d before the server starts, served and opened in Chromium. */
export async function openApp(
  prepare: (ws: Workspace) => Promise<void> = async () => undefined,
  options: AppOptions = {},
): Promise<App> {
  const t = tempDir('cwb-e2e-');
  const home = join(t.dir, 'home');
  const cli = async (args: string[]): Promise<Record<string, unknown>> => {
    const r = await runCli(['--home', home, ...args, '--json']);
    if (r.code !== 0) throw new Error(`cwb ${args.join(' ')} failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  };
  const ws: Workspace = { home, dir: t.dir, cli };
  mkdirSync(ARTIFACTS, { recursive: true });
  let served: Served | undefined;
  let browser: Browser | undefined;
  try {
    await prepare(ws);
    served = await serve(ws.home);
    browser = await launchChromium(executable!);
    const context = await browser.newContext({ ...(options.viewport ? { viewport: options.viewport } : {}), acceptDownloads: true });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`HTTP ${res.status()} ${res.url()}`);
    });
    const app: App = {
      ...ws,
      browser,
      page,
      served,
      url: served.url,
      root: t.dir,
      problems,
      screenshot: (name) =>
        page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true }),
      close: async () => {
        await browser?.close();
        await served?.stop();
        t.cleanup();
      },
    };
    await page.goto(served.url);
    await page.getByRole('heading', { name: 'Datasets', exact: true }).waitFor();
    return app;
  } catch (err) {
    await browser?.close();
    await served?.stop();
    t.cleanup();
    throw err;
  }
}

/**
 * The app for one test file: opened (after `prepare`) before the file's tests, closed after them. The
 * returned object is filled in by then; read its fields inside tests and hooks, not at the top level.
 */
export function useApp(prepare?: (ws: Workspace) => Promise<void>, options: AppOptions = {}): App {
  const app = {} as App;
  beforeAll(async () => {
    Object.assign(app, await openApp(prepare, options));
  }, 240_000);
  afterAll(async () => {
    await app.close?.();
  });
  return app;
}

/** For files written against the old harness: `setUp` also gets `dataset`, a 2-class folder of 8 images (24 px). */
export function useWorkbench(
  setUp: (wb: Pick<App, 'cli' | 'root' | 'home'> & { dataset: string }) => Promise<void>,
  viewport = { width: 1280, height: 900 },
): App {
  return useApp(async (ws) => {
    const dataset = await makeImageFolder(join(ws.dir, 'shapes'), ['circle', 'square'], 8, 24);
    await setUp({ cli: ws.cli, root: ws.dir, home: ws.home, dataset });
  }, { viewport });
}

/** The app URL (token in its query) opened at a client-side route (hash history). */
export function at(url: string, route: string): string {
  return `${url.split('#')[0]}#${route}`;
}

/** `cwb --home <home> … --json`, which must succeed; its JSON reply. */
export async function cwb<T>(home: string, args: string[]): Promise<T> {
  const r = await runCli(['--home', home, ...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}

/** Import a folder through the CLI (the UI import is tested in datasets.test.ts); its dataset id. */
export async function importFolder(home: string, dir: string): Promise<number> {
  return (await cwb<{ datasetId: number }>(home, ['dataset', 'import', dir])).datasetId;
}

/** Train an experiment to the end through the CLI; its run id. */
export async function trainRun(ws: Workspace, experiment: ExperimentInput): Promise<number> {
  const file = join(ws.dir, `experiment-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(experiment));
  return (await cwb<{ runId: number }>(ws.home, ['train', '--config', file])).runId;
}

/** Two classes of flat colours (red, blue; 4 each, 24 px) and one broken JPEG. */
export async function makePictures(dir: string): Promise<string> {
  for (const label of ['red', 'blue']) {
    mkdirSync(join(dir, label), { recursive: true });
    for (let i = 0; i < 4; i += 1) {
      const colour = label === 'red' ? { r: 200, g: 20 * i, b: 10 } : { r: 10, g: 20 * i, b: 200 };
      await sharp({ create: { width: 24, height: 24, channels: 3, background: colour } })
        .png()
        .toFile(join(dir, label, `${i}.png`));
    }
  }
  writeFileSync(join(dir, 'red', 'broken.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0x00]));
  return dir;
}

/** The `halves` folder: circle/square classes of 8 images, 24 px, that a kNN can tell apart. */
export function makeHalves(ws: Workspace): Promise<string> {
  return makeImageFolder(join(ws.dir, 'halves'), ['circle', 'square'], 8, 24);
}

/** Select the `halves` dataset in a dataset picker. */
export async function chooseHalves(page: Page, testId: string): Promise<void> {
  const picker = page.getByTestId(testId);
  await picker.locator('option', { hasText: 'halves' }).waitFor({ state: 'attached' });
  await picker.selectOption(
    (await picker.locator('option', { hasText: 'halves' }).getAttribute('value'))!,
  );
}
