/**
 * Quality in lightly's benchmark format on Fashion-MNIST (Debian's dataset-fashion-mnist through the
 * IDX reader, a seeded --limit subset per split, 28 px, 1 channel, the small encoder, a CPU-sized
 * schedule): per method the best-epoch weighted kNN (k = 200, τ = 0.1, val split against train split,
 * as `cwb train` logs each epoch in SQLite metrics 'knn_accuracy'), runtime and peak memory, next to
 * two baselines measured the same way — kNN on raw pixels (bench/probes/raw-pixel-knn.ts) and kNN on
 * the randomly initialised encoder (`cwb train --epochs 0`). Then every method with its preset at the
 * suite's epochs and batch, then every recommended experiment preset
 * (resources/presets/experiments/fashion-mnist-*.json, docs/quality-notes.md) with its own epochs,
 * batch, encoder width, augmentation and optimiser. One run per row (seed 0 unless the preset says
 * otherwise): the runtime column is one measurement, not a min/median. The whole section takes
 * about 37 min on the 2-core dev box at load ≈ 1 (estimated from single runs: baselines 0.2 min,
 * five method presets ≈ 20 min, four recommended presets ≈ 4–5 min each).
 */
import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_FILE } from '../../src/shared/constants';
import { cwb, probe, REPO, tempHome } from '../lib/cwb';
import type { Measured } from '../lib/proc';
import { FASHION_MNIST } from './import';
import { RANDOM_INIT, RAW_PIXELS } from '../lib/seeds';

export const QUALITY_METHODS = ['simclr', 'moco', 'swav', 'memory-bank', 'pirl'] as const;

export interface QualitySettings {
  limit: number;
  epochs: number;
  batchSize: number;
  /** Training seeds (`cwb train --seed`); every row, baselines included, is run once per seed. */
  seeds?: number[];
}

/** Which rows to run: method presets of these methods, and these experiment presets (by tag). */
export interface QualitySelection {
  /** Method-preset rows (and, without `presets`, the experiment presets of these methods). */
  methods?: readonly string[];
  /** Experiment presets by tag (`simclr-light-crop`); given alone, no method-preset rows run. */
  presets?: readonly string[];
}

export interface QualityRow {
  model: string;
  /** The training seed (absent in results written before seeds were recorded: seed 0). */
  seed?: number;
  settings: string;
  batchSize: number | null;
  epochs: number | null;
  knnBest: number | null;
  bestEpoch: number | null;
  knnFinal: number | null;
  runtimeSeconds: number | null;
  peakRssMB: number | null;
  backend: string;
  load1: number | null;
  command: string;
  error?: string;
}

interface TrainJson {
  runId: number;
  status: string;
  epochs: number;
  steps: number;
  backend: string;
  knnAccuracy: number | null;
}

interface RawJson {
  backend: string;
  accuracy: number;
  seconds: number;
  peakRssMB: number;
}

const EXPERIMENTS_DIR = join(REPO, 'resources', 'presets', 'experiments');

export interface RecommendedExperiment {
  file: string;
  /** The file name without `fashion-mnist-` and `.json`, e.g. `simclr-light-crop`. */
  tag: string;
  method: string;
  batchSize: number;
}

/**
 * Recommended Fashion-MNIST experiments (resources/presets/experiments/fashion-mnist-*.json), in
 * the order of QUALITY_METHODS (then any other method), by file name within a method.
 */
export function recommendedExperiments(dir = EXPERIMENTS_DIR): RecommendedExperiment[] {
  if (!existsSync(dir)) return [];
  const rank = (method: string): number => {
    const i = (QUALITY_METHODS as readonly string[]).indexOf(method);
    return i < 0 ? QUALITY_METHODS.length : i;
  };
  return readdirSync(dir)
    .filter((f) => f.startsWith('fashion-mnist-') && f.endsWith('.json'))
    .map((f) => {
      const json = JSON.parse(readFileSync(join(dir, f), 'utf8')) as {
        method: string;
        batchSize?: number;
      };
      return {
        file: join(dir, f),
        tag: f.replace(/^fashion-mnist-/, '').replace(/\.json$/, ''),
        method: json.method,
        batchSize: json.batchSize ?? 64,
      };
    })
    .sort((a, b) => rank(a.method) - rank(b.method) || a.tag.localeCompare(b.tag));
}

function knnSeries(home: string, runId: number): { epoch: number; value: number }[] {
  const db = new Database(join(home, DATABASE_FILE), { readonly: true });
  try {
    return db
      .prepare(
        "SELECT epoch, value FROM metrics WHERE run_id = ? AND name = 'knn_accuracy' ORDER BY step",
      )
      .all(runId) as { epoch: number; value: number }[];
  } finally {
    db.close();
  }
}

