/**
 * `npm run bench` — the Contrastive Workbench benchmark suite (issue 9). Every measurement is a fresh
 * child process (`cwb bench …`, `cwb dataset import`, `cwb train`, our probes, the PyTorch peer), run
 * one after another, ≥ 3 times for speed figures, each with the load average taken before it.
 * Results go to bench/results/<section>.json (+ a timestamped copy; gitignored) and the tables in
 * docs/BENCHMARKS.md are regenerated from the latest result of each section.
 *
 *   npm run bench                      full speed suite: train (small + ResNet-18-CIFAR) + peer,
 *                                      augment, import, event-loop lag   (~25 min on 2 cores)
 *   npm run bench -- --quick           small encoder only, fewer steps  (~4 min)
 *   npm run bench -- --quality         + the Fashion-MNIST quality table (~25 min more)
 *   npm run bench -- --only quality    just some sections (train,peer,augment,import,event-loop,quality);
 *                                      `peer` re-measures only PyTorch against the latest train results
 *   npm run bench -- --docs-only       regenerate docs/BENCHMARKS.md from bench/results
 *   npm run bench -- --at-commit HEAD  measure a clean `git archive` of that commit (in a temp folder,
 *                                      sharing node_modules), not the working tree — other people's
 *                                      half-made edits cannot leak into the numbers; results and
 *                                      docs are still written into this checkout
 * Other flags: --runs N (default 3), --backend NAME|auto (default wasm; auto = the engine's choice), --quality-limit N (2000),
 * --quality-epochs N (10), --quality-batch N (128), --quality-methods simclr,moco (method-preset rows,
 * any method), --quality-presets simclr-light-crop,byol-light-crop (experiment presets by tag; alone,
 * no method-preset rows), --quality-seeds 0,1,2 (every row once per training seed, the doc table
 * then gives mean ± spread; rows are saved to bench/results/quality.partial.json as they finish),
 * --quality-merge a.json,b.json (one study from several runs: the rows of earlier results files,
 * section files or partial ones, less the model × seed rows this run measures again).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PYTHON, REPO } from './lib/cwb';
import { machineInfo } from './lib/machine';
import { regenerateDocs, SECTIONS, type Section, type SectionFile } from './report';
import { runAugmentSuite } from './suites/augment';
import { runEventLoopSuite } from './suites/event-loop';
import { runImportSuite } from './suites/import';
import { METHOD_NAMES } from '../src/shared/schemas/method';
import { mergeRows, rowsOfResults } from './lib/seeds';
import { recommendedExperiments, runQualitySuite } from './suites/quality';
import { runPeers, runTrainSuite, trainCases, type TrainResults } from './suites/train';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    quality: { type: 'boolean', default: false },
    only: { type: 'string' },
    runs: { type: 'string', default: '3' },
    backend: { type: 'string', default: 'wasm' },
    'docs-only': { type: 'boolean', default: false },
    'quality-limit': { type: 'string', default: '2000' },
    'quality-epochs': { type: 'string', default: '10' },
    'quality-batch': { type: 'string', default: '128' },
    'quality-methods': { type: 'string' },
    'quality-presets': { type: 'string' },
    'quality-seeds': { type: 'string', default: '0' },
    'quality-merge': { type: 'string' },
    'at-commit': { type: 'string' },
    'results-dir': { type: 'string' },
    doc: { type: 'string' },
  },
});

const RESULTS = values['results-dir'] ?? join(REPO, 'bench', 'results');
const DOC = values.doc ?? join(REPO, 'docs', 'BENCHMARKS.md');

/** Re-run this harness from a clean archive of `ref`, writing results and docs into this checkout. */
function runAtCommit(ref: string): number {
  const commit = execFileSync('git', ['rev-parse', '--short', ref], {
    cwd: REPO,
    encoding: 'utf8',
  }).trim();
  const snap = mkdtempSync(join(tmpdir(), `cwb-bench-${commit}-`));
  try {
    execFileSync('sh', ['-c', `git archive ${commit} | tar -x -C '${snap}'`], { cwd: REPO });
    symlinkSync(join(REPO, 'node_modules'), join(snap, 'node_modules'));
    const args = process.argv
      .slice(2)
      .filter(
        (a, i, all) =>
          a !== '--at-commit' && all[i - 1] !== '--at-commit' && !a.startsWith('--at-commit='),
      );
    process.stderr.write(`[bench] measuring a clean archive of ${commit} in ${snap}\n`);
    const tsx = join(snap, 'node_modules', 'tsx', 'dist', 'cli.mjs');
    const child = spawnSync(
      process.execPath,
      [tsx, join(snap, 'bench', 'run.ts'), ...args, '--results-dir', RESULTS, '--doc', DOC],
      {
        cwd: snap,
        stdio: 'inherit',
        env: {
          ...process.env,
          CWB_BENCH_COMMIT: commit,
          CWB_BENCH_COMMAND: `npm run bench -- ${process.argv.slice(2).join(' ')}`,
        },
      },
    );
    return child.status ?? 1;
  } finally {
    rmSync(snap, { recursive: true, force: true });
  }
}

function selected(): Section[] {
  if (values.only) {
    const wanted = values.only.split(',').map((s) => s.trim());
    for (const w of wanted)
      if (!(SECTIONS as readonly string[]).includes(w))
        throw new Error(`--only: unknown section "${w}" (choose from ${SECTIONS.join(', ')})`);
    return wanted as Section[];
  }
  const speed: Section[] = ['train', 'augment', 'import', 'event-loop'];
  return values.quality ? [...speed, 'quality'] : speed;
}

