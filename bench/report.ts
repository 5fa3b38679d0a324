/**
 * Regenerates the measured tables of docs/BENCHMARKS.md from bench/results/<section>.json (the latest
 * run of each section). Only the text between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`
 * is replaced; the prose around the tables is written by hand.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MachineInfo } from './lib/machine';
import { summarizeSeeds } from './lib/seeds';
import { minMed, type Summary } from './lib/stats';
import type { AugmentRow } from './suites/augment';
import type { EventLoopRow } from './suites/event-loop';
import type { ImportRow } from './suites/import';
import type { QualityRow, QualitySettings } from './suites/quality';
import type { PeerRow, TrainResults } from './suites/train';

export interface SectionFile<T> {
  section: string;
  mode: 'quick' | 'full';
  startedAt: string;
  finishedAt: string;
  command: string;
  machine: MachineInfo;
  data: T;
}

export const SECTIONS = ['train', 'peer', 'augment', 'import', 'event-loop', 'quality'] as const;
export type Section = (typeof SECTIONS)[number];

function read<T>(dir: string, section: Section): SectionFile<T> | null {
  const file = join(dir, `${section}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SectionFile<T>) : null;
}

const loads = (l: number[]): string => (l.length ? l.map((x) => x.toFixed(2)).join(', ') : '–');
const med = (s: Summary, d = 0): string => (s.n ? s.median.toFixed(d) : 'n/a');
const pct = (x: number | null): string => (x === null ? '–' : `${(100 * x).toFixed(2)} %`);
/** Failures (and smaller-batch fallbacks) as one table cell; pipes would break the table. */
const errs = (e: string[]): string =>
  e
    .map((x) =>
      x
        .replace(/^.* exited /, 'exit ')
        .replace(/\|/g, '/')
        .slice(0, 200),
    )
    .join('; ');

function provenance(f: SectionFile<unknown>): string {
  return `_Measured ${f.startedAt.replace('T', ' ').slice(0, 16)} UTC (${f.mode} suite, \`${f.command}\`, commit ${f.machine.gitCommit}) on ${f.machine.cpu}, ${f.machine.logicalCores} logical cores, ${f.machine.memoryGB} GB, ${f.machine.os}; Node ${f.machine.node}, tfjs ${f.machine.packages['@tensorflow/tfjs'] ?? '?'}, tfjs-backend-wasm ${f.machine.packages['@tensorflow/tfjs-backend-wasm'] ?? '?'}, PyTorch ${f.machine.pytorch}. The machine is shared: "load" is the 1-minute load average just before each run._`;
}

