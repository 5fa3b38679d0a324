#!/usr/bin/env node
// `npm start`: the desktop app. When Electron cannot start here (binary not downloadable, no display),
// say so in one line and serve the same UI in the browser instead (`cwb serve`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const passThrough = process.argv.slice(2);

function electronBinary() {
  const pkgDir = dirname(require.resolve('electron/package.json'));
  if (!existsSync(join(pkgDir, 'path.txt'))) {
    // First launch: fetch the Electron binary now (npm did not run its download script).
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
  child.on('exit', (code) => process.exit(code ?? 0));
}

let binary;
try {
  if (noDisplay()) throw new Error('no display: DISPLAY and WAYLAND_DISPLAY are unset');
  binary = electronBinary();
} catch (err) {
  serveInstead(err.message);
}

if (binary) {
  const build = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
  const startedAt = Date.now();
  const child = spawn(binary, [root], { stdio: 'inherit' });
  child.on('error', (err) => serveInstead(err.message));
  child.on('exit', (code) => {
    // A crash within seconds of launch means the window never came up: fall back rather than leave nothing.
    if (code !== 0 && Date.now() - startedAt < 10_000) serveInstead(`Electron exited with code ${code}`);
    else process.exit(code ?? 0);
  });
}