async function runSection(section: Section, quick: boolean, runs: number): Promise<unknown> {
  switch (section) {
    case 'train':
      return runTrainSuite({ quick, runs, backend: values.backend });
    case 'peer': {
      // Re-measure only the PyTorch peer against the tfjs rows of the latest train results.
      const trainFile = join(RESULTS, 'train.json');
      const train = existsSync(trainFile)
        ? (JSON.parse(readFileSync(trainFile, 'utf8')) as { data: TrainResults }).data
        : { rows: [], peers: [] };
      const cases = trainCases(quick).filter(
        (c) => quick || train.rows.some((r) => r.encoder === c.encoder),
      );
      return runPeers({ runs, cases, rows: train.rows });
    }
    case 'augment':
      return runAugmentSuite({ quick, runs });
    case 'import':
      return runImportSuite({ quick, runs });
    case 'event-loop':
      return runEventLoopSuite({ quick, runs });
    case 'quality': {
      const list = (v: string | undefined): string[] | undefined =>
        v?.split(',').map((x) => x.trim());
      const methods = list(values['quality-methods']);
      for (const m of methods ?? [])
        if (!(METHOD_NAMES as readonly string[]).includes(m))
          throw new Error(`--quality-methods: unknown method "${m}"`);
      const presets = list(values['quality-presets']);
      const tags = recommendedExperiments().map((p) => p.tag);
      for (const p of presets ?? [])
        if (!tags.includes(p))
          throw new Error(
            `--quality-presets: unknown preset "${p}" (choose from ${tags.join(', ')})`,
          );
      const seeds = (list(values['quality-seeds']) ?? ['0']).map(Number);
      if (seeds.some((x) => !Number.isInteger(x) || x < 0))
        throw new Error('--quality-seeds: a comma-separated list of non-negative integers');
      // Read before the run: a file given here may be the partial file this run rewrites.
      const earlier = (list(values['quality-merge']) ?? []).flatMap((f) =>
        rowsOfResults(JSON.parse(readFileSync(f, 'utf8'))),
      );
      const partial = join(RESULTS, 'quality.partial.json');
      const result = await runQualitySuite(
        {
          limit: Number(values['quality-limit']),
          epochs: Number(values['quality-epochs']),
          batchSize: Number(values['quality-batch']),
          seeds,
        },
        { ...(methods && { methods }), ...(presets && { presets }) },
        (rows) => writeFileSync(partial, `${JSON.stringify(rows, null, 2)}\n`),
      );
      if (earlier.length === 0) return result;
      const rows = mergeRows(earlier, result.rows);
      const allSeeds = [...new Set(rows.map((r) => r.seed ?? 0))].sort((a, b) => a - b);
      return { ...result, settings: { ...result.settings, seeds: allSeeds }, rows };
    }
  }
}

async function main(): Promise<void> {
  if (values['at-commit']) process.exit(runAtCommit(values['at-commit']));
  // Every child (cwb train, probes) inherits the backend: the automatic choice changes with what is
  // installed (a Mesa software WebGPU adapter appeared on this machine mid-session).
  if (values.backend === 'auto') delete process.env['CWB_BACKEND'];
  else process.env['CWB_BACKEND'] = values.backend;
  mkdirSync(RESULTS, { recursive: true });
  if (!values['docs-only']) {
    const quick = values.quick;
    const runs = Number(values.runs);
    if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
    if (runs < 3)
      process.stderr.write(
        '[bench] warning: fewer than 3 runs; the docs standard is min/median of ≥ 3\n',
      );
    const machine = machineInfo(PYTHON);
    if (machine.pytorch === 'unavailable')
      process.stderr.write(
        `[bench] warning: ${PYTHON} cannot import torch (apt-get install python3-torch); the peer rows will show as failed\n`,
      );
    const own = process.argv
      .slice(2)
      .filter(
        (a, k, all) =>
          !['--results-dir', '--doc'].includes(a) &&
          !['--results-dir', '--doc'].includes(all[k - 1] ?? ''),
      );
    const command =
      process.env['CWB_BENCH_COMMAND'] ??
      (own.length ? `npm run bench -- ${own.join(' ')}` : 'npm run bench');
    for (const section of selected()) {
      const startedAt = new Date().toISOString();
      process.stderr.write(`[bench] === ${section} (${quick ? 'quick' : 'full'}) ===\n`);
      const data = await runSection(section, quick, runs);
      const file: SectionFile<unknown> = {
        section,
        mode: quick ? 'quick' : 'full',
        startedAt,
        finishedAt: new Date().toISOString(),
        command,
        machine,
        data,
      };
      const target = join(RESULTS, `${section}.json`);
      writeFileSync(target, `${JSON.stringify(file, null, 2)}\n`);
      copyFileSync(target, join(RESULTS, `${section}-${startedAt.replace(/[:.]/g, '-')}.json`));
      process.stderr.write(`[bench] wrote ${target}\n`);
    }
  }
  if (!existsSync(DOC)) throw new Error(`${DOC} is missing`);
  const done = regenerateDocs(RESULTS, DOC);
  process.stderr.write(
    `[bench] docs/BENCHMARKS.md tables regenerated: ${done.join(', ') || 'none (no results yet)'}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`[bench] ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
