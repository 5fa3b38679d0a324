/** The multi-seed quality table's arithmetic (bench/lib/seeds.ts): mean ± sd, range, wins per seed. */
import { describe, expect, it } from 'vitest';
import {
  mergeRows,
  RANDOM_INIT,
  RAW_PIXELS,
  rowsOfResults,
  summarizeSeeds,
} from '../../bench/lib/seeds';
import type { QualityRow } from '../../bench/suites/quality';

const row = (model: string, seed: number, knnBest: number | null): QualityRow => ({
  model,
  seed,
  settings: model,
  batchSize: 128,
  epochs: 10,
  knnBest,
  bestEpoch: 5,
  knnFinal: knnBest,
  runtimeSeconds: 60,
  peakRssMB: 100,
  backend: 'wasm',
  load1: 1,
  command: 'cwb train',
});

describe('summarizeSeeds', () => {
  const rows = [
    ...[0, 1, 2].map((s) => row(RAW_PIXELS, s, 0.6555)),
    row(RANDOM_INIT, 0, 0.541),
    row(RANDOM_INIT, 1, 0.5185),
    row(RANDOM_INIT, 2, 0.524),
    row('simclr-light-crop', 0, 0.66),
    row('simclr-light-crop', 1, 0.6135),
    row('simclr-light-crop', 2, 0.6465),
    row('byol-light-crop', 0, 0.7),
    row('byol-light-crop', 1, null),
  ];
  const by = (model: string) => summarizeSeeds(rows).find((s) => s.model === model)!;

  it('gives mean, sample standard deviation and range over the seeds', () => {
    const s = by('simclr-light-crop');
    expect(s.mean).toBeCloseTo((0.66 + 0.6135 + 0.6465) / 3, 10);
    const m = s.mean!;
    const sd = Math.sqrt(((0.66 - m) ** 2 + (0.6135 - m) ** 2 + (0.6465 - m) ** 2) / 2);
    expect(s.sd).toBeCloseTo(sd, 10);
    expect([s.min, s.max]).toEqual([0.6135, 0.66]);
    expect([...s.bySeed.entries()]).toEqual([
      [0, 0.66],
      [1, 0.6135],
      [2, 0.6465],
    ]);
  });

  it('counts a win only against the same seed’s baseline, strictly above it', () => {
    expect(by('simclr-light-crop')).toMatchObject({ beatsRandomInit: 3, beatsRawPixels: 1 });
    // A failed seed is no win and no value: one value, no spread.
    expect(by('byol-light-crop')).toMatchObject({
      beatsRandomInit: 1,
      beatsRawPixels: 1,
      sd: null,
      mean: 0.7,
    });
    expect(by(RAW_PIXELS)).toMatchObject({ beatsRandomInit: null, beatsRawPixels: null, sd: 0 });
  });
});

describe('mergeRows', () => {
  it('keeps earlier rows, replaces the model × seed rows measured again, orders by model then seed', () => {
    const earlier = [
      row(RAW_PIXELS, 0, 0.65),
      row('simclr', 0, 0.66),
      row('simclr', 1, 0.61),
      row('byol', 0, 0.57),
    ];
    const later = [row(RAW_PIXELS, 0, 0.6555), row('vicreg', 0, 0.6), row('simclr', 2, 0.64)];
    const merged = mergeRows(earlier, later);
    expect(merged.map((r) => `${r.model}/${r.seed}/${r.knnBest}`)).toEqual([
      `${RAW_PIXELS}/0/0.6555`,
      'simclr/0/0.66',
      'simclr/1/0.61',
      'simclr/2/0.64',
      'byol/0/0.57',
      'vicreg/0/0.6',
    ]);
  });

  it('reads rows from a section file or a bare partial array, and refuses anything else', () => {
    const rows = [row('simclr', 0, 0.66)];
    expect(rowsOfResults(rows)).toEqual(rows);
    expect(rowsOfResults({ section: 'quality', data: { rows } })).toEqual(rows);
    expect(() => rowsOfResults({ section: 'train', data: {} })).toThrow(/no rows/);
  });
});
