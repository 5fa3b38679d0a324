/**
 * The one resources locator: where the workbench's own files are, from wherever this module runs
 * (src/ under tsx, out/ when built, a packaged Electron app). Everything shipped beside the code —
 * presets, the PyTorch project's Python files, the built UI — is found through here, never by a
 * module walking up on its own. `resources/` is looked for in order:
 *   1. `CWB_RESOURCES_DIR` when set (tests, unusual installs);
 *   2. beside the workbench's package.json, walking up from this module (also inside app.asar,
 *      which Electron reads transparently);
 *   3. `<process.resourcesPath>/resources` in a packaged Electron app (electron-builder
 *      `extraResources`).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'contrastive-workbench';
const HERE = dirname(fileURLToPath(import.meta.url));

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The nearest folder at or above `from` holding the workbench's package.json, if any. */
function findPackageRoot(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      if ((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir;
    } catch {
      // not here; keep walking up
    }
    if (dirname(dir) === dir) return undefined;
  }
}

let root: string | undefined;

/** The folder holding the workbench's package.json. */
export function packageRoot(): string {
  root ??= findPackageRoot(HERE);
  if (!root) throw new Error('cannot find the contrastive-workbench package.json');
  return root;
}

/** Where `resources/` is looked for, in order (for the error message and for tests). */
export function resourcesCandidates(env: NodeJS.ProcessEnv = process.env, from = HERE): string[] {
  const override = env['CWB_RESOURCES_DIR'];
  if (override) return [resolve(override)];
  const candidates: string[] = [];
  const pkg = findPackageRoot(from);
  if (pkg) candidates.push(join(pkg, 'resources'));
  const packaged = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (packaged) candidates.push(join(packaged, 'resources'));
  return candidates;
}

let cached: string | undefined;

/** The absolute path of the `resources/` folder; throws naming every place looked at when none exists. */
export function resourcesDir(env: NodeJS.ProcessEnv = process.env): string {
  if (cached && !env['CWB_RESOURCES_DIR']) return cached;
  const candidates = resourcesCandidates(env);
  const found = candidates.find(isDir);
  if (!found) {
    throw new Error(`the workbench's resources folder was not found (looked at: ${candidates.join(', ') || 'nowhere'}); set CWB_RESOURCES_DIR`);
  }
  if (!env['CWB_RESOURCES_DIR']) cached = found;
  return found;
}

/** A path under `resources/` (data shipped with the app: presets, templates); it may not exist. */
export function resourcePath(...parts: string[]): string {
  return join(resourcesDir(), ...parts);
}

/** A path under `resources/` that must exist; throws naming it otherwise (an incomplete install). */
export function requiredResource(...parts: string[]): string {
  const path = resourcePath(...parts);
  if (!existsSync(path)) throw new Error(`resource missing: ${path} (an incomplete install?)`);
  return path;
}

/**
 * The built-in presets of one kind (`resources/presets/<kind>`), or `$CWB_PRESETS_DIR/<kind>` when
 * that variable names another presets root.
 */
export function presetsDir(kind: 'augment' | 'methods'): string {
  const override = process.env['CWB_PRESETS_DIR'];
  return override ? join(override, kind) : resourcePath('presets', kind);
}

/** The built renderer bundle `cwb serve` and the window load (`out/renderer`). */
export function rendererDir(): string {
  return join(packageRoot(), 'out', 'renderer');
}