async function trainRow(
  home: string,
  model: string,
  settings: string,
  trainArgs: string[],
  seed: number,
  batchSize: number | null = null,
): Promise<QualityRow> {
  const args = [...trainArgs, '--seed', String(seed)];
  // Paths inside the checkout (or an --at-commit archive of it) are shown relative to it.
  const command = `npx --no-install cwb --home <ws> ${args.map((a) => a.replace(`${REPO}/`, '')).join(' ')} --json`;
  process.stderr.write(`[bench] quality ${model} (${settings}, seed ${seed}) …`);
  let m: Measured<TrainJson>;
  try {
    m = await cwb<TrainJson>(home, args, true);
  } catch (err) {
    process.stderr.write(' FAILED\n');
    return {
      model,
      seed,
      settings,
      batchSize: null,
      epochs: null,
      knnBest: null,
      bestEpoch: null,
      knnFinal: null,
      runtimeSeconds: null,
      peakRssMB: null,
      backend: '?',
      load1: null,
      command,
      error: String(err),
    };
  }
  const series = knnSeries(home, m.value.runId);
  const best = series.reduce<{ epoch: number; value: number } | null>(
    (b, s) => (b === null || s.value > b.value ? s : b),
    null,
  );
  process.stderr.write(
    ` ${m.wallSeconds.toFixed(0)} s, best kNN ${best ? (100 * best.value).toFixed(2) : '?'} %\n`,
  );
  const flag = (name: string): number | null => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : batchSize;
  };
  return {
    model,
    seed,
    settings,
    batchSize: flag('--batch-size'),
    epochs: m.value.epochs,
    knnBest: best?.value ?? null,
    bestEpoch: best?.epoch ?? null,
    knnFinal: m.value.knnAccuracy,
    runtimeSeconds: m.wallSeconds,
    peakRssMB: m.peakRssMB,
    backend: m.value.backend,
    load1: m.load[0],
    command,
  };
}

export async function runQualitySuite(
  s: QualitySettings,
  pick: QualitySelection = {},
  onRow: (rows: readonly QualityRow[]) => void = () => {},
): Promise<{ settings: QualitySettings; datasetImages: number; rows: QualityRow[] }> {
  const home = tempHome('cwb-bench-quality-');
  try {
    const imported = await cwb<{ datasetId: number; imported: number }>(home.dir, [
      'dataset',
      'import',
      FASHION_MNIST,
      '--limit',
      String(s.limit),
    ]);
    const id = String(imported.value.datasetId);
    const rows: QualityRow[] = [];
    const add = (row: QualityRow): void => {
      rows.push(row);
      onRow(rows);
    };
    const methods = pick.methods ?? (pick.presets ? [] : QUALITY_METHODS);
    // Given by tag, presets run in the order given (the most important first).
    const presets = pick.presets
      ? pick.presets.flatMap((tag) => recommendedExperiments().filter((p) => p.tag === tag))
      : recommendedExperiments().filter((p) => !pick.methods || pick.methods.includes(p.method));
    const common = [
      '--encoder',
      'small',
      '--epochs',
      String(s.epochs),
      '--batch-size',
      String(s.batchSize),
    ];
    const seeds = s.seeds ?? [0];
    // Row-major, baselines first: a suite stopped early still has every seed of its first rows.
    for (const seed of seeds) {
      process.stderr.write(
        `[bench] quality raw pixels (seed ${seed}: the same data, no training) …\n`,
      );
      const raw = await probe<RawJson>(
        'probes/raw-pixel-knn.ts',
        ['--home', home.dir, '--dataset', id],
        true,
      );
      add({
        model: RAW_PIXELS,
        seed,
        settings: 'no training',
        batchSize: null,
        epochs: null,
        knnBest: raw.value.accuracy,
        bestEpoch: null,
        knnFinal: raw.value.accuracy,
        runtimeSeconds: raw.wallSeconds,
        peakRssMB: raw.peakRssMB,
        backend: raw.value.backend,
        load1: raw.load[0],
        command: `npx tsx bench/probes/raw-pixel-knn.ts --home <ws> --dataset ${id}`,
      });
    }
    for (const seed of seeds)
      add(
        await trainRow(
          home.dir,
          RANDOM_INIT,
          'cwb train --epochs 0',
          ['train', '--dataset', id, '--method', 'simclr', '--encoder', 'small', '--epochs', '0'],
          seed,
        ),
      );
    const trained = [
      ...methods.map((method) => ({
        model: method,
        settings: 'method preset, default augmentation, adam 1e-3 cosine',
        args: ['train', '--dataset', id, '--method', method, ...common],
        batchSize: null,
      })),
      // The preset's own batch size, epochs and schedule: they are part of the recommendation.
      ...presets.map((preset) => ({
        model: preset.tag,
        settings: `resources/presets/experiments/fashion-mnist-${preset.tag}.json`,
        args: ['train', '--dataset', id, '--config', preset.file],
        batchSize: preset.batchSize,
      })),
    ];
    for (const t of trained)
      for (const seed of seeds)
        add(await trainRow(home.dir, t.model, t.settings, t.args, seed, t.batchSize));
    return { settings: s, datasetImages: imported.value.imported, rows };
  } finally {
    home.remove();
  }
}
