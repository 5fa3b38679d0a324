/**
 * Micro-benchmark of XNNPACK threads on tfjs-wasm (issue 9, docs/architecture.md "Multi-threaded
 * wasm"): conv2d 3×3 on [32,32,32,64] → 64 filters and matMul 1024², each after 2 untimed calls, the
 * median and minimum of `--reps` timed calls; the CPU time the process burns per wall second during
 * them (threads working or spinning); the CPU it burns while idle for 2 s afterwards; and RSS.
 *
 *   npx tsx bench/probes/wasm-threads-micro.ts --threads 2 [--reps 7]
 *
 * Prints one JSON object. Run it under `flock /tmp/cwb-bench.lock` like every timing.
 */
import { parseArgs } from 'node:util';
import { initBackend, tf } from '../../src/main/compute/tf';

const { values } = parseArgs({ options: { threads: { type: 'string', default: '1' }, reps: { type: 'string', default: '7' } } });
const threads = Number(values.threads);
const reps = Number(values.reps);

function time(fn: () => tf.Tensor): { minMs: number; medianMs: number; cpuPerWall: number } {
  for (let i = 0; i < 2; i += 1) fn().dispose();
  const ms: number[] = [];
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  for (let i = 0; i < reps; i += 1) {
    const t = performance.now();
    const y = fn();
    y.dataSync();
    ms.push(performance.now() - t);
    y.dispose();
  }
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - wall0;
  ms.sort((a, b) => a - b);
  return { minMs: ms[0]!, medianMs: ms[Math.floor(ms.length / 2)]!, cpuPerWall: (cpu.user + cpu.system) / 1000 / wall };
}

const report = await initBackend('wasm', { wasmThreads: threads });
const x = tf.randomNormal([32, 32, 32, 64], 0, 1, 'float32', 1) as tf.Tensor4D;
const w = tf.randomNormal([3, 3, 64, 64], 0, 1, 'float32', 2) as tf.Tensor4D;
const a = tf.randomNormal([1024, 1024], 0, 1, 'float32', 3) as tf.Tensor2D;
const b = tf.randomNormal([1024, 1024], 0, 1, 'float32', 4) as tf.Tensor2D;
const conv2d = time(() => tf.conv2d(x, w, 1, 'same'));
const matMul = time(() => tf.matMul(a, b));
const idle0 = process.cpuUsage();
await new Promise((r) => setTimeout(r, 2000));
const idle = process.cpuUsage(idle0);
process.stdout.write(
  `${JSON.stringify({
    threads: report.threads,
    requested: threads,
    conv2d,
    matMul,
    idleCpuMsPer2s: (idle.user + idle.system) / 1000,
    rssMB: process.memoryUsage().rss / 2 ** 20,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
