/**
 * The built Electron main process (out/main/index.js) started under plain Node with a stand-in
 * `electron` module (fake-electron/: Electron itself cannot run here). Everything else is real: the
 * workspace, the store opened through the Electron-build cache of better-sqlite3, the engine worker's
 * ping, the preload file, the log file. Each start-up failure must end in one stderr line, a dialog,
 * a log line and exit 1; success must print the "window ready" line `npm start` waits for.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electronSqliteBindingPath } from '../../src/main/store/native-binding';
import { WINDOW_READY_LINE } from '../../src/main/window/ready';
import { tempDir } from '../helpers/temp';
import { ensureBuilt, outMain, root } from './built';

const require = createRequire(import.meta.url);
const sqlitePackage = require.resolve('better-sqlite3/package.json');
const sqliteVersion = (require(sqlitePackage) as { version: string }).version;
const register = join(root, 'test', 'build', 'fake-electron', 'register.mjs');
const t = tempDir('cwb-electron-main-');
afterAll(() => t.cleanup());
beforeAll(() => ensureBuilt(), 240_000);

interface Started {
  code: number | null;
  stdout: string;
  stderr: string;
  home: string;
}

/** Start the built main process; resolve when it exits, or when it says its window is ready (then stop it). */
function startMain(name: string, options: { cached?: boolean; load?: 'ok' | 'fail'; lock?: 'taken'; main?: string; stopOnReady?: boolean } = {}): Promise<Started> {
  const appRoot = join(t.dir, name, 'root');
  const home = join(t.dir, name, 'home');
  mkdirSync(join(appRoot, 'node_modules', 'better-sqlite3'), { recursive: true });
  copyFileSync(sqlitePackage, join(appRoot, 'node_modules', 'better-sqlite3', 'package.json'));
  if (options.cached) {
    // The Node build stands in for Electron's: this "Electron" is Node.
    const file = electronSqliteBindingPath(appRoot, sqliteVersion, '41.7.1', process.platform, process.arch);
    mkdirSync(dirname(file), { recursive: true });
    copyFileSync(join(dirname(sqlitePackage), 'build', 'Release', 'better_sqlite3.node'), file);
  }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', register, join(options.main ?? outMain, 'index.js')], {
      env: { ...process.env, CWB_HOME: home, FAKE_ELECTRON_APP_PATH: appRoot, FAKE_ELECTRON_USER_DATA: join(t.dir, name), FAKE_ELECTRON_LOAD: options.load ?? 'ok', FAKE_ELECTRON_LOCK: options.lock ?? '', NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (options.stopOnReady !== false && stdout.includes(WINDOW_READY_LINE)) child.kill('SIGTERM');
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('close', (code) => resolve({ code, stdout, stderr, home }));
  });
}

const lines = (text: string, prefix: string) => text.split('\n').filter((line) => line.startsWith(prefix));

