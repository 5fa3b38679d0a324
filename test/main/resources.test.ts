import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot, presetsDir, rendererDir, resourcePath } from '../../src/main/resources';

const saved = process.env['CWB_PRESETS_DIR'];
afterEach(() => {
  if (saved === undefined) delete process.env['CWB_PRESETS_DIR'];
  else process.env['CWB_PRESETS_DIR'] = saved;
});

describe('the resources locator', () => {
  it('finds the package root and the files shipped under resources/', () => {
    expect(existsSync(join(packageRoot(), 'package.json'))).toBe(true);
    expect(existsSync(resourcePath('presets', 'methods', 'simclr.json'))).toBe(true);
    delete process.env['CWB_PRESETS_DIR'];
    expect(existsSync(join(presetsDir('augment'), 'simclr.json'))).toBe(true);
    expect(presetsDir('methods')).toBe(resourcePath('presets', 'methods'));
    expect(rendererDir()).toBe(join(packageRoot(), 'out', 'renderer'));
  });

  it('takes another presets root from CWB_PRESETS_DIR, for every kind', () => {
    process.env['CWB_PRESETS_DIR'] = '/somewhere/presets';
    expect(presetsDir('augment')).toBe(join('/somewhere/presets', 'augment'));
    expect(presetsDir('methods')).toBe(join('/somewhere/presets', 'methods'));
  });
});
