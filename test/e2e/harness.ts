/**
 * One workbench per e2e file: a temp workspace prepared through the real CLI, `cwb serve` on it,
 * and a Chromium page (viewport as asked). Console errors, page errors and HTTP ≥ 400 are collected
 * in `problems` for the file's tests to assert on.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { runCli } from '../helpers/cli';
import { makeImageFolder } from '../helpers/dataset';
import { tempDir } from '../helpers/temp';
import { findChromium, INSTALL_HINT, launchChromium } from './browser';
import { serve, type Served } from './serve';

export const executable = findChromium();
if (!executable && process.env['CI'] === 'true') throw new Error(`end-to-end tests need Chromium under CI: ${INSTALL_HINT}`);

export const ARTIFACTS = process.env['CWB_TEST_ARTIFACTS'] ?? fileURLToPath(new URL('../../out/test-artifacts/e2e', import.meta.url));

export interface Workbench {
  page: Page;
  url: string;
  home: string;
  root: string;
  problems: string[];
  /** `cwb --home <home> …args --json`, parsed; fails the test on a non-zero exit. */
  cli: (args: string[]) => Promise<Record<string, unknown>>;
  screenshot: (name: string) => Promise<void>;
}

/** `setUp` runs CLI commands on the workspace before `cwb serve` starts (import, train …). */
export function useWorkbench(setUp: (wb: Pick<Workbench, 'cli' | 'root' | 'home'> & { dataset: string }) => Promise<void>, viewport = { width: 1280, height: 900 }): Workbench {
  const wb = { problems: [] as string[] } as Workbench;
  let browser: Browser | undefined;
  let served: Served | undefined;
  let cleanup: (() => void) | undefined;
  beforeAll(async () => {
    const t = tempDir('cwb-e2e-');
    cleanup = t.cleanup;
    wb.root = t.dir;
    wb.home = join(t.dir, 'home');
    wb.cli = async (args) => {
      const r = await runCli(['--home', wb.home, ...args, '--json']);
      if (r.code !== 0) throw new Error(`cwb ${args.join(' ')} failed: ${r.stderr}`);
      return JSON.parse(r.stdout) as Record<string, unknown>;
    };
    const dataset = await makeImageFolder(join(t.dir, 'shapes'), ['circle', 'square'], 8, 24);
    await setUp({ cli: wb.cli, root: wb.root, home: wb.home, dataset });
    mkdirSync(ARTIFACTS, { recursive: true });
    served = await serve(wb.home);
    wb.url = served.url;
    browser = await launchChromium(executable!);
    const context = await browser.newContext({ viewport, acceptDownloads: true });
    wb.page = await context.newPage();
    wb.page.on('console', (msg) => {
      if (msg.type() === 'error') wb.problems.push(`console: ${msg.text()}`);
    });
    wb.page.on('pageerror', (err) => wb.problems.push(`page error: ${err.message}`));
    wb.page.on('response', (res) => {
      if (res.status() >= 400) wb.problems.push(`HTTP ${res.status()} ${res.url()}`);
    });
    wb.screenshot = async (name) => {
      await wb.page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
    };
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    cleanup?.();
  });
  return wb;
}

/** The app URL (token in its query) opened at a client-side route (hash history). */
export function at(url: string, route: string): string {
  return `${url.split('#')[0]}#${route}`;
}