describe('the built Electron main process (stand-in electron module)', () => {
  it('no Electron build of better-sqlite3 → store failure: one line, a dialog, the log, exit 1', async () => {
    const run = await startMain('no-cache');
    expect(run.code).toBe(1);
    const [line, ...more] = lines(run.stderr, 'Contrastive Workbench could not start');
    expect(more).toEqual([]);
    expect(line).toMatch(new RegExp(`^Contrastive Workbench could not start \\(store\\): no better-sqlite3 ${sqliteVersion.replace(/\./g, '\\.')} build for Electron 41\\.7\\.1`));
    const logFile = join(run.home, 'logs', 'workbench.log');
    expect(lines(run.stderr, 'FAKE dialog')).toEqual([`FAKE dialog Contrastive Workbench could not start | ${line!.replace(/^.*?\(store\): /, '')} /  / Log: ${logFile}`]);
    expect(readFileSync(logFile, 'utf8')).toContain(`ERROR ${line}`);
    expect(lines(run.stderr, 'FAKE exit')).toEqual(['FAKE exit 1']);
    expect(run.stdout).not.toContain(WINDOW_READY_LINE);
  });

  it('with the cached build: store, engine worker, locked-down window and menu, then "window ready"', async () => {
    const run = await startMain('ready', { cached: true });
    expect(run.stdout).toContain(`${WINDOW_READY_LINE}\n`);
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read']) expect(run.stderr).toContain(`FAKE permission request ${permission} -> false`);
    expect(run.stderr).toContain('FAKE permission check media -> false');
    expect(lines(run.stderr, 'FAKE CSP ')).toEqual([expect.stringMatching(/^FAKE CSP default-src 'self'/)]);
    // window.open never opens an app window; only allowlisted https links go to the system browser.
    expect(lines(run.stderr, 'FAKE window.open')).toEqual([
      'FAKE window.open https://arxiv.org/abs/2002.05709 -> deny',
      'FAKE window.open https://example.invalid/x -> deny',
      'FAKE window.open file:///etc/passwd -> deny',
    ]);
    expect(lines(run.stderr, 'FAKE navigate')).toEqual(['FAKE navigate file:///app/out/renderer/index.html -> allowed', 'FAKE navigate https://example.invalid/ -> prevented']);
    expect(lines(run.stderr, 'FAKE openExternal')).toEqual(['FAKE openExternal https://arxiv.org/abs/2002.05709']);
    expect(run.stderr).toContain('FAKE menu File,editMenu,View,windowMenu,help');
    expect(run.stderr).toContain(`FAKE window preload=${join(root, 'out', 'preload', 'index.cjs')} sandbox=true contextIsolation=true`);
    expect(lines(run.stderr, 'Contrastive Workbench could not start')).toEqual([]);
    const log = readFileSync(join(run.home, 'logs', 'workbench.log'), 'utf8');
    expect(log).toMatch(/INFO starting .* on Electron 41\.7\.1/);
    expect(log).toMatch(/INFO window ready\n$/);
  });

  it('a window that fails to load → window-load failure, exit 1', async () => {
    const run = await startMain('load-fails', { cached: true, load: 'fail' });
    expect(run.code).toBe(1);
    expect(lines(run.stderr, 'Contrastive Workbench could not start')).toEqual([
      `Contrastive Workbench could not start (window load): file://${join(root, 'out', 'renderer', 'index.html')} did not load: ERR_FILE_NOT_FOUND (-6)`,
    ]);
    expect(lines(run.stderr, 'FAKE exit')).toEqual(['FAKE exit 1']);
  });

  it('a second instance hands over to the first: the ready line for npm start, exit 0, no workspace or store opened', async () => {
    const run = await startMain('second-instance', { cached: true, lock: 'taken', stopOnReady: false });
    expect(run.code).toBe(0);
    expect(lines(run.stderr, 'FAKE quit')).toEqual(['FAKE quit']);
    expect(run.stdout).toBe(`${WINDOW_READY_LINE}\n`);
    expect(lines(run.stderr, 'FAKE window')).toEqual([]);
    expect(existsSync(run.home)).toBe(false);
  });

  it('an engine worker that dies while starting → engine-worker failure, exit 1, no window', async () => {
    // The built main beside a worker.js that throws as it loads (runtime dependencies from the checkout).
    const broken = join(t.dir, 'broken-engine');
    cpSync(outMain, join(broken, 'out', 'main'), { recursive: true });
    writeFileSync(join(broken, 'out', 'main', 'worker.js'), "throw new Error('engine boom (test)');\n");
    symlinkSync(join(root, 'node_modules'), join(broken, 'node_modules'));
    symlinkSync(join(root, 'resources'), join(broken, 'resources'));
    writeFileSync(join(broken, 'package.json'), readFileSync(join(root, 'package.json')));
    const run = await startMain('engine-fails', { cached: true, main: join(broken, 'out', 'main') });
    expect(run.code).toBe(1);
    const [line, ...more] = lines(run.stderr, 'Contrastive Workbench could not start');
    expect(more).toEqual([]);
    expect(line).toMatch(/^Contrastive Workbench could not start \(engine worker\): .*engine boom \(test\)/);
    expect(lines(run.stderr, 'FAKE window')).toEqual([]);
    expect(lines(run.stderr, 'FAKE exit')).toEqual(['FAKE exit 1']);
    expect(readFileSync(join(run.home, 'logs', 'workbench.log'), 'utf8')).toContain(`ERROR ${line!}`);
  });
});
