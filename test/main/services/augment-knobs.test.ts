/** Issue 17 §4: every augmentation op parameter has a one-line explanation and its paper default. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listAugmentPresets } from '../../../src/main/augment/presets';
import { resourcePath } from '../../../src/main/resources';
import { loadAugmentKnobs } from '../../../src/main/services/presets';
import { OpSpec } from '../../../src/shared/schemas/augment';

const params = OpSpec.options.map((schema) => ({
  op: schema.shape.op.value as string,
  keys: Object.keys(schema.shape).filter((k) => k !== 'op'),
}));

describe('augmentation op knobs', () => {
  it.each(params)('$op: every parameter of the op schema has a one-line text with its paper default', ({ op, keys }) => {
    const knobs = loadAugmentKnobs()[op] ?? {};
    for (const key of keys) {
      const text = knobs[key];
      expect(text, `${op}.${key}`).toMatch(/\S.{30,}/);
      expect(text, `${op}.${key} is one line`).not.toMatch(/\n/);
      expect(text, `${op}.${key} names its default`).toMatch(/default/i);
    }
  });

  it('names no parameter that no op has (no stale text)', () => {
    const file = JSON.parse(readFileSync(resourcePath('presets', 'augment', 'knobs.json'), 'utf8')) as { knobs: Record<string, string> };
    const all = new Set(params.flatMap((p) => p.keys));
    for (const key of Object.keys(file.knobs)) {
      const dot = key.indexOf('.');
      if (dot < 0) expect(all.has(key), key).toBe(true);
      else expect(params.find((p) => p.op === key.slice(0, dot))?.keys, key).toContain(key.slice(dot + 1));
    }
  });

  it('an op-specific text wins over the shared one, and the knobs file is not offered as a preset', () => {
    const knobs = loadAugmentKnobs();
    expect(knobs['color-jitter']!['p']).toMatch(/0\.8/);
    expect(knobs['grayscale']!['p']).toMatch(/0\.2/);
    expect(knobs['rotation']!['fill']).toBe(knobs['affine']!['fill']);
    expect(listAugmentPresets()).not.toContain('knobs');
  });
});
