import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AugmentSpecError,
  parseAugmentSpec,
  parseOpSpec,
  parsePipelineSpec,
} from '../../../src/shared/schemas/augment';
import {
  AUGMENT_PRESET_NAMES,
  listAugmentPresets,
  loadAugmentPreset,
  loadAugmentSpecFile,
} from '../../../src/main/augment/presets';

function errorOf(fn: () => unknown): AugmentSpecError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AugmentSpecError);
    return err as AugmentSpecError;
  }
  throw new Error('expected an AugmentSpecError');
}

describe('presets', () => {
  it('every required preset exists on disk and validates', () => {
    expect(listAugmentPresets()).toEqual([...AUGMENT_PRESET_NAMES].sort());
    for (const name of AUGMENT_PRESET_NAMES) {
      const spec = loadAugmentPreset(name);
      expect(spec.views.length).toBeGreaterThan(0);
    }
  });

  it('have the shapes their methods need', () => {
    const swav = loadAugmentPreset('swav-multicrop');
    expect(swav.views.map((g) => [g.name, g.count])).toEqual([
      ['global', 2],
      ['local', 6],
    ]);
    const byol = loadAugmentPreset('byol-asymmetric');
    expect(byol.views.map((g) => g.ops.find((o) => o.op === 'solarize')?.p ?? 0)).toEqual([0, 0.2]);
    expect(loadAugmentPreset('pirl-jigsaw').jigsaw?.grid).toBe(3);
    const gray = loadAugmentPreset('grayscale-safe');
    const ops = gray.views.flatMap((g) => g.ops);
    expect(ops.some((o) => o.op === 'grayscale')).toBe(false);
    for (const o of ops) if (o.op === 'color-jitter') expect([o.hue, o.saturation]).toEqual([0, 0]);
  });

  it('an unknown preset lists the available ones', () => {
    expect(() => loadAugmentPreset('simclr-v9')).toThrow(/available: .*simclr/);
  });

  it('a bad spec file names the file and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cwb-augment-'));
    const path = join(dir, 'bad.json');
    writeFileSync(
      path,
      JSON.stringify({
        kind: 'pair',
        views: [{ name: 'v', count: 2, ops: [{ op: 'solarize', threshold: 1.5 }] }],
      }),
    );
    expect(() => loadAugmentSpecFile(path)).toThrow(
      /bad\.json[\s\S]*views\[0\]\.ops\[0\]\.threshold: threshold must be ≤ 1 \(got 1\.5\)/,
    );
    writeFileSync(path, '{ not json');
    expect(() => loadAugmentSpecFile(path)).toThrow(/cannot read augmentation spec/);
  });
});

describe('spec errors are clear', () => {
  it('out-of-range values name the field, the bound and the value', () => {
    expect(errorOf(() => parseOpSpec({ op: 'color-jitter', hue: 0.7 })).issues).toEqual([
      'hue: hue must be ≤ 0.5 (got 0.7)',
    ]);
    expect(errorOf(() => parseOpSpec({ op: 'horizontal-flip', p: -0.1 })).issues).toEqual([
      'p: p must be ≥ 0 (got -0.1)',
    ]);
    expect(
      errorOf(() => parseOpSpec({ op: 'random-resized-crop', scale: [0.9, 0.2] })).issues[0],
    ).toMatch(/^scale: scale: lower bound must not exceed upper bound \(got \[0\.9, 0\.2\]\)/);
    expect(errorOf(() => parseOpSpec({ op: 'gaussian-blur', kernelSize: 4 })).issues[0]).toMatch(
      /kernelSize must be odd/,
    );
  });

  it('unknown ops and misspelt keys are rejected', () => {
    expect(errorOf(() => parseOpSpec({ op: 'cutout' })).message).toMatch(
      /unknown or missing op; expected one of random-resized-crop, /,
    );
    expect(errorOf(() => parseOpSpec({ op: 'solarize', treshold: 0.5 })).message).toMatch(
      /Unrecognized key: "treshold"/,
    );
  });

  it('normalize must come last; view counts must fit the kind', () => {
    expect(() =>
      parsePipelineSpec([{ op: 'normalize', mean: [0.5], std: [0.5] }, { op: 'grayscale' }]),
    ).toThrow(/normalize must be the last op/);
    const pair = (count: number) => ({ kind: 'pair', views: [{ name: 'v', count, ops: [] }] });
    expect(() => parseAugmentSpec(pair(3))).toThrow(/kind "pair" takes 2 views in total \(got 3\)/);
    expect(parseAugmentSpec(pair(2)).views[0]?.size).toEqual({ relative: 1 });
    expect(() => parseAugmentSpec({ kind: 'jigsaw', views: [{ name: 'v', ops: [] }] })).toThrow(
      /needs a jigsaw section/,
    );
    expect(() =>
      parseAugmentSpec({
        kind: 'pair',
        views: [
          { name: 'v', ops: [] },
          { name: 'v', ops: [] },
        ],
      }),
    ).toThrow(/unique/);
    expect(() => parseAugmentSpec({ kind: 'pairs', views: [] })).toThrow(
      /kind must be one of pair, multi-crop/,
    );
  });

  it('fills defaults from the papers', () => {
    expect(parseOpSpec({ op: 'color-jitter' })).toEqual({
      op: 'color-jitter',
      p: 0.8,
      brightness: 0.4,
      contrast: 0.4,
      saturation: 0.4,
      hue: 0.1,
      randomOrder: true,
    });
    expect(parseOpSpec({ op: 'random-resized-crop' })).toMatchObject({ scale: [0.08, 1], p: 1 });
  });
});
