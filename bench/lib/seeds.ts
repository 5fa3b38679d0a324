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

/**
 * One study from several runs of the suite (`--quality-merge`): the earlier rows, less those a later
 * run measured again (same model and seed), then the later rows. Order: by model as first seen,
 * then by seed.
 */
export function mergeRows(
  earlier: readonly QualityRow[],
  later: readonly QualityRow[],
): QualityRow[] {
  const key = (r: QualityRow): string => `${r.model}\u0000${r.seed ?? 0}`;
  const remeasured = new Set(later.map(key));
  const all = [...earlier.filter((r) => !remeasured.has(key(r))), ...later];
  const models = [...new Set([...earlier, ...later].map((r) => r.model))];
  return [...all].sort(
    (a, b) => models.indexOf(a.model) - models.indexOf(b.model) || (a.seed ?? 0) - (b.seed ?? 0),
  );
}

/** The rows of a results file: a section file's `data.rows`, or a bare array (quality.partial.json). */
export function rowsOfResults(json: unknown): QualityRow[] {
  if (Array.isArray(json)) return json as QualityRow[];
  const rows = (json as { data?: { rows?: unknown } } | null)?.data?.rows;
  if (!Array.isArray(rows)) throw new Error('not a quality results file (no rows)');
  return rows as QualityRow[];
}
