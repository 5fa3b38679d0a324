/** Method presets (`resources/presets/methods/<name>.json`): defaults as data, validated on load. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkbenchError } from '../../shared/errors';
import { MethodConfigSchema, type MethodConfig, type MethodName } from '../../shared/schemas/method';
import { packageRoot } from '../version';

export function methodPresetFile(name: MethodName): string {
  return join(packageRoot(), 'resources', 'presets', 'methods', `${name}.json`);
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
