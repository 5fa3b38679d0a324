/**
 * Probe (not product code): one SimCLR batch split across TWO engine-like workers, each on
 * single-threaded wasm, with gradient caching as the glue — vs the same batch on one worker.
 *
 * Two workers: worker w forwards rows [w·N, (w+1)·N) of the 2N views (view w of every image) with no
 * tape → main gathers z [2N, D] → both compute the loss and dL/dz over all of z and back-propagate
 * their own rows → main sums the two gradient vectors → both apply the same sum (same optimiser,
 * same weights afterwards). One worker: the plain step (2N in one piece) and the cached step with
 * chunks of N (the two-worker step's arithmetic, in one thread).
 * Each worker's BatchNorm moving statistics see only its own rows (no buffer sync), as in DDP.
 *
 * Usage: tsx bench/probes/two-worker-gradcache.ts [--encoder small] [--batch-size 64]
 *        [--image-size 32] [--steps 5] [--warmup 2]
 * Prints one JSON object: images/s (views through forward + backward per second) of each layout and
 * the losses of the timed steps (the two-worker losses should track the one-worker cached ones).
 */
import { parseArgs } from 'node:util';
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../../src/main/workers/spawn-worker';

const { values } = parseArgs({
  options: {
    encoder: { type: 'string', default: 'small' },
    'batch-size': { type: 'string', default: '64' },
    'image-size': { type: 'string', default: '32' },
    steps: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
  },
});
const batchSize = Number(values['batch-size']);
const steps = Number(values.steps);
const warmup = Number(values.warmup);
const views = 2 * batchSize;
const setup = { encoder: values.encoder, batchSize, imageSize: Number(values['image-size']), seed: 0, chunk: batchSize };

class Peer {
  private readonly worker: Worker;
  private waiting: ((msg: { ok: boolean; result?: unknown; error?: string }) => void)[] = [];
  readonly ready: Promise<unknown>;

  constructor() {
    this.worker = spawnWorker(new URL('./two-worker-gradcache-worker.ts', import.meta.url), { workerData: setup, env: { ...process.env, CWB_BACKEND: 'wasm' } });
    this.worker.on('message', (msg: { ok: boolean; result?: unknown; error?: string }) => this.waiting.shift()?.(msg));
    this.worker.on('error', (err) => {
      throw err;
    });
    this.ready = new Promise((resolve) => this.waiting.push((m) => resolve(m.result)));
  }

  call<T>(req: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push((m) => (m.ok ? resolve(m.result as T) : reject(new Error(m.error))));
      this.worker.postMessage(req, transfer);
    });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

async function timed(run: (step: number) => Promise<number>): Promise<{ imagesPerSecond: number; secondsPerStep: number; losses: number[] }> {
  for (let s = 0; s < warmup; s++) await run(s);
  const losses: number[] = [];
  const started = performance.now();
  for (let s = warmup; s < warmup + steps; s++) losses.push(await run(s));
  const seconds = (performance.now() - started) / 1000;
  return { imagesPerSecond: (views * steps) / seconds, secondsPerStep: seconds / steps, losses };
}

async function oneWorker(chunk: number) {
  const peer = new Peer();
  await peer.ready;
  try {
    return await timed(async (step) => (await peer.call<{ loss: number }>({ type: 'solo', step, chunk })).loss);
  } finally {
    await peer.terminate();
  }
}

async function twoWorkers() {
  const peers = [new Peer(), new Peer()];
  await Promise.all(peers.map((p) => p.ready));
  try {
    return await timed(async (step) => {
      const halves = await Promise.all(
        peers.map((p, w) => p.call<{ z: Float32Array; dim: number }>({ type: 'forward', step, begin: w * batchSize, end: (w + 1) * batchSize })),
      );
      const dim = halves[0]!.dim;
      const z = new Float32Array(views * dim);
      halves.forEach((h, w) => z.set(h.z, w * batchSize * dim));
      const parts = await Promise.all(peers.map((p) => p.call<{ loss: number; grads: Float32Array }>({ type: 'backward', z, dim })));
      const sum = Float32Array.from(parts[0]!.grads, (g, i) => g + parts[1]!.grads[i]!);
      await Promise.all(peers.map((p) => p.call({ type: 'apply', grads: sum })));
      return parts[0]!.loss;
    });
  } finally {
    await Promise.all(peers.map((p) => p.terminate()));
  }
}

const plain = await oneWorker(views);
const cached = await oneWorker(batchSize);
const two = await twoWorkers();
process.stdout.write(
  `${JSON.stringify({ encoder: setup.encoder, batchSize, views, imageSize: setup.imageSize, steps, warmup, oneWorkerPlain: plain, oneWorkerCachedChunkN: cached, twoWorkers: two })}\n`,
);
