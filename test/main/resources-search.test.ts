/** The one resources locator: finds resources/ from the source tree, honours CWB_RESOURCES_DIR, and fails naming where it looked. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { requiredResource, resourcesCandidates, resourcesDir } from '../../src/main/resources';
import { tempDir } from '../helpers/temp';

const repoResources = resolve(fileURLToPath(new URL('../../resources', import.meta.url)));

describe('resources locator', () => {
  it('finds the repository resources/ folder from the source tree (dev, tests)', () => {
    expect(resourcesDir({})).toBe(repoResources);
    expect(existsSync(requiredResource('pytorch-project', 'train.py'))).toBe(true);
    expect(existsSync(requiredResource('presets', 'augment', 'simclr.json'))).toBe(true);
  });

  it('walks up from a built bundle location (out/main) to the package root', () => {
    const fromOut = join(repoResources, '..', 'out', 'main');
    expect(resourcesCandidates({}, fromOut)[0]).toBe(repoResources);
  });

  it('CWB_RESOURCES_DIR wins; a missing folder is an error naming where it looked', () => {
    const t = tempDir();
    try {
      expect(resourcesDir({ CWB_RESOURCES_DIR: t.dir })).toBe(t.dir);
      const missing = join(t.dir, 'nope');
      expect(() => resourcesDir({ CWB_RESOURCES_DIR: missing })).toThrow(missing);
    } finally {
      t.cleanup();
    }
  });

  it('a missing resource names its path', () => {
    expect(() => requiredResource('pytorch-project', 'no-such-file.py')).toThrow(/resource missing: .*no-such-file\.py/);
  });
});