function trainTables(
  f: SectionFile<TrainResults>,
  peerFile: SectionFile<PeerRow[]> | null,
): string {
  // A later `--only peer` run replaces the peer rows measured with the train section.
  const peers = peerFile && peerFile.startedAt > f.startedAt ? peerFile.data : f.data.peers;
  const lines = [
    provenance(f),
    '',
    '| method | encoder | backend | batch (views/step) | images/s min / median | s/step median | peak RSS MB median | load before runs | note |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of f.data.rows) {
    lines.push(
      `| ${r.method} | ${r.encoder} | ${r.backend} | ${r.batchSize} (${r.viewsPerStep ?? '?'}) | ${minMed(r.imagesPerSecond)} | ${med(r.secondsPerStep, 2)} | ${med(r.peakRssMB)} | ${loads(r.load1)} | ${errs(r.errors)} |`,
    );
  }
  lines.push(
    '',
    "**Peer: the same SimCLR step in PyTorch** (bench/peers/simclr_step.py: same architecture, batch, image size, Adam 1e-3; PyTorch's timing excludes augmentation, tfjs's includes it — see the augmentation table for its share).",
    '',
  );
  lines.push(
    '| encoder | batch (views/step) | tfjs-wasm images/s median | PyTorch images/s min / median | PyTorch peak RSS MB | tfjs / PyTorch | load before runs | note |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  if (peers !== f.data.peers && peerFile) lines.push(provenance(peerFile), '');
  for (const p of peers) {
    const tfjs = f.data.rows.find(
      (r) => r.method === 'simclr' && r.encoder === p.encoder && r.batchSize === p.batchSize,
    );
    const ratio =
      tfjs && tfjs.imagesPerSecond.n && p.imagesPerSecond.n
        ? tfjs.imagesPerSecond.median / p.imagesPerSecond.median
        : null;
    lines.push(
      `| ${p.encoder} | ${p.batchSize} (${p.viewsPerStep ?? '?'}) | ${tfjs ? med(tfjs.imagesPerSecond, 1) : '–'} | ${minMed(p.imagesPerSecond)} | ${med(p.peakRssMB)} | ${ratio === null ? '–' : ratio.toFixed(3)} | ${loads(p.load1)} | ${p.framework} ${errs(p.errors)} |`,
    );
  }
  lines.push(
    '',
    'Commands (each run a fresh process and `--home`):',
    '',
    '```',
    ...uniqueCommands([...f.data.rows.map((r) => r.command), ...peers.map((p) => p.command)]),
    '```',
  );
  return lines.join('\n');
}

function uniqueCommands(cmds: string[]): string[] {
  return [...new Set(cmds)];
}

function augmentTable(
  f: SectionFile<AugmentRow[]>,
  train: SectionFile<TrainResults> | null,
): string {
  const step = train?.data.rows.find((r) => r.method === 'simclr' && r.encoder === 'small');
  const stepMs = step && step.secondsPerStep.n ? step.secondsPerStep.median * 1000 : null;
  const lines = [
    provenance(f),
    '',
    `Batch ${f.data[0]?.batchSize ?? '?'} images of ${f.data[0]?.imageSize ?? '?'} px, 3 channels. "training step" = the median SimCLR small-encoder step at the same batch from the training table${stepMs ? ` (${stepMs.toFixed(0)} ms, augmentation included)` : ''}.`,
    '',
    '| preset | views/image | images/s min / median | ms/batch min / median | share of a training step | load before runs | note |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of f.data) {
    const share =
      stepMs && r.msPerBatch.n ? `${((100 * r.msPerBatch.median) / stepMs).toFixed(1)} %` : '–';
    lines.push(
      `| ${r.preset} | ${r.viewsPerImage ?? '?'} | ${minMed(r.imagesPerSecond, 0)} | ${minMed(r.msPerBatch)} | ${share} | ${loads(r.load1)} | ${errs(r.errors)} |`,
    );
  }
  lines.push('', '```', ...uniqueCommands(f.data.map((r) => r.command)), '```');
  return lines.join('\n');
}

function importTable(f: SectionFile<ImportRow[]>): string {
  const lines = [
    provenance(f),
    '',
    '| source | images | wall s min / median (incl. CLI start) | images/s min / median | peak RSS MB median | load before runs | note |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of f.data)
    lines.push(
      `| ${r.source} | ${r.images ?? '?'} | ${minMed(r.wallSeconds, 2)} | ${minMed(r.imagesPerSecond, 0)} | ${med(r.peakRssMB)} | ${loads(r.load1)} | ${errs(r.errors)} |`,
    );
  lines.push('', '```', ...uniqueCommands(f.data.map((r) => r.command)), '```');
  return lines.join('\n');
}

function eventLoopTable(f: SectionFile<EventLoopRow[]>): string {
  const lines = [
    provenance(f),
    '',
    'monitorEventLoopDelay samples every 10 ms, so an idle loop reads ≈ 10 ms; the lag is what exceeds that.',
    '',
    '| scenario | steps | train s median | lag p50 ms min / median | lag p99 ms min / median | lag max ms min / median | load before runs | note |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of f.data)
    lines.push(
      `| ${r.scenario} | ${r.steps ?? '?'} | ${med(r.trainSeconds, 1)} | ${minMed(r.lagP50Ms)} | ${minMed(r.lagP99Ms)} | ${minMed(r.lagMaxMs)} | ${loads(r.load1)} | ${errs(r.errors)} |`,
    );
  lines.push('', '```', ...uniqueCommands(f.data.map((r) => r.command)), '```');
  return lines.join('\n');
}

function qualityTable(
  f: SectionFile<{ settings: QualitySettings; datasetImages: number; rows: QualityRow[] }>,
): string {
  const s = f.data.settings;
  const lines = [
    provenance(f),
    '',
    `Fashion-MNIST (IDX, \`--limit ${s.limit}\` per split → ${f.data.datasetImages} images: ${s.limit} train, ${s.limit} val), 28 px, 1 channel, small encoder, ${s.epochs} epochs, batch ${s.batchSize}. kNN: k = 200, τ = 0.1, cosine, val against train, best epoch. One run per row (seed 0).`,
    '',
    '| model | settings | batch size | epochs | kNN acc. (best epoch) | best epoch | kNN acc. (last) | runtime | peak memory | backend | load before |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of f.data.rows) {
    const runtime = r.runtimeSeconds === null ? '–' : `${(r.runtimeSeconds / 60).toFixed(1)} min`;
    const mem = r.peakRssMB === null ? '–' : `${(r.peakRssMB / 1024).toFixed(2)} GB`;
    lines.push(
      `| ${r.model} | ${r.settings} | ${r.batchSize ?? '–'} | ${r.epochs ?? '–'} | ${pct(r.knnBest)} | ${r.bestEpoch ?? '–'} | ${pct(r.knnFinal)} | ${runtime} | ${mem} | ${r.backend} | ${r.load1?.toFixed(2) ?? '–'} |${r.error ? ` **failed:** ${r.error.slice(-160)}` : ''}`,
    );
  }
  lines.push(
    '',
    'Runtime = wall clock of the whole command (import excluded, kNN evaluation after every epoch included); peak memory = maxRSS of that process (GNU time).',
    '',
    '```',
    ...uniqueCommands(f.data.rows.map((r) => r.command)),
    '```',
  );
  return lines.join('\n');
}

/** A study over several seeds: one row per model, every seed's score, mean ± sd, range, wins. */
function qualitySeedsTable(
  f: SectionFile<{ settings: QualitySettings; datasetImages: number; rows: QualityRow[] }>,
): string {
  const s = f.data.settings;
  const seeds = s.seeds ?? [0];
  const summaries = summarizeSeeds(f.data.rows);
  /** Wins out of the seeds the row was run with (a row may have fewer seeds than the study). */
  const wins = (x: number | null, runs: number): string => (x === null ? '–' : `${x} / ${runs}`);
  const lines = [
    provenance(f),
    '',
    `Fashion-MNIST (IDX, \`--limit ${s.limit}\` per split → ${f.data.datasetImages} images: ${s.limit} train, ${s.limit} val), 28 px, 1 channel, small encoder; presets with their own epochs and batch (${s.epochs} epochs, batch ${s.batchSize} for method presets). kNN: k = 200, τ = 0.1, cosine, val against train, best epoch. Every row once per training seed (\`cwb train --seed N\`: initialisation, batches, augmentations; the same images). Mean ± sample standard deviation over the seeds; a win is a seed on which the row's score is above that seed's baseline.`,
    '',
    `| model | settings | ${seeds.map((x) => `seed ${x}`).join(' | ')} | mean ± sd | min – max | beats random init | beats raw pixels | runtime per run (min) | load before each run |`,
    `| --- | --- | ${seeds.map(() => '---').join(' | ')} | --- | --- | --- | --- | --- | --- |`,
  ];
  for (const r of summaries) {
    const spread = r.sd === null ? '' : ` ± ${(100 * r.sd).toFixed(2)}`;
    lines.push(
      `| ${r.model} | ${r.settings} | ${seeds.map((x) => (r.bySeed.has(x) ? pct(r.bySeed.get(x) ?? null) : 'not run')).join(' | ')} | ${r.mean === null ? '–' : `${(100 * r.mean).toFixed(2)}${spread} %`} | ${r.min === null ? '–' : `${pct(r.min)} – ${pct(r.max)}`} | ${wins(r.beatsRandomInit, r.bySeed.size)} | ${wins(r.beatsRawPixels, r.bySeed.size)} | ${r.runtimeSeconds.map((t) => (t / 60).toFixed(1)).join(', ') || '–'} | ${loads(r.load1.filter((l): l is number => l !== null))} |`,
    );
  }
  // One command per row: the seed is the only thing that changes between its runs.
  const template = (command: string): string => command.replace(/--seed \d+/, '--seed <SEEDS>');
  const perRow = uniqueCommands(f.data.rows.map((r) => template(r.command))).map((t) => {
    const ran = f.data.rows.filter((r) => template(r.command) === t).map((r) => r.seed ?? 0);
    return t.replace('<SEEDS>', ran.length > 1 ? `<${ran.join('|')}>` : String(ran[0] ?? 0));
  });
  lines.push('', '```', ...perRow, '```');
  return lines.join('\n');
}

function replaceBlock(doc: string, name: string, body: string): string {
  const start = `<!-- generated:${name} -->`;
  const end = `<!-- /generated:${name} -->`;
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  if (i < 0 || j < i) throw new Error(`docs/BENCHMARKS.md has no ${start} … ${end} block`);
  return `${doc.slice(0, i + start.length)}\n${body}\n${doc.slice(j)}`;
}

export function regenerateDocs(resultsDir: string, docFile: string): string[] {
  let doc = readFileSync(docFile, 'utf8');
  const done: string[] = [];
  const train = read<TrainResults>(resultsDir, 'train');
  if (train) {
    doc = replaceBlock(doc, 'train', trainTables(train, read<PeerRow[]>(resultsDir, 'peer')));
    done.push('train');
  }
  const augment = read<AugmentRow[]>(resultsDir, 'augment');
  if (augment) {
    doc = replaceBlock(doc, 'augment', augmentTable(augment, train));
    done.push('augment');
  }
  const imports = read<ImportRow[]>(resultsDir, 'import');
  if (imports) {
    doc = replaceBlock(doc, 'import', importTable(imports));
    done.push('import');
  }
  const lag = read<EventLoopRow[]>(resultsDir, 'event-loop');
  if (lag) {
    doc = replaceBlock(doc, 'event-loop', eventLoopTable(lag));
    done.push('event-loop');
  }
  const quality = read<{ settings: QualitySettings; datasetImages: number; rows: QualityRow[] }>(
    resultsDir,
    'quality',
  );
  // A study over several seeds has a block of its own: it does not replace the one-seed table.
  if (quality && (quality.data.settings.seeds?.length ?? 1) > 1) {
    doc = replaceBlock(doc, 'quality-seeds', qualitySeedsTable(quality));
    done.push('quality-seeds');
  } else if (quality) {
    doc = replaceBlock(doc, 'quality', qualityTable(quality));
    done.push('quality');
  }
  writeFileSync(docFile, doc);
  return done;
}
