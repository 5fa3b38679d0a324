/**
 * Training throughput: `cwb bench train` for every method × encoder on the wasm backend (synthetic
 * seeded images, each method's preset and default augmentation), next to the PyTorch peer's SimCLR
 * step at the same encoder, batch and image size. images/s counts every view through forward and
 * backward; peak RSS is the process's maxRSS (the 4 GiB wasm heap is the limit that matters).
 */
import { cwb, python, repeat, tempHome, type Attempt } from '../lib/cwb';
import { summarize, type Summary } from '../lib/stats';
import { METHOD_NAMES } from '../../src/shared/schemas/method';

/** Every method the workbench trains: the contract's own list. */
export const METHODS = METHOD_NAMES;

export interface TrainCase {
  encoder: 'small' | 'resnet18-cifar';
  batchSize: number;
  /** Smaller batches tried, in order, when a method does not fit at `batchSize` (wasm heap). */
  fallbackBatchSizes: number[];
  imageSize: number;
  steps: number;
  warmup: number;
  methods: readonly string[];
}

interface BenchTrainJson {
  method: string;
  encoder: string;
  backend: string;
  batchSize: number;
  imageSize: number;
  imagesPerSecond: number;
  peakRssMB: number;
  secondsPerStep: number;
  viewsPerStep: number;
}

interface PeerJson {
  version: string;
  threads: number;
  imagesPerSecond: number;
  secondsPerStep: number;
  peakRssMB: number;
  viewsPerStep: number;
}

export interface TrainRow {
  method: string;
  encoder: string;
  backend: string;
  batchSize: number;
  imageSize: number;
  viewsPerStep: number | null;
  imagesPerSecond: Summary;
  secondsPerStep: Summary;
  peakRssMB: Summary;
  load1: number[];
  command: string;
  errors: string[];
}

export interface PeerRow {
  framework: string;
  encoder: string;
  batchSize: number;
  imageSize: number;
  viewsPerStep: number | null;
  imagesPerSecond: Summary;
  peakRssMB: Summary;
  load1: number[];
  command: string;
  errors: string[];
  /** median tfjs-wasm SimCLR images/s ÷ median PyTorch images/s, same encoder/batch/size. */
  tfjsOverPytorch: number | null;
}

/** The step flags `cwb bench train` and the PyTorch peer share, so both time the same step. */
function stepArgs(c: TrainCase, batchSize: number): string[] {
  return [
    '--encoder',
    c.encoder,
    '--batch-size',
    String(batchSize),
    '--image-size',
    String(c.imageSize),
    '--steps',
    String(c.steps),
    '--warmup',
    String(c.warmup),
  ];
}

/** PyTorch's thread counts: 2 (the setting, all cores) and 1 (tfjs-wasm runs one thread). */
export const PEER_THREADS = [2, 1] as const;

/**
 * The PyTorch peer for each case, at the batch the tfjs SimCLR row actually ran (it may have fallen
 * back to a smaller one); tfjsOverPytorch compares medians.
 */
export async function runPeers(opts: {
  runs: number;
  cases: TrainCase[];
  rows: TrainRow[];
}): Promise<PeerRow[]> {
  const peers: PeerRow[] = [];
  for (const c of opts.cases) {
    const tfjs = opts.rows.find((r) => r.method === 'simclr' && r.encoder === c.encoder);
    const batch = tfjs?.batchSize ?? c.batchSize;
    for (const threads of PEER_THREADS) {
      const peerArgs = [...stepArgs(c, batch), '--threads', String(threads)];
      const attempt = await repeat(
        opts.runs,
        `peer pytorch simclr/${c.encoder} ${threads} thread(s)`,
        () => python<PeerJson>('peers/simclr_step.py', peerArgs),
      );
      const s = toRow(attempt, (v) => ({ ...v }) as unknown as Record<string, number>);
      peers.push({
        framework: `PyTorch ${attempt.runs[0]?.value.version ?? '?'} CPU, ${attempt.runs[0]?.value.threads ?? threads} thread(s)`,
        encoder: c.encoder,
        batchSize: batch,
        imageSize: c.imageSize,
        viewsPerStep: s.views,
        imagesPerSecond: s.ips,
        peakRssMB: s.rss,
        load1: attempt.runs.map((r) => r.load[0]),
        command: `/usr/bin/python3 bench/peers/simclr_step.py ${peerArgs.join(' ')}`,
        errors: attempt.errors,
        tfjsOverPytorch:
          tfjs && tfjs.imagesPerSecond.n > 0 && s.ips.n > 0
            ? tfjs.imagesPerSecond.median / s.ips.median
            : null,
      });
    }
  }
  return peers;
}

