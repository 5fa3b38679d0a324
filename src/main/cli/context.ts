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
