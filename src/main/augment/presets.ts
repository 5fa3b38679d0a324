/**
 * Augmentation presets: JSON files in resources/presets/augment/, validated by the same schema as a
 * user's `--augment spec.json` (house rule "data as data"). The directory comes from the resources
 * locator (`resources.ts`: `resources/presets/augment`, or `$CWB_PRESETS_DIR/augment`) unless given.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AugmentSpecError, parseAugmentSpec, type AugmentSpec } from '../../shared/schemas/augment';
import { presetsDir } from '../resources';

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
  const dir = presetsDir('augment');
  if (!existsSync(dir)) throw new Error(`augmentation presets not found (${dir}); set CWB_PRESETS_DIR`);
  return dir;
}

/** The ops' parameter explanations beside the presets (`services/presets.ts`), not a preset. */
export const AUGMENT_KNOBS_FILE = 'knobs.json';

/** Preset names available on disk (file names without `.json`), sorted. */
export function listAugmentPresets(dir = augmentPresetDirectory()): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== AUGMENT_KNOBS_FILE)
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
