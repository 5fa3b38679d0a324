/**
 * One wasm-threads job for wasm-threads.test.ts, run in a fresh worker thread (workerData) or a
 * fresh child process (env CWB_TEST_WASM_JOB): each has its own tfjs, so 1 and 2 threads can be
 * compared. It initialises wasm, computes conv2d, matMul and two SimCLR steps on a tiny model, and
 * reports them — then returns without exiting, so the test can see whether anything keeps it alive.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend, tf, wasmThreadsTestSeams } from '../../../src/main/compute/tf';
import { filterKernelStatus, inputKernelStatus } from '../../../src/main/compute/kernels/native-kernels';
import { createMethod } from '../../../src/main/ssl/index';
import { syntheticImages, tinyConfig, trainLosses } from '../ssl/fixtures';

export interface WasmJob {
  threads: number;
  /** Simulate a bundle whose source differs from the one the patch was written for. */
  breakPattern?: boolean;
  /** Simulate a pthread worker that throws while it starts. */
  breakFactory?: boolean;
  /** Also run the SimCLR steps (slower). */
  train?: boolean;
}

export interface WasmJobResult {
  threads: number;
  wasmThreads: { requested: number; active: number; note: string } | undefined;
  conv: number[];
  matMul: number[];
  losses: number[];
  /** The filter gradient of the conv above, and which kernel computed it (shared memory at 2 threads). */
  filterGrad: number[];
  filterKernel: { kernel: string; reason: string } | undefined;
  /** The input gradient of a stride-2 conv, and which kernel computed it. */
  inputGrad: number[];
  inputKernel: { kernel: string; reason: string } | undefined;
}

async function run(job: WasmJob): Promise<WasmJobResult> {
  if (job.breakPattern) wasmThreadsTestSeams.transformSource = (s) => s.replace('var pthreadPoolSize = 8;', 'var pthreadPoolSize = 4;');
  if (job.breakFactory) wasmThreadsTestSeams.transformFactory = (s) => `${s}\nthrow new Error("pthread start-up failure simulated by the test");\n`;
  const report = await initBackend('wasm', { wasmThreads: job.threads });
  const [conv, matMul] = tf.tidy(() => {
    const x = tf.randomNormal([4, 24, 24, 16], 0, 1, 'float32', 1) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 16, 32], 0, 1, 'float32', 2) as tf.Tensor4D;
    const a = tf.randomNormal([192, 160], 0, 1, 'float32', 3) as tf.Tensor2D;
    const b = tf.randomNormal([160, 144], 0, 1, 'float32', 4) as tf.Tensor2D;
    return [Array.from(tf.conv2d(x, w, 1, 'same').dataSync()), Array.from(tf.matMul(a, b).dataSync())];
  });
  const filterGrad = tf.tidy(() => {
    const x = tf.randomNormal([4, 24, 24, 16], 0, 1, 'float32', 5) as tf.Tensor4D;
    const dy = tf.randomNormal([4, 12, 12, 20], 0, 1, 'float32', 6) as tf.Tensor4D;
    const attrs = { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 16, 20] };
    return Array.from((tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs) as tf.Tensor).dataSync());
  });
  let losses: number[] = [];
  if (job.train) {
    const context = { imageSize: 16, channels: 3 as const, datasetSize: 16, seed: 11 };
    const dataset = syntheticImages(16, context.imageSize, context.channels, 1);
    const method = createMethod('simclr', tinyConfig('simclr'), context);
    losses = await trainLosses(method, dataset, 2);
    method.dispose();
    dataset.dispose();
  }
  const inputGrad = tf.tidy(() => {
    const dy = tf.randomNormal([4, 12, 12, 20], 0, 1, 'float32', 7) as tf.Tensor4D;
    const filter = tf.randomNormal([3, 3, 16, 20], 0, 1, 'float32', 8) as tf.Tensor4D;
    const attrs = { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: [4, 24, 24, 16] };
    return Array.from((tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, attrs) as tf.Tensor).dataSync());
  });
  return { threads: report.threads, wasmThreads: report.wasmThreads, conv, matMul, losses, filterGrad, filterKernel: filterKernelStatus(), inputGrad, inputKernel: inputKernelStatus() };
}

if (parentPort) {
  const port = parentPort;
  port.postMessage(await run(workerData as WasmJob));
} else {
  const job = JSON.parse(process.env['CWB_TEST_WASM_JOB'] ?? '{"threads":2}') as WasmJob;
  process.stdout.write(`${JSON.stringify(await run(job))}\n`);
}
