/**
 * better-sqlite3 under Electron: the one native module here that is built against V8 directly (not
 * N-API), so the build that `npm ci` made for Node does not load in Electron's main process.
 *
 * The desktop app passes a build for its own Electron to better-sqlite3's `nativeBinding` option:
 * - packaged app: electron-builder rebuilt `node_modules` for that Electron → the default build is right;
 * - `npm start` from a checkout: `scripts/electron-native.mjs` put an Electron build into a cache keyed by
 *   the better-sqlite3 version, the Electron version, the platform and the architecture;
 * - plain Node (the CLI, `cwb serve`, tests): the default build.
 * The layout of the cache is written here and in `scripts/electron-native.mjs`; a test keeps them equal.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { WorkbenchError } from '../../shared/errors';

export interface BindingTarget {
  /** The project root (holds node_modules). */
  root: string;
  /** `process.versions.electron`; undefined under plain Node. */
  electronVersion: string | undefined;
  /** `app.isPackaged`: electron-builder already rebuilt the native modules for this Electron. */
  packaged: boolean;
  platform?: NodeJS.Platform;
  arch?: string;
}

// Not named `require`: electron-vite's ESM build declares its own `require` in the same chunk.
const loadNative = createRequire(import.meta.url);

/** The installed better-sqlite3's version (part of the cache key: its JS and its addon go together). */
export function sqliteVersion(root: string): string {
  const pkg = loadNative(join(root, 'node_modules', 'better-sqlite3', 'package.json')) as { version: string };
  return pkg.version;
}

/** Where the Electron build of better-sqlite3 is cached for one Electron version, platform and arch. */
export function electronSqliteBindingPath(root: string, sqlite: string, electron: string, platform: string, arch: string): string {
  return join(root, 'node_modules', '.cache', 'contrastive-workbench', `better-sqlite3-${sqlite}-electron-${electron}-${platform}-${arch}`, 'better_sqlite3.node');
}

/**
 * The `nativeBinding` to open the store with: undefined for the default build (plain Node, packaged
 * app), else the cached Electron build — which must exist and load, or this throws one clear reason.
 */
export function resolveSqliteBinding(target: BindingTarget): string | undefined {
  const electron = target.electronVersion;
  if (electron === undefined || target.packaged) return undefined;
  const platform = target.platform ?? process.platform;
  const arch = target.arch ?? process.arch;
  const sqlite = sqliteVersion(target.root);
  const file = electronSqliteBindingPath(target.root, sqlite, electron, platform, arch);
  if (!existsSync(file)) {
    throw new WorkbenchError(
      'UNAVAILABLE',
      `no better-sqlite3 ${sqlite} build for Electron ${electron} (${platform}-${arch}) at ${file}; run \`node scripts/electron-native.mjs\` (npm start runs it) with internet access`,
      { file, electron, sqlite, platform, arch },
    );
  }
  try {
    loadNative(file);
  } catch (err) {
    throw new WorkbenchError(
      'UNAVAILABLE',
      `the better-sqlite3 build at ${file} does not load in Electron ${electron}: ${firstLine((err as Error).message)}; delete it and run \`node scripts/electron-native.mjs\` again`,
      { file, electron, sqlite, platform, arch },
    );
  }
  return file;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}
