/**
 * Augmentation presets: JSON files in resources/presets/augment/, validated by the same schema as a
 * user's `--augment spec.json` (house rule "data as data"). The directory is found by walking up
 * from this module (works from src/ under tsx and from out/ after a build) unless given explicitly
 * or through `CWB_PRESETS_DIR` (the presets root, containing `augment/`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AugmentSpecError, parseAugmentSpec, type AugmentSpec } from '../../shared/schemas/augment';

export const AUGMENT_PRESET_NAMES = [
  'simclr',
  'moco-v2',
  'swav-multicrop',
  'pirl-jigsaw',
  'byol-asymmetric',
  'grayscale-safe',
] as const;

/** The folder holding the augmentation preset files. */
export function augmentPresetDirectory(): string {
  const root = process.env['CWB_PRESETS_DIR'];
  if (root) return join(root, 'augment');
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'resources', 'presets', 'augment');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(
        'augmentation presets not found (resources/presets/augment); set CWB_PRESETS_DIR',
      );
    dir = parent;
  }
}

/** Preset names available on disk (file names without `.json`), sorted. */
export function listAugmentPresets(dir = augmentPresetDirectory()): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** Read and validate a spec file; errors name the file and every bad field. */
export function loadAugmentSpecFile(path: string): AugmentSpec {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new AugmentSpecError(`cannot read augmentation spec ${path}: ${(err as Error).message}`, [
      (err as Error).message,
    ]);
  }
  return parseAugmentSpec(raw, `augmentation spec ${path}`);
}

/** A preset by name (e.g. `simclr`), validated. */
export function loadAugmentPreset(name: string, dir = augmentPresetDirectory()): AugmentSpec {
  const available = listAugmentPresets(dir);
  if (!available.includes(name)) {
    throw new Error(`unknown augmentation preset "${name}"; available: ${available.join(', ')}`);
  }
  return loadAugmentSpecFile(resolve(dir, `${name}.json`));
}
