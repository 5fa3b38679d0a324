#!/usr/bin/env node
// `npm run dist [-- <electron-builder arguments>]`: icons → electron-vite build → electron-builder
// (installers for this OS into dist/). electron-builder rebuilds native modules for Electron *in place*
// in node_modules (npmRebuild); the Node build of better-sqlite3, which the `cwb` CLI and the tests
// load, is kept aside and put back afterwards, so the checkout still works after packaging.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const defaultRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The Node that packaging needs: the project's own floor (electron-vite, vite 8), `engines` in package.json. */
export const MIN_NODE = [20, 19];

/** One line saying why this Node cannot package, or null. */
export function nodeProblem(version = process.versions.node) {
  const [major, minor] = version.split('.').map(Number);
  if (major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1])) return null;
  return `npm run dist needs Node >= ${MIN_NODE.join('.')} (this is Node ${version})`;
}

/**
 * The environment for electron-builder: without npm's `nodedir`. `npm run` exports an npmrc `nodedir`
 * as npm_config_nodedir, and node-gyp then compiles the "Electron" rebuild against that Node's headers:
 * a binary with the Node ABI that Electron refuses to load, while the rebuild reports success.
 */
export function builderEnv(env = process.env) {
  return Object.fromEntries(Object.entries(env).filter(([key]) => key.toLowerCase() !== 'npm_config_nodedir'));
}

/**
 * Copy better-sqlite3's Node build aside (outside its build/ folder, which node-gyp deletes before it
 * compiles); the returned function puts it back (once), even when a failed rebuild left no build/ at all.
 * @electron/rebuild's `.forge-meta` marker is removed before and after: it would tell the next
 * `npm run dist` that the Node build put back here is already an Electron build, and skip the rebuild.
 */
export function keepNodeBuild(root = defaultRoot) {
  const release = join(root, 'node_modules', 'better-sqlite3', 'build', 'Release');
  const file = join(release, 'better_sqlite3.node');
  const marker = join(release, '.forge-meta');
  rmSync(marker, { force: true });
  if (!existsSync(file)) return () => undefined;
  const saved = join(root, 'node_modules', '.cache', 'contrastive-workbench', 'better_sqlite3.node-build');
  mkdirSync(dirname(saved), { recursive: true });
  copyFileSync(file, saved);
  return () => {
    if (!existsSync(saved)) return;
    mkdirSync(release, { recursive: true });
    renameSync(saved, file);
    rmSync(marker, { force: true });
  };
}

function run(args) {
  const result = spawnSync(process.execPath, args, { cwd: defaultRoot, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const problem = nodeProblem();
  if (problem) {
    process.stderr.write(`${problem}\n`);
    process.exit(1);
  }
  run([join(defaultRoot, 'scripts', 'icons.mjs')]);
  run([join(defaultRoot, 'scripts', 'build-wasm-kernels.mjs')]);
  run([join(defaultRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build']);
  const restore = keepNodeBuild();
  let status;
  try {
    const cli = join(defaultRoot, 'node_modules', 'electron-builder', 'cli.js');
    status = spawnSync(process.execPath, [cli, '--publish', 'never', ...process.argv.slice(2)], { cwd: defaultRoot, stdio: 'inherit', env: builderEnv() }).status;
  } finally {
    restore();
  }
  process.exit(status ?? 1);
}
