/**
 * The experiment presets in resources/presets/experiments/ are recommendations the docs and the
 * quality benchmark quote: each must validate, resolve to a valid method config (the same merge
 * `cwb train --config` does), say in its name what it beat and where that is written down, and fit
 * the CPU budget it was chosen under.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AugmentSpec } from '../../../src/shared/schemas/augment';
import { ExperimentSchema } from '../../../src/shared/schemas/experiment';
import { resolveMethodConfig } from '../../../src/main/services/experiments';

const DIR = join(__dirname, '..', '..', '..', 'resources', 'presets', 'experiments');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

describe('experiment presets', () => {
  it('exist', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(`${file} validates, resolves and documents itself`, () => {
      const experiment = ExperimentSchema.parse(JSON.parse(readFileSync(join(DIR, file), 'utf8')));
      expect(file).toMatch(new RegExp(`^[a-z0-9-]+-${experiment.method}-[a-z0-9-]+\\.json$`));
      const method = resolveMethodConfig(experiment);
      expect(method.method).toBe(experiment.method);
      if (typeof experiment.augment === 'object') AugmentSpec.parse(experiment.augment);
      expect(experiment.name).toMatch(/docs\//);
      expect(experiment.epochs).toBeLessThanOrEqual(20);
    });
  }
});
