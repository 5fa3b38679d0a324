#!/usr/bin/env node
// Electron's build of better-sqlite3, fetched once per (better-sqlite3, Electron, platform, arch) into
// node_modules/.cache — the Node build in node_modules stays for the `cwb` CLI. The Electron main process
// finds it through src/main/store/native-binding.ts (same layout; a test keeps the two equal).
// Packaged apps do not use this: electron-builder rebuilds node_modules for Electron at packaging time.
//
//   node scripts/electron-native.mjs [--electron <version>]   → prints the cached file, or one line why not
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { builderEnv } from './dist.mjs';
import { electronAbi, registeredAbi } from './native-abi.mjs';

const defaultRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

export function electronSqliteBindingPath(root, sqlite, electron, platform, arch) {
  return join(root, 'node_modules', '.cache', 'contrastive-workbench', `better-sqlite3-${sqlite}-electron-${electron}-${platform}-${arch}`, 'better_sqlite3.node');
}

/** The Electron version npm installed (the `electron` devDependency). */
export function installedElectronVersion(root = defaultRoot) {
  return readJson(join(root, 'node_modules', 'electron', 'package.json')).version;
}

/** prebuild-install in a scratch copy of better-sqlite3's package.json; the built file, or throws the reason. */
function fetchPrebuilt({ root, sqliteDir, electron, platform, arch, timeoutMs, scratch }) {
  const prebuild = join(root, 'node_modules', 'prebuild-install', 'bin.js');
  if (!existsSync(prebuild)) throw new Error(`prebuild-install is not installed (${prebuild}); run npm ci`);
  const dir = join(scratch, 'prebuilt');
  mkdirSync(dir);
  copyFileSync(join(sqliteDir, 'package.json'), join(dir, 'package.json'));
  const args = [prebuild, '--runtime', 'electron', '--target', electron, '--platform', platform, '--arch', arch, '--verbose'];
  const run = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', timeout: timeoutMs });
  const built = join(dir, 'build', 'Release', 'better_sqlite3.node');
  if (run.error || run.status !== 0 || !existsSync(built)) {
    throw new Error(run.error?.code === 'ETIMEDOUT' ? `timed out after ${Math.round(timeoutMs / 1000)} s` : lastErrorLine(`${run.stderr ?? ''}\n${run.stdout ?? ''}`) || `exit code ${run.status}`);
  }
  return built;
}

/**
 * @electron/rebuild (a dependency of electron-builder) compiling a scratch copy of better-sqlite3 against
 * Electron's headers: needs a C++ tool chain and Python, and takes minutes. The built file, or throws.
 */
