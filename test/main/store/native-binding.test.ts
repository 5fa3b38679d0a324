import { copyFileSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/store/db';
import { LATEST_VERSION } from '../../../src/main/store/migrations/index';
import { electronSqliteBindingPath, resolveSqliteBinding } from '../../../src/main/store/native-binding';
// @ts-expect-error — a plain .mjs script without types
import * as script from '../../../scripts/electron-native.mjs';
import { tempDir } from '../../helpers/temp';

const require = createRequire(import.meta.url);
const sqlitePackage = require.resolve('better-sqlite3/package.json');
const nodeBuild = join(dirname(sqlitePackage), 'build', 'Release', 'better_sqlite3.node');
const sqliteVersion = (require(sqlitePackage) as { version: string }).version;

/** A project root with better-sqlite3's package.json, and optionally a file in the Electron cache. */
function fakeRoot(cached?: (file: string) => void): { root: string; file: string; cleanup: () => void } {
  const { dir, cleanup } = tempDir('cwb-native-');
  mkdirSync(join(dir, 'node_modules', 'better-sqlite3'), { recursive: true });
  copyFileSync(sqlitePackage, join(dir, 'node_modules', 'better-sqlite3', 'package.json'));
  const file = electronSqliteBindingPath(dir, sqliteVersion, '41.7.1', 'linux', 'x64');
  if (cached) {
    mkdirSync(dirname(file), { recursive: true });
    cached(file);
  }
  cleanups.push(cleanup);
  return { root: dir, file, cleanup };
}
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

describe('better-sqlite3 native binding for Electron', () => {
  const target = { electronVersion: '41.7.1', packaged: false, platform: 'linux' as const, arch: 'x64' };

  it('uses the default build under plain Node and in a packaged app', () => {
    const { root } = fakeRoot();
    expect(resolveSqliteBinding({ ...target, root, electronVersion: undefined })).toBeUndefined();
    expect(resolveSqliteBinding({ ...target, root, packaged: true })).toBeUndefined();
  });

  it('refuses with a clear reason when there is no build for this Electron version', () => {
    const { root, file } = fakeRoot();
    expect(() => resolveSqliteBinding({ ...target, root })).toThrow(/no better-sqlite3 \S+ build for Electron 41\.7\.1 \(linux-x64\)/);
    expect(() => resolveSqliteBinding({ ...target, root })).toThrow(file);
    expect(() => resolveSqliteBinding({ ...target, root })).toThrow(/scripts\/electron-native\.mjs/);
  });

  it('refuses a cached file that does not load, naming it', () => {
    const { root, file } = fakeRoot((f) => writeFileSync(f, 'not a shared object'));
    expect(() => resolveSqliteBinding({ ...target, root })).toThrow(new RegExp(`build at ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} does not load in Electron 41\\.7\\.1`));
  });

  it('opens a real database through the cached build (the Node build stands in for Electron’s here)', () => {
    const { root, file } = fakeRoot((f) => copyFileSync(nodeBuild, f));
    const binding = resolveSqliteBinding({ ...target, root });
    expect(binding).toBe(file);
    const db = openDatabase(join(root, 'workbench.db'), { nativeBinding: binding });
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    db.close();
  });

  it('the fetch script and the main process agree on the cache layout', () => {
    const args = ['/r', '12.0.0', '41.7.1', 'darwin', 'arm64'] as const;
    expect(script.electronSqliteBindingPath(...args)).toBe(electronSqliteBindingPath(...args));
  });

  it('the fetch script reuses a cached build without fetching', () => {
    const { root, file } = fakeRoot((f) => copyFileSync(nodeBuild, f));
    expect(script.ensureElectronSqlite({ root, electron: '41.7.1', platform: 'linux', arch: 'x64' })).toEqual({ file, fetched: false });
  });

  it('the fetch script names the reason when no build exists for an Electron version, and caches nothing', () => {
    const { root, file } = fakeRoot();
    mkdirSync(join(root, 'node_modules', 'prebuild-install'), { recursive: true });
    const real = dirname(require.resolve('prebuild-install/package.json'));
    // The real prebuild-install, reached from the fake root.
    writeFileSync(join(root, 'node_modules', 'prebuild-install', 'bin.js'), `require(${JSON.stringify(join(real, 'bin.js'))});\n`);
    const electron = '0.0.1-no-such-electron';
    expect(() => script.ensureElectronSqlite({ root, electron, platform: 'linux', arch: 'x64', timeoutMs: 60_000 })).toThrow(
      new RegExp(`^no better-sqlite3 ${sqliteVersion.replace(/\./g, '\\.')} build for Electron ${electron} \\(linux-x64\\) could be fetched: .+`),
    );
    expect(() => script.ensureElectronSqlite({ root, electron, platform: 'linux', arch: 'x64' })).toThrow(/; nor built from source: @electron\/rebuild is not installed$/);
    // With @electron/rebuild present the build from source is tried (here on a better-sqlite3 with no
    // sources: nothing to compile) and its outcome named too.
    mkdirSync(join(root, 'node_modules', '@electron'), { recursive: true });
    symlinkSync(dirname(dirname(require.resolve('@electron/rebuild'))), join(root, 'node_modules', '@electron', 'rebuild'));
    const logged: string[] = [];
    expect(() => script.ensureElectronSqlite({ root, electron, platform: process.platform, arch: process.arch, log: (l: string) => logged.push(l) })).toThrow(
      /could be fetched: .+; nor built from source: .+/,
    );
    expect(logged).toEqual([expect.stringMatching(/^No prebuilt better-sqlite3 for Electron 0\.0\.1-no-such-electron \(.+\); building it from source…$/)]);
    expect(() => resolveSqliteBinding({ ...target, root, electronVersion: electron })).toThrow(/no better-sqlite3/);
    expect(existsSync(dirname(electronSqliteBindingPath(root, sqliteVersion, electron, 'linux', 'x64')))).toBe(false);
    expect(existsSync(file)).toBe(false);
  }, 70_000);
});
