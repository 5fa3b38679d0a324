/**
 * The fixed files of a generated PyTorch project, read from `resources/pytorch-project/`: every
 * `.py` module verbatim (real files, so they can be read, linted and byte-compiled), plus
 * `requirements.txt` and the `run_local.sh` template. The parameter mechanism is one function:
 * `{{NAME}}` markers in a template are replaced by the values given, and a marker without a value
 * (or a value without a marker) is an error, so nothing is filled in silently.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resourcesDir } from '../../resources';

export const PROJECT_RESOURCE_DIR = 'pytorch-project';

/** The folder holding the project's fixed files. */
export function projectResourceDir(): string {
  return join(resourcesDir(), PROJECT_RESOURCE_DIR);
}

let pythonCache: Readonly<Record<string, string>> | undefined;

/** Every `.py` file of the project, by file name (read once). */
export function pythonFiles(): Readonly<Record<string, string>> {
  if (!pythonCache) {
    const dir = projectResourceDir();
    const names = readdirSync(dir).filter((n) => n.endsWith('.py')).sort();
    if (!names.includes('train.py')) throw new Error(`the PyTorch project's files are incomplete: no train.py in ${dir}`);
    pythonCache = Object.fromEntries(names.map((n) => [n, readFileSync(join(dir, n), 'utf8')]));
  }
  return pythonCache;
}

/** A non-Python file of the project as it is on disk (requirements.txt, run_local.sh). */
export function projectResource(name: string): string {
  return readFileSync(join(projectResourceDir(), name), 'utf8');
}

const MARKER = /\{\{([A-Z0-9_]+)\}\}/g;

/** Fill `{{NAME}}` markers; throws naming any marker left without a value or any value never used. */
export function fillTemplate(name: string, text: string, values: Readonly<Record<string, string>>): string {
  const used = new Set<string>();
  const missing = new Set<string>();
  const out = text.replace(MARKER, (whole, key: string) => {
    const value = values[key];
    if (value === undefined) {
      missing.add(key);
      return whole;
    }
    used.add(key);
    return value;
  });
  const unused = Object.keys(values).filter((k) => !used.has(k));
  if (missing.size > 0 || unused.length > 0) {
    throw new Error(`template ${name}: ${[...[...missing].map((k) => `no value for {{${k}}}`), ...unused.map((k) => `no {{${k}}} marker`)].join('; ')}`);
  }
  return out;
}
