/**
 * The one resources locator: where the workbench's own files are, from wherever this module runs
 * (src/ under tsx, out/ when built). Everything shipped beside the code — presets, templates, the
 * built UI — is found through here, never by a module walking up on its own.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The folder holding the workbench's package.json. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'contrastive-workbench') return (root = dir);
    } catch {
      // not here; keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the contrastive-workbench package.json');
    dir = parent;
  }
}

/** A path under `resources/` (data shipped with the app: presets, templates). */
export function resourcePath(...parts: string[]): string {
  return join(packageRoot(), 'resources', ...parts);
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