function buildFromSource({ root, sqliteDir, electron, platform, arch, timeoutMs, scratch }) {
  if (platform !== process.platform) throw new Error(`cannot compile for ${platform} on ${process.platform}`);
  const lib = join(root, 'node_modules', '@electron', 'rebuild', 'lib', 'main.js');
  if (!existsSync(lib)) throw new Error('@electron/rebuild is not installed');
  const dir = join(scratch, 'source');
  const copy = join(dir, 'node_modules', 'better-sqlite3');
  // dereference: a linked better-sqlite3 must be copied, never built in place (that is the Node build).
  cpSync(sqliteDir, copy, { recursive: true, dereference: true, filter: (src) => src !== join(sqliteDir, 'build') });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'cwb-electron-native', version: '0.0.0', dependencies: { 'better-sqlite3': '*' } }));
  const code = `import { rebuild } from ${JSON.stringify(pathToFileURL(lib).href)};
await rebuild({ buildPath: process.argv[2], electronVersion: process.argv[3], arch: process.argv[4], onlyModules: ['better-sqlite3'], force: true, mode: 'sequential' });`;
  // A file, not `node --input-type=module -e`: @electron/rebuild forks node-gyp workers that inherit the flag and die.
  const runner = join(scratch, 'rebuild.mjs');
  writeFileSync(runner, code);
  // Without npm's nodedir (`npm start` exports it): node-gyp would compile against that Node's headers.
  const run = spawnSync(process.execPath, [runner, dir, electron, arch], { encoding: 'utf8', timeout: timeoutMs, env: builderEnv() });
  const built = join(copy, 'build', 'Release', 'better_sqlite3.node');
  if (run.error || run.status !== 0 || !existsSync(built)) {
    const output = `${run.stderr ?? ''}\n${run.stdout ?? ''}`;
    if (run.error?.code === 'ETIMEDOUT') throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s`);
    if (run.status === 0) throw new Error(`@electron/rebuild produced no better_sqlite3.node${lastErrorLine(output) ? ` (${lastErrorLine(output)})` : ''}`);
    throw new Error(compileFailure(output) || `exit code ${run.status}`);
  }
  checkElectronAbi(built, electron);
  return built;
}

/**
 * Throws when `file` is registered for another V8 ABI than Electron `electron` needs (it would not load).
 * An Electron newer than node-abi knows is not checked here; the app's own load check still is.
 */
export function checkElectronAbi(file, electron) {
  let needed;
  try {
    needed = electronAbi(electron);
  } catch {
    return;
  }
  const found = registeredAbi(file);
  if (found !== null && found !== needed) throw new Error(`the build is for NODE_MODULE_VERSION ${found}, Electron ${electron} needs ${needed}`);
}

/**
 * Make sure the Electron build is cached; returns `{ file, fetched }` or throws an Error whose message
 * is one line naming the reason. First a prebuilt binary (prebuild-install, seconds), else a build from
 * source (@electron/rebuild, minutes). Both work on scratch copies, never on the Node build.
 */
export function ensureElectronSqlite({
  root = defaultRoot,
  electron = installedElectronVersion(root),
  platform = process.platform,
  arch = process.arch,
  timeoutMs = 120_000,
  buildTimeoutMs = 900_000,
  log = () => undefined,
} = {}) {
  const sqliteDir = join(root, 'node_modules', 'better-sqlite3');
  const sqlite = readJson(join(sqliteDir, 'package.json')).version;
  const file = electronSqliteBindingPath(root, sqlite, electron, platform, arch);
  if (existsSync(file)) return { file, fetched: false };
  const scratch = mkdtempSync(join(tmpdir(), 'cwb-electron-native-'));
  const target = { root, sqliteDir, electron, platform, arch, scratch };
  try {
    let built;
    try {
      built = fetchPrebuilt({ ...target, timeoutMs });
    } catch (fetchError) {
      log(`No prebuilt better-sqlite3 for Electron ${electron} (${fetchError.message}); building it from source…`);
      try {
        built = buildFromSource({ ...target, timeoutMs: buildTimeoutMs });
      } catch (buildError) {
        throw new Error(`no better-sqlite3 ${sqlite} build for Electron ${electron} (${platform}-${arch}) could be fetched: ${fetchError.message}; nor built from source: ${buildError.message}`, { cause: buildError });
      }
    }
    mkdirSync(dirname(file), { recursive: true });
    const partial = `${file}.partial-${process.pid}`;
    copyFileSync(built, partial);
    renameSync(partial, file);
    return { file, fetched: true };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The reason a compile failed, in words, when it is one of the usual ones. */
function compileFailure(text) {
  if (/network connectivity|ENOTFOUND|ECONNREFUSED|ECONNRESET|EAI_AGAIN/.test(text)) return "Electron's headers could not be downloaded (no network)";
  if (/find (any )?Python/i.test(text)) return 'compiling needs Python';
  if (/not find any Visual Studio|xcode-select|No Xcode|make: not found|g\+\+: not found|c\+\+: not found/i.test(text)) return 'compiling needs a C++ tool chain';
  return lastErrorLine(text);
}

function lastErrorLine(text) {
  const lines = text.split('\n').map((line) => line.replace(/^prebuild-install\s+(warn|err!|info|http)\s*/i, '').trim()).filter(Boolean);
  const errors = lines.filter((line) => /err|fail|not found|no prebuilt/i.test(line));
  return (errors.at(-1) ?? lines.at(-1) ?? '').slice(0, 300);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const at = process.argv.indexOf('--electron');
  try {
    const log = (line) => process.stderr.write(`${line}\n`);
    const { file } = ensureElectronSqlite(at > 0 ? { electron: process.argv[at + 1], log } : { log });
    process.stdout.write(`${file}\n`);
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}
