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
import { loadAugmentPreset } from '../../src/main/augment/presets';
import { deriveSeed } from '../../src/main/augment/random';
import { buildViews, disposeViewBatch } from '../../src/main/augment/views/index';
import { createOptimizer } from '../../src/main/engine/optimizers';
import { initBackend, tf } from '../../src/main/engine/tf';
import { fitAugmentToMethod, methodBatch, viewsPerStep } from '../../src/main/engine/view-plan';
import { createMethod } from '../../src/main/ssl/methods/index';
import { trainStep } from '../../src/main/ssl/train-step';
import { loadMethodPreset } from '../../src/main/services/presets';
import { DEFAULT_AUGMENT_PRESET } from '../../src/shared/schemas/experiment';
import {
  EncoderNameSchema,
  mergeMethodConfig,
  MethodNameSchema,
} from '../../src/shared/schemas/method';

const { values } = parseArgs({
  options: {
    method: { type: 'string', default: 'simclr' },
    encoder: { type: 'string', default: 'small' },
    'batch-size': { type: 'string', default: '64' },
    'image-size': { type: 'string', default: '32' },
    backend: { type: 'string', default: 'wasm' },
    steps: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
  },
});

const methodName = MethodNameSchema.parse(values.method);
const encoderName = EncoderNameSchema.parse(values.encoder);
const batchSize = Number(values['batch-size']);
const imageSize = Number(values['image-size']);

const report = await initBackend(values.backend);
const config = mergeMethodConfig(loadMethodPreset(methodName), { encoder: { name: encoderName } });
const method = createMethod(methodName, config, {
  imageSize,
  channels: 3,
  datasetSize: Math.max(batchSize * 4, 64),
  seed: 0,
});
const optimizer = createOptimizer({ name: 'adam', learningRate: 1e-3, weightDecay: 0 }, () =>
  method.trainableVariables(),
);
const spec = fitAugmentToMethod(
  loadAugmentPreset(DEFAULT_AUGMENT_PRESET[methodName]),
  method.viewsNeeded,
  imageSize,
);
const images = tf.randomUniform(
  [batchSize, imageSize, imageSize, 3],
  0,
  1,
  'float32',
  0,
) as tf.Tensor4D;
const indices = Int32Array.from({ length: batchSize }, (_, i) => i);

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
