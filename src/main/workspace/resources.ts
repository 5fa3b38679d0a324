/**
 * The one resources locator: finds the workbench's `resources/` folder (presets, the PyTorch
 * project's Python files, the icon) wherever the code runs —
 *   1. `CWB_RESOURCES_DIR` when set (tests, unusual installs);
 *   2. beside the package.json of the workbench, walking up from this module (src/ under tsx,
 *      out/ after a build, and inside app.asar where Electron reads files transparently);
 *   3. `<process.resourcesPath>/resources` in a packaged Electron app (electron-builder
 *      `extraResources`).
 * Leaf module: node built-ins only.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'contrastive-workbench';

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isWorkbenchPackage(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/** Where `resources/` is looked for, in order (for the error message and for tests). */
export function resourcesCandidates(env: NodeJS.ProcessEnv = process.env, from = dirname(fileURLToPath(import.meta.url))): string[] {
  const candidates: string[] = [];
  const override = env['CWB_RESOURCES_DIR'];
  if (override) return [resolve(override)];
  for (let dir = from; ; dir = dirname(dir)) {
    if (isWorkbenchPackage(dir)) {
      candidates.push(join(dir, 'resources'));
      break;
    }
    if (dirname(dir) === dir) break;
  }
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

/** A path inside `resources/`, e.g. `resourcePath('pytorch-project', 'train.py')`; throws when it does not exist. */
export function resourcePath(...parts: string[]): string {
  const path = join(resourcesDir(), ...parts);
  if (!existsSync(path)) throw new Error(`resource missing: ${path} (an incomplete install?)`);
  return path;
}
