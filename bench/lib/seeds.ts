/**
 * A quality study over several training seeds (`npm run bench -- --quality-seeds 0,1,2`): per model,
 * the best-epoch kNN of every seed, mean ± sample standard deviation, the range, and on how many
 * seeds it beat each baseline measured with the same seed (random init, raw pixels).
 */
import type { QualityRow } from '../suites/quality';

export const RAW_PIXELS = 'raw pixels (784-d)';
export const RANDOM_INIT = 'random init (small)';

export interface SeedSummary {
  model: string;
  settings: string;
  /** Best-epoch kNN by seed (null: the run failed). */
  bySeed: Map<number, number | null>;
  mean: number | null;
  /** Sample standard deviation (n − 1); null below two values. */
  sd: number | null;
  min: number | null;
  max: number | null;
  /** Seeds on which it was strictly above that seed's random-init / raw-pixel score (baselines: null). */
  beatsRandomInit: number | null;
  beatsRawPixels: number | null;
  runtimeSeconds: number[];
  load1: (number | null)[];
}

export function summarizeSeeds(rows: readonly QualityRow[]): SeedSummary[] {
  const baseline = (model: string, seed: number): number | null =>
    rows.find((r) => r.model === model && (r.seed ?? 0) === seed)?.knnBest ?? null;
  const byModel = new Map<string, QualityRow[]>();
  for (const r of rows) byModel.set(r.model, [...(byModel.get(r.model) ?? []), r]);
  return [...byModel.entries()].map(([model, group]) => {
    const values = group.map((r) => r.knnBest).filter((v): v is number => v !== null);
    const n = values.length;
    const mean = n ? values.reduce((a, b) => a + b, 0) / n : null;
    const sd =
      mean !== null && n >= 2
        ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1))
        : null;
    const isBaseline = model === RAW_PIXELS || model === RANDOM_INIT;
    const beats = (reference: string): number | null =>
      isBaseline
        ? null
        : group.filter((r) => {
            const b = baseline(reference, r.seed ?? 0);
            return r.knnBest !== null && b !== null && r.knnBest > b;
          }).length;
    return {
      model,
      settings: group[0]!.settings,
      bySeed: new Map(group.map((r) => [r.seed ?? 0, r.knnBest])),
      mean,
      sd,
      min: n ? Math.min(...values) : null,
      max: n ? Math.max(...values) : null,
      beatsRandomInit: beats(RANDOM_INIT),
      beatsRawPixels: beats(RAW_PIXELS),
      runtimeSeconds: group.map((r) => r.runtimeSeconds).filter((v): v is number => v !== null),
      load1: group.map((r) => r.load1),
    };
  });
}
