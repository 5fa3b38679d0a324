/**
 * Wall and CPU time of each `cwb bench train` step, for comparing two versions on a shared, loaded
 * machine: a single-threaded step's CPU time hardly depends on what else runs, its wall time does.
 * Same set-up as `cwb bench train` (seeded synthetic images, the method's default augmentation,
 * Adam 1e-3), run in this process (no engine worker).
 *
 * Usage: tsx bench/probes/step-time.ts [--method simclr] [--encoder small] [--batch-size 64]
 *          [--image-size 32] [--backend wasm] [--steps 8] [--warmup 2]
 * Prints one JSON object: per-step wall and CPU milliseconds (min, median) and the images per
 * second they imply (views through forward + backward, as `cwb bench train` counts them).
 */
import { parseArgs } from 'node:util';
import { deriveSeed } from '../../src/main/random/index';
import { buildViews, disposeViewBatch } from '../../src/main/augment/views/index';
import { methodBatch } from '../../src/main/ssl/view-plan';
import { viewsPerStep } from '../../src/main/specs/views';
import { trainStep } from '../../src/main/ssl/train-step';
import { setUpTrainProbe, TRAIN_PROBE_OPTIONS } from '../lib/train-probe';

const { values } = parseArgs({
  options: {
    ...TRAIN_PROBE_OPTIONS,
    steps: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
  },
});


const probe = await setUpTrainProbe(values);
const { methodName, encoderName, batchSize, imageSize, report } = probe;
const { method, optimizer, spec, images, indices } = probe;

const wall: number[] = [];
const cpu: number[] = [];
let lastLoss = NaN;
try {
  const total = Number(values.warmup) + Number(values.steps);
  for (let n = 0; n < total; n += 1) {
    const startedWall = performance.now();
    const startedCpu = process.cpuUsage();
    const built = buildViews(images, spec, { seed: deriveSeed(0, n), imageKeys: indices });
    try {
      lastLoss = await trainStep(
        method,
        optimizer,
        methodBatch(built, method.viewsNeeded, indices),
      );
    } finally {
      disposeViewBatch(built);
    }
    const used = process.cpuUsage(startedCpu);
    if (n < Number(values.warmup)) continue;
    wall.push(performance.now() - startedWall);
    cpu.push((used.user + used.system) / 1000);
  }
} finally {
  images.dispose();
  optimizer.dispose();
  method.dispose();
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0] ?? NaN, median: s[Math.floor((s.length - 1) / 2)] ?? NaN };
};
const views = viewsPerStep(method.viewsNeeded, batchSize);
const w = stats(wall);
const c = stats(cpu);
process.stdout.write(
  `${JSON.stringify({
    backend: report.backend,
    method: methodName,
    encoder: encoderName,
    batchSize,
    imageSize,
    steps: wall.length,
    wallMs: w,
    cpuMs: c,
    imagesPerSecondWall: { best: (1000 * views) / w.min, median: (1000 * views) / w.median },
    imagesPerSecondCpu: { best: (1000 * views) / c.min, median: (1000 * views) / c.median },
    lastLoss,
  })}\n`,
);
