/**
 * A sweep: one base experiment (the designer's JSON) plus named fields to vary, expanded as a full
 * grid or as seeded random draws. Pure TypeScript, shared by `cwb sweep`, the service and the UI,
 * so every front expands a sweep into the same runs in the same order.
 *
 * Example (sweep.json): { "experiment": { "datasetId": 1, "method": "moco", "epochs": 5 },
 *   "fields": { "queueSize": [64, 4096], "temperature": [0.1, 0.2] } } → 4 runs, queueSize slowest.
 */
import { z } from 'zod';

/** Fields a sweep may vary by name (besides any `methodOverrides.<key>`). */
export const SWEEP_FIELDS = [
  'method',
  'temperature',
  'queueSize',
  'batchSize',
  'cropScale',
  'learningRate',
  'epochs',
  'seed',
] as const;
export type SweepFieldName = (typeof SWEEP_FIELDS)[number];

const FIELD_PATTERN = /^methodOverrides\.[A-Za-z][A-Za-z0-9]*$/;
export function isSweepField(key: string): boolean {
  return (SWEEP_FIELDS as readonly string[]).includes(key) || FIELD_PATTERN.test(key);
}

export type SweepValue = number | string | boolean;
const SweepValueSchema = z.union([z.number(), z.string(), z.boolean()]);

export const SweepConfigSchema = z
  .strictObject({
    name: z.string().min(1).max(200).optional(),
    /** The base experiment: every run is this with the sweep's settings laid over it. */
    experiment: z.record(z.string(), z.unknown()),
    /** grid: every combination; random: `samples` seeded draws (one value per field each). */
    search: z.enum(['grid', 'random'], { error: 'search must be grid or random' }).default('grid'),
    samples: z.number().int().min(1).max(1000).optional(),
    seed: z.number().int().min(0).default(0),
    fields: z
      .record(
        z.string(),
        z.array(SweepValueSchema).min(1, { error: 'every field needs at least one value' }),
      )
      .refine((f) => Object.keys(f).length > 0, { error: 'name at least one field to vary' }),
  })
  .superRefine((sweep, ctx) => {
    for (const key of Object.keys(sweep.fields)) {
      if (!isSweepField(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['fields', key],
          message: `"${key}" is not a sweep field (use ${SWEEP_FIELDS.join(', ')} or methodOverrides.<key>)`,
        });
      }
    }
    if (sweep.search === 'random' && sweep.samples === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['samples'],
        message: 'a random sweep needs the number of runs',
      });
    const runs =
      sweep.search === 'grid'
        ? Object.values(sweep.fields).reduce((n, v) => n * v.length, 1)
        : (sweep.samples ?? 0);
    if (runs > 1000)
      ctx.addIssue({
        code: 'custom',
        path: ['fields'],
        message: `the sweep expands to ${runs} runs (at most 1000)`,
      });
  });
export type SweepConfig = z.infer<typeof SweepConfigSchema>;
export type SweepConfigInput = z.input<typeof SweepConfigSchema>;
export type SweepSettings = Record<string, SweepValue>;

/** mulberry32, the same small PRNG the methods use, so a random sweep is the same on every front. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The settings of every run, in run order: grid with the first field varying slowest; random seeded. */
export function expandSweep(sweep: SweepConfig): SweepSettings[] {
  const entries = Object.entries(sweep.fields);
  if (sweep.search === 'random') {
    const next = mulberry32(sweep.seed);
    return Array.from({ length: sweep.samples ?? 0 }, () =>
      Object.fromEntries(
        entries.map(([key, values]) => [key, values[Math.floor(next() * values.length)]!]),
      ),
    );
  }
  return entries.reduce<SweepSettings[]>(
    (points, [key, values]) => points.flatMap((p) => values.map((v) => ({ ...p, [key]: v }))),
    [{}],
  );
}

/** One run of a finished (or running) sweep, as `cwb sweep --json` and the sweep page show it. */
export const SweepRunSchema = z.object({
  index: z.number().int(),
  settings: z.record(z.string(), SweepValueSchema),
  experimentId: z.number().int().nullable(),
  runId: z.number().int().nullable(),
  status: z.string(),
  finalLoss: z.number().nullable(),
  knnAccuracy: z.number().nullable(),
  /** The highest kNN accuracy over the run's evaluated epochs, and that epoch. */
  bestKnnAccuracy: z.number().nullable(),
  bestEpoch: z.number().nullable(),
  error: z.string().optional(),
});
export type SweepRun = z.infer<typeof SweepRunSchema>;

export const SweepRecordSchema = z.object({
  sweepId: z.number().int(),
  name: z.string(),
  search: z.enum(['grid', 'random']),
  fields: z.array(z.string()),
  createdAt: z.string(),
  status: z.enum(['running', 'completed', 'failed']),
  runs: z.array(SweepRunSchema),
  /** The run with the highest best-epoch kNN accuracy, or null when none has one. */
  best: SweepRunSchema.nullable(),
  config: z.unknown(),
});
export type SweepRecord = z.infer<typeof SweepRecordSchema>;

/** The run with the highest best-epoch kNN accuracy (first on ties), or null. */
export function bestSweepRun(runs: readonly SweepRun[]): SweepRun | null {
  let best: SweepRun | null = null;
  for (const r of runs) {
    if (r.bestKnnAccuracy === null) continue;
    if (!best || r.bestKnnAccuracy > (best.bestKnnAccuracy ?? -1)) best = r;
  }
  return best;
}
