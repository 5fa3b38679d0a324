#!/usr/bin/env node
// `npm start`: the desktop app. Steps, each of which can end in the browser fallback (`cwb serve`) with
// one line naming the reason: a display → the Electron binary (downloaded on first launch) → Electron's
// build of better-sqlite3 (scripts/electron-native.mjs) → build main/preload/renderer → launch and wait
// for the app's "window ready" line (scripts/start-handshake.mjs), at most CWB_START_TIMEOUT_MS
// (default 90 s). A window that never comes is not waited for forever: the app is stopped and the
// browser UI served instead.
//
// CWB_ELECTRON_COMMAND runs that executable instead of Electron and skips the download, native and build
// steps (the handshake tests use stub apps; it also lets you try a custom Electron build).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureElectronSqlite } from './electron-native.mjs';
import { waitForWindow } from './start-handshake.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const passThrough = process.argv.slice(2);
const timeoutMs = Number(process.env.CWB_START_TIMEOUT_MS ?? 90_000);

function electronBinary() {
  const pkgDir = dirname(require.resolve('electron/package.json'));
  if (!existsSync(join(pkgDir, 'path.txt'))) {
    // First launch: fetch the Electron binary now (npm did not run its download script).
    process.stderr.write('Downloading Electron (first launch)…\n');
    const fetched = spawnSync(process.execPath, [join(pkgDir, 'install.js')], { stdio: 'ignore', timeout: 300_000 });
    if (fetched.status !== 0) throw new Error('the Electron binary could not be downloaded');
  }
  const binary = require('electron');
  if (!existsSync(binary)) throw new Error(`the Electron binary is missing (${binary})`);
  return binary;
}

function noDisplay() {
  return process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
}

function serveInstead(reason) {
  process.stderr.write(`Electron cannot start (${reason}); serving the same UI in your browser instead.\n`);
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build-renderer-if-needed.mjs')], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  const child = spawn(process.execPath, [join(root, 'bin', 'cwb.mjs'), 'serve', ...passThrough], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}

/** The executable to launch, or a reason it cannot be. */
function prepare() {
  if (noDisplay()) throw new Error('no display: DISPLAY and WAYLAND_DISPLAY are unset');
  if (process.env.CWB_ELECTRON_COMMAND) return process.env.CWB_ELECTRON_COMMAND;
  const binary = electronBinary();
  const { fetched } = ensureElectronSqlite({ root, log: (line) => process.stderr.write(`${line}\n`) });
  if (fetched) process.stderr.write('Fetched better-sqlite3 for Electron.\n');
  const build = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error(`the build failed (electron-vite exited with ${build.status})`);
  return binary;
}

let binary;
try {
  binary = prepare();
} catch (err) {
  serveInstead(err.message);
}

if (binary) {
  // ELECTRON_RUN_AS_NODE left over in the environment would start Node instead of the app.
  const { ELECTRON_RUN_AS_NODE: _asNode, ...env } = process.env;
  const child = spawn(binary, [root, ...passThrough], { stdio: ['inherit', 'pipe', 'pipe'], env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  const result = await waitForWindow(child, { timeoutMs });
  if (!result.ready) serveInstead(result.reason);
  else if (child.exitCode !== null || child.signalCode !== null) process.exit(child.exitCode ?? 1);
  else child.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
