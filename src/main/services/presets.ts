/** Method presets (`resources/presets/methods/<name>.json`): defaults as data, validated on load. */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkbenchError } from '../../shared/errors';
import { MethodConfigSchema, type MethodConfig, type MethodName } from '../../shared/schemas/method';
import { OP_NAMES, parseAugmentSpec, type AugmentSpec } from '../../shared/schemas/augment';
import { listAugmentPresets, loadAugmentPreset, loadAugmentSpecFile } from '../augment/presets';
import { writeFileAtomicSync } from '../files/atomic-file';
import { presetsDir, resourcePath } from '../resources';

export function methodPresetFile(name: MethodName): string {
  return join(presetsDir('methods'), `${name}.json`);
}

export function loadMethodPreset(name: MethodName): MethodConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(methodPresetFile(name), 'utf8'));
  } catch (err) {
    throw new WorkbenchError('UNAVAILABLE', `cannot read the ${name} preset: ${(err as Error).message}`);
  }
  const parsed = MethodConfigSchema.safeParse(raw);
  if (!parsed.success) throw new WorkbenchError('INTERNAL', `the ${name} preset is invalid: ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}

/**
 * One-line explanations from a knobs file beside the presets (`{ knobs: { key: text } }`) for one
 * scope (a method, an augmentation op): `<scope>.<field>` wins over a plain `<field>`. A missing or
 * unreadable file gives no tooltips, not an error.
 */
function loadKnobs(folder: 'methods' | 'augment', scope: string): Record<string, string> {
  let knobs: Record<string, unknown>;
  try {
    const file = JSON.parse(readFileSync(resourcePath('presets', folder, 'knobs.json'), 'utf8')) as { knobs?: Record<string, unknown> };
    knobs = file.knobs ?? {};
  } catch {
    return {};
  }
  const out: Record<string, string> = {};
  for (const [key, text] of Object.entries(knobs)) {
    if (typeof text !== 'string') continue;
    const dot = key.indexOf('.');
    if (dot < 0) out[key] ??= text;
    else if (key.slice(0, dot) === scope) out[key.slice(dot + 1)] = text;
  }
  return out;
}

/**
 * One-line explanations of the methods' hyper-parameters (resources/presets/methods/knobs.json):
 * the text the designer's tooltips show, kept with the presets it explains.
 */
export function loadMethodKnobs(method: MethodName): Record<string, string> {
  return loadKnobs('methods', method);
}

/**
 * One-line explanation and paper default of every augmentation op parameter, per op
 * (resources/presets/augment/knobs.json): the tuner's tooltips. Plain keys apply to every op, so a
 * parameter an op lacks may appear in its record; the tuner only asks for the ones it shows.
 */
export function loadAugmentKnobs(): Record<string, Record<string, string>> {
  return Object.fromEntries(OP_NAMES.map((op) => [op, loadKnobs('augment', op)]));
}

/** Augmentation presets the user saved from the tuner live in the workspace, beside the built-in ones. */
export function userAugmentPresetDir(home: string): string {
  return join(home, 'presets', 'augment');
}

const PRESET_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Built-in and saved augmentation presets, built-ins first; `user` marks the saved ones. */
export function listAllAugmentPresets(home: string): { name: string; spec: AugmentSpec; user: boolean }[] {
  const builtIn = listAugmentPresets().map((name) => ({ name, spec: loadAugmentPreset(name), user: false }));
  const dir = userAugmentPresetDir(home);
  const saved = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => ({ name: f.slice(0, -5), spec: loadAugmentSpecFile(join(dir, f)), user: true }))
    : [];
  return [...builtIn, ...saved];
}

/** A preset by name: a built-in one, else one the user saved in this workspace. */
export function resolveAugmentPreset(home: string, name: string): AugmentSpec {
  if (listAugmentPresets().includes(name)) return loadAugmentPreset(name);
  const file = join(userAugmentPresetDir(home), `${name}.json`);
  if (PRESET_NAME.test(name) && existsSync(file)) return loadAugmentSpecFile(file);
  throw new WorkbenchError('NOT_FOUND', `no augmentation preset "${name}" (built-in: ${listAugmentPresets().join(', ')})`);
}

/** Save a tuned spec as a named preset in the workspace (atomic write; built-in names are refused). */
export function saveAugmentPreset(home: string, name: string, spec: unknown, overwrite: boolean): { name: string; file: string } {
  if (!PRESET_NAME.test(name)) throw new WorkbenchError('INVALID_INPUT', 'name: use lower-case letters, digits and dashes (at most 64)');
  if (listAugmentPresets().includes(name)) throw new WorkbenchError('CONFLICT', `name: "${name}" is a built-in preset; choose another name`);
  let valid: AugmentSpec;
  try {
    valid = parseAugmentSpec(spec);
  } catch (err) {
    throw new WorkbenchError('INVALID_INPUT', `spec: ${(err as Error).message}`);
  }
  const dir = userAugmentPresetDir(home);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  if (existsSync(file) && !overwrite) throw new WorkbenchError('CONFLICT', `a preset named "${name}" exists; save with overwrite to replace it`);
  writeFileAtomicSync(file, `${JSON.stringify(valid, null, 2)}\n`);
  return { name, file };
}
