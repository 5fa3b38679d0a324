import { EventEmitter } from 'node:events';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAllowedExternalUrl } from '../../../src/main/window/external-links';
import { readWindowState, restoreBounds, writeWindowState } from '../../../src/main/window/bounds';
import { WINDOW_READY_LINE, waitForWindowReady, type LoadingWindow } from '../../../src/main/window/ready';
import { reportStartupFailure, StartupError, startupExitCode, startupFailureLine, startupStage, within } from '../../../src/main/window/startup-failure';
import { LogFile, logFilePath } from '../../../src/main/workspace/log-file';
// @ts-expect-error — a plain .mjs script without types
import { READY_LINE, FAILURE_PREFIX } from '../../../scripts/start-handshake.mjs';
import { STARTUP_FAILURE_PREFIX } from '../../../src/main/window/startup-failure';
import { tempDir } from '../../helpers/temp';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));
function dir(): string {
  const t = tempDir('cwb-window-');
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('start-up failures', () => {
  it('names the stage and the reason in one line', async () => {
    const err = await startupStage('store', () => {
      throw new Error('no better-sqlite3 build for Electron 41\nsecond line');
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StartupError);
    expect(startupFailureLine(err)).toBe('Contrastive Workbench could not start (store): no better-sqlite3 build for Electron 41 second line');
    await expect(startupStage('engine worker', () => within(new Promise(() => undefined), 20, 'no answer within 0.02 s'))).rejects.toThrow('engine worker: no answer');
  });

  it('logs to the real log file, prints, shows a dialog and exits 1, even when the dialog throws', () => {
    const home = dir();
    const log = new LogFile(logFilePath(home));
    const seen: string[] = [];
    let exitCode: number | undefined;
    expect(() =>
      reportStartupFailure(new StartupError('window load', 'index.html did not load'), {
        log: (line) => (log.write('error', line), log.path),
        stderr: (text) => seen.push(`stderr:${text}`),
        showErrorBox: (title, content) => {
          seen.push(`dialog:${title}|${content}`);
          throw new Error('no display');
        },
        exit: (code) => (exitCode = code),
      }),
    ).toThrow('no display');
    expect(exitCode).toBe(1);
    expect(startupExitCode(new StartupError('store', 'damaged', 'STORE_ERROR'))).toBe(5);
    expect(startupExitCode(Object.assign(new Error('damaged'), { code: 'STORE_ERROR' }))).toBe(5);
    expect(startupExitCode(new StartupError('store', 'no build', 'INTERNAL'))).toBe(1);
    expect(readFileSync(log.path, 'utf8')).toMatch(/ERROR Contrastive Workbench could not start \(window load\): index\.html did not load\n$/);
    expect(seen[0]).toBe('stderr:Contrastive Workbench could not start (window load): index.html did not load\n');
    expect(seen[1]).toBe(`dialog:Contrastive Workbench could not start|index.html did not load\n\nLog: ${log.path}`);
  });

  it('the app and scripts/start.mjs agree on the ready and failure lines', () => {
    expect(READY_LINE).toBe(WINDOW_READY_LINE);
    expect(FAILURE_PREFIX).toBe(STARTUP_FAILURE_PREFIX);
  });
});

function fakeWindow(): LoadingWindow & { emit: (e: string, ...a: unknown[]) => void; webContents: EventEmitter } {
  const window = new EventEmitter() as unknown as LoadingWindow & { emit: (e: string, ...a: unknown[]) => void; webContents: EventEmitter };
  window.webContents = new EventEmitter();
  return window;
}

describe('window ready', () => {
  it('resolves on ready-to-show, rejects on a preload error, a failed load or the deadline', async () => {
    const ok = fakeWindow();
    const ready = waitForWindowReady(ok, 1000);
    ok.emit('ready-to-show');
    await expect(ready).resolves.toBeUndefined();

    const preload = fakeWindow();
    const p = waitForWindowReady(preload, 1000);
    preload.webContents.emit('preload-error', {}, '/app/out/preload/index.cjs', new Error('Unexpected token'));
    await expect(p).rejects.toMatchObject({ stage: 'preload', reason: '/app/out/preload/index.cjs: Unexpected token' });

    const failed = fakeWindow();
    const f = waitForWindowReady(failed, 1000);
    failed.webContents.emit('did-fail-load', {}, -6, 'ERR_FILE_NOT_FOUND', 'file:///app/out/renderer/index.html', true);
    await expect(f).rejects.toMatchObject({ stage: 'window load', reason: 'file:///app/out/renderer/index.html did not load: ERR_FILE_NOT_FOUND (-6)' });

    await expect(waitForWindowReady(fakeWindow(), 30)).rejects.toMatchObject({ stage: 'window load' });
  });
});

describe('external links', () => {
  it('opens https links to docs and papers only', () => {
    expect(isAllowedExternalUrl('https://arxiv.org/abs/2002.05709')).toBe(true);
    expect(isAllowedExternalUrl('https://export.arxiv.org/abs/2002.05709')).toBe(true);
    expect(isAllowedExternalUrl('http://arxiv.org/abs/2002.05709')).toBe(false);
    expect(isAllowedExternalUrl('https://arxiv.org.evil.example/abs')).toBe(false);
    expect(isAllowedExternalUrl('https://user:pw@arxiv.org/')).toBe(false);
    expect(isAllowedExternalUrl('https://gist.example.org/x')).toBe(false);
    expect(isAllowedExternalUrl('file:///etc/passwd')).toBe(false);
    expect(isAllowedExternalUrl('not a url')).toBe(false);
  });
});

describe('window bounds', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1040 }];
  it('round-trips through a real file and ignores a broken one', () => {
    const folder = dir();
    const file = join(folder, 'window-state.json');
    expect(readWindowState(file)).toBeUndefined();
    writeWindowState(file, { x: 10, y: 20, width: 1200, height: 800, maximized: true });
    expect(readWindowState(file)).toEqual({ x: 10, y: 20, width: 1200, height: 800, maximized: true });
    expect(readdirSync(folder), 'no temporary file left beside it').toEqual(['window-state.json']);
    writeFileSync(file, '{"x":');
    expect(readWindowState(file)).toBeUndefined();
  });
  it('keeps a position that is on a display, centres one that is not', () => {
    expect(restoreBounds({ x: 100, y: 50, width: 1200, height: 800, maximized: false }, screen)).toEqual({ x: 100, y: 50, width: 1200, height: 800 });
    expect(restoreBounds({ x: 3000, y: 50, width: 1200, height: 800, maximized: false }, screen)).toEqual({ width: 1200, height: 800 });
    expect(restoreBounds(undefined, [{ x: 0, y: 0, width: 1280, height: 720 }])).toEqual({ width: 1280, height: 720 });
  });
});
