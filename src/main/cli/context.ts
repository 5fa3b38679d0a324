import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { WorkbenchError } from '../../shared/errors';
import { createServices, type Services } from '../services/index';
import { defaultHome } from '../workspace/home';
import { createOutput, type Output } from './output';

export interface GlobalOptions {
  home?: string;
  json?: boolean;
}

/** Open the workspace for one command, run it, and always close the record and engine. */
export async function withServices<T>(
  globals: GlobalOptions,
  run: (services: Services, out: Output) => Promise<T>,
  front: 'browser' | 'electron' = 'browser',
): Promise<T> {
  const out = createOutput(Boolean(globals.json));
  const services = createServices({ home: globals.home ?? defaultHome(), front });
  try {
    return await run(services, out);
  } finally {
    await services.close();
  }
}

/** `p` with symlinks resolved as far as it exists (the rest appended), so nesting checks see real folders. */
function realish(p: string): string {
  const abs = resolve(p);
  if (existsSync(abs)) return realpathSync(abs);
  const parent = dirname(abs);
  return parent === abs ? abs : resolve(realish(parent), relative(parent, abs));
}

/**
 * The workspace must not live inside the user's dataset folder (the folder is read-only to us):
 * refused before anything — workspace folder, database — is created.
 */
export function refuseHomeInside(globals: GlobalOptions, datasetDir: string): void {
  const home = realish(globals.home ?? defaultHome());
  const dir = realish(datasetDir);
  const rel = relative(dir, home);
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
    throw new WorkbenchError('INVALID_INPUT', `the workspace ${home} is inside the dataset folder ${dir}, which is never written to; choose a --home outside it`);
  }
}
