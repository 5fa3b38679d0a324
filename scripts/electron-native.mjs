#!/usr/bin/env node
// Electron's build of better-sqlite3, fetched once per (better-sqlite3, Electron, platform, arch) into
// node_modules/.cache — the Node build in node_modules stays for the `cwb` CLI. The Electron main process
// finds it through src/main/store/native-binding.ts (same layout; a test keeps the two equal).
// Packaged apps do not use this: electron-builder rebuilds node_modules for Electron at packaging time.
//
//   node scripts/electron-native.mjs [--electron <version>]   → prints the cached file, or one line why not
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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

/**
 * Make sure the Electron build is cached; returns `{ file, fetched }` or throws an Error whose message
 * is one line naming the reason. `prebuild-install` runs in a scratch copy of better-sqlite3's
 * package.json so it never overwrites the Node build.
 */
export function ensureElectronSqlite({ root = defaultRoot, electron = installedElectronVersion(root), platform = process.platform, arch = process.arch, timeoutMs = 120_000 } = {}) {
  const sqliteDir = join(root, 'node_modules', 'better-sqlite3');
  const sqlite = readJson(join(sqliteDir, 'package.json')).version;
  const file = electronSqliteBindingPath(root, sqlite, electron, platform, arch);
  if (existsSync(file)) return { file, fetched: false };
  const prebuild = join(root, 'node_modules', 'prebuild-install', 'bin.js');
  if (!existsSync(prebuild)) throw new Error(`prebuild-install is not installed (${prebuild}); run npm ci`);
  const scratch = mkdtempSync(join(tmpdir(), 'cwb-electron-native-'));
  try {
    copyFileSync(join(sqliteDir, 'package.json'), join(scratch, 'package.json'));
    const args = [prebuild, '--runtime', 'electron', '--target', electron, '--platform', platform, '--arch', arch, '--verbose'];
    const run = spawnSync(process.execPath, args, { cwd: scratch, encoding: 'utf8', timeout: timeoutMs });
    const built = join(scratch, 'build', 'Release', 'better_sqlite3.node');
    if (run.error || run.status !== 0 || !existsSync(built)) {
      const why = run.error?.code === 'ETIMEDOUT' ? `timed out after ${Math.round(timeoutMs / 1000)} s` : lastErrorLine(`${run.stderr ?? ''}\n${run.stdout ?? ''}`) || `exit code ${run.status}`;
      throw new Error(`no better-sqlite3 ${sqlite} build for Electron ${electron} (${platform}-${arch}) could be fetched: ${why}`);
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

function lastErrorLine(text) {
  const lines = text.split('\n').map((line) => line.replace(/^prebuild-install\s+(warn|err!|info|http)\s*/i, '').trim()).filter(Boolean);
  const errors = lines.filter((line) => /err|fail|not found|no prebuilt/i.test(line));
  return (errors.at(-1) ?? lines.at(-1) ?? '').slice(0, 300);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const at = process.argv.indexOf('--electron');
  try {
    const { file } = ensureElectronSqlite(at > 0 ? { electron: process.argv[at + 1] } : {});
    process.stdout.write(`${file}\n`);
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}
