#!/usr/bin/env node
// `npm run dist [-- <electron-builder arguments>]`: icons → electron-vite build → electron-builder
// (installers for this OS into dist/). electron-builder rebuilds native modules for Electron *in place*
// in node_modules (npmRebuild); the Node build of better-sqlite3, which the `cwb` CLI and the tests
// load, is kept aside and put back afterwards, so the checkout still works after packaging.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const defaultRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Copy better-sqlite3's Node build aside; the returned function puts it back (once). */
export function keepNodeBuild(root = defaultRoot) {
  const file = join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(file)) return () => undefined;
  const saved = `${file}.node-build`;
  copyFileSync(file, saved);
  return () => {
    if (existsSync(saved)) renameSync(saved, file);
  };
}

function run(args) {
  const result = spawnSync(process.execPath, args, { cwd: defaultRoot, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run([join(defaultRoot, 'scripts', 'icons.mjs')]);
  run([join(defaultRoot, 'scripts', 'build-wasm-kernels.mjs')]);
  run([join(defaultRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build']);
  const restore = keepNodeBuild();
  let status;
  try {
    status = spawnSync(process.execPath, [join(defaultRoot, 'node_modules', 'electron-builder', 'cli.js'), '--publish', 'never', ...process.argv.slice(2)], { cwd: defaultRoot, stdio: 'inherit' }).status;
  } finally {
    restore();
  }
  process.exit(status ?? 1);
}