export interface TrainResults {
  rows: TrainRow[];
  peers: PeerRow[];
}

/**
 * quick: the small encoder only. full: + ResNet-18-CIFAR at batch 32 (2N = 64 for SimCLR); batch 64
 * (2N = 128) aborts at the 4 GiB wasm heap — see docs/BENCHMARKS.md.
 */
export function trainCases(quick: boolean): TrainCase[] {
  const small: TrainCase = {
    encoder: 'small',
    batchSize: 64,
    fallbackBatchSizes: [],
    imageSize: 32,
    steps: quick ? 3 : 5,
    warmup: quick ? 1 : 2,
    methods: METHODS,
  };
  if (quick) return [small];
  return [
    small,
    {
      encoder: 'resnet18-cifar',
      batchSize: 32,
      fallbackBatchSizes: [16, 8],
      imageSize: 32,
      steps: 2,
      warmup: 1,
      methods: METHODS,
    },
  ];
}

function toRow<T>(
  attempt: Attempt<T>,
  pick: (v: T) => Record<string, number>,
): {
  ips: Summary;
  sps: Summary;
  rss: Summary;
  views: number | null;
} {
  const values = attempt.runs.map((r) => pick(r.value));
  return {
    ips: summarize(values.map((v) => v['imagesPerSecond'] ?? NaN)),
    sps: summarize(values.map((v) => v['secondsPerStep'] ?? NaN)),
    rss: summarize(values.map((v) => v['peakRssMB'] ?? NaN)),
    views: values[0]?.['viewsPerStep'] ?? null,
  };
}

export async function runTrainSuite(opts: {
  quick: boolean;
  runs: number;
  backend: string;
}): Promise<TrainResults> {
  const rows: TrainRow[] = [];
  const peers: PeerRow[] = [];
  for (const c of trainCases(opts.quick)) {
    for (const method of c.methods) {
      const failedAt: string[] = [];
      for (const batchSize of [c.batchSize, ...c.fallbackBatchSizes]) {
        const home = tempHome();
        const args = [
          'bench',
          'train',
          '--method',
          method,
          ...stepArgs(c, batchSize),
          // 'auto': let the engine pick (tensorflow → webgpu → wasm → cpu), for bench/gpu/.
          ...(opts.backend === 'auto' ? [] : ['--backend', opts.backend]),
        ];
        const attempt = await repeat(opts.runs, `train ${method}/${c.encoder}/b${batchSize}`, () =>
          cwb<BenchTrainJson>(home.dir, args),
        );
        home.remove();
        if (
          attempt.runs.length === 0 &&
          batchSize !== c.fallbackBatchSizes.at(-1) &&
          c.fallbackBatchSizes.length > 0
        ) {
          failedAt.push(
            `batch ${batchSize} failed (${attempt.errors[0]?.split(': ').pop() ?? '?'})`,
          );
          continue;
        }
        const s = toRow(attempt, (v) => ({ ...v }) as unknown as Record<string, number>);
        rows.push({
          method,
          encoder: c.encoder,
          backend: attempt.runs[0]?.value.backend ?? opts.backend,
          batchSize,
          imageSize: c.imageSize,
          viewsPerStep: s.views,
          imagesPerSecond: s.ips,
          secondsPerStep: s.sps,
          peakRssMB: s.rss,
          load1: attempt.runs.map((r) => r.load[0]),
          command: `npx --no-install cwb --home <tmp> ${args.join(' ')} --json`,
          errors: [...failedAt, ...attempt.errors],
        });
        break;
      }
    }
    peers.push(...(await runPeers({ runs: opts.runs, cases: [c], rows })));
  }
  return { rows, peers };
}
