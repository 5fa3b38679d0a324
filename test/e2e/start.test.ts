/**
 * `npm start` (scripts/start.mjs) end to end with stub apps in place of Electron (CWB_ELECTRON_COMMAND):
 * a window that signals ready keeps `npm start` attached to it; one that fails, crashes or never signals
 * ends — within the bound — in exactly one line naming the reason and the real `cwb serve` fallback.
 * (In the e2e suite because the fallback serves the built renderer.)
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../build/built';
import { tempDir } from '../helpers/temp';

const START = fileURLToPath(new URL('../../scripts/start.mjs', import.meta.url));
const STUB = fileURLToPath(new URL('../scripts/stubs/app.mjs', import.meta.url));
const BUILT_MAIN = fileURLToPath(new URL('../build/fake-electron/electron.sh', import.meta.url));
const home = tempDir('cwb-start-');
afterAll(() => home.cleanup());

interface Started {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Run `npm start`'s script; stop it once `cwb serve` says it is ready (or when it exits). */
function start(mode: string, env: NodeJS.ProcessEnv = {}): Promise<Started> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [START, '--port', '0'], {
      env: { ...process.env, DISPLAY: ':99', CWB_ELECTRON_COMMAND: STUB, CWB_STUB_MODE: mode, CWB_START_TIMEOUT_MS: '2000', CWB_HOME: home.dir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (/Workbench ready at /.test(stdout)) child.kill('SIGTERM');
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

const FALLBACK = /^Electron cannot start \((.+)\); serving the same UI in your browser instead\.$/;
const fallbackLines = (stderr: string): string[] => stderr.split('\n').filter((line) => FALLBACK.test(line));

describe('npm start ↔ the app: handshake and browser fallback', () => {
  it('stays with an app that signals its window is ready and exits with it', async () => {
    const run = await start('ready');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('booting\n');
    expect(fallbackLines(run.stderr)).toEqual([]);
  });

  it('an app that reports a start-up failure → its reason in one line, then the browser UI', async () => {
    const run = await start('fails');
    expect(fallbackLines(run.stderr)).toEqual([
      'Electron cannot start (store: no better-sqlite3 12.11.1 build for Electron 41.7.1 (linux-x64)); serving the same UI in your browser instead.',
    ]);
    expect(run.stdout).toMatch(/Workbench ready at http:\/\/127\.0\.0\.1:\d+\//);
  });

  it('an app that crashes → one line naming the signal, then the browser UI', async () => {
    const run = await start('crashes');
    expect(fallbackLines(run.stderr)).toEqual(['Electron cannot start (Electron was ended by SIGSEGV before its window was ready); serving the same UI in your browser instead.']);
    expect(run.stdout).toMatch(/Workbench ready at /);
  });

  it('an app that never signals → stopped at the bound, one line, then the browser UI', async () => {
    const run = await start('silent');
    expect(fallbackLines(run.stderr)).toEqual(['Electron cannot start (no window within 2 s); serving the same UI in your browser instead.']);
    expect(run.stdout).toMatch(/Workbench ready at /);
  });

  it('the real built main process without an Electron build of better-sqlite3 → that reason in one line, then the browser UI', async () => {
    ensureBuilt();
    // The app root the main process sees: better-sqlite3's package.json, no Electron build cached.
    const appRoot = join(home.dir, 'app');
    mkdirSync(join(appRoot, 'node_modules', 'better-sqlite3'), { recursive: true });
    copyFileSync(createRequire(import.meta.url).resolve('better-sqlite3/package.json'), join(appRoot, 'node_modules', 'better-sqlite3', 'package.json'));
    const run = await start('', { CWB_ELECTRON_COMMAND: BUILT_MAIN, FAKE_ELECTRON_APP_PATH: appRoot, CWB_START_TIMEOUT_MS: '60000' });
    const [line, ...more] = fallbackLines(run.stderr);
    expect(more).toEqual([]);
    expect(line).toMatch(/^Electron cannot start \(store: no better-sqlite3 \S+ build for Electron 41\.7\.1 \(\w+-\w+\) at .*\); serving the same UI in your browser instead\.$/);
    expect(run.stdout).toMatch(/Workbench ready at /);
  });

  it('no display → one line, then the browser UI', async () => {
    const run = await start('ready', { DISPLAY: '', WAYLAND_DISPLAY: '' });
    expect(fallbackLines(run.stderr)).toEqual(['Electron cannot start (no display: DISPLAY and WAYLAND_DISPLAY are unset); serving the same UI in your browser instead.']);
    expect(run.stdout).toMatch(/Workbench ready at /);
  });
});
