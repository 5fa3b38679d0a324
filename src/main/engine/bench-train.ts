/**
 * `cwb bench train`: images per second of full training steps (every view through forward and
 * backward) on seeded synthetic images, after warm-up steps, and the process's peak RSS.
 */
import { buildViews, disposeViewBatch } from '../augment/views/index';
import { deriveSeed, tfSeed } from '../random/index';
import { createMethod } from '../ssl/methods/index';
import { cachedTrainStep } from '../ssl/gradient-cache';
import { trainStep } from '../ssl/train-step';
import { createOptimizer } from '../ssl/optimizers';
import { initBackend, tf } from '../compute/tf';
import { methodBatch } from '../ssl/view-plan';
import { fitAugmentToMethod, viewsPerStep } from '../specs/views';
import type { BenchTrainRequest, BenchTrainResult } from './protocol';

export async function benchTrain(req: BenchTrainRequest): Promise<BenchTrainResult> {
  const report = await initBackend(req.backend, req.wasmThreads === undefined ? {} : { wasmThreads: req.wasmThreads });
  const method = createMethod(req.method.method, req.method, { imageSize: req.imageSize, channels: req.channels, datasetSize: Math.max(req.batchSize * 4, 64), seed: req.seed });
  const optimizer = createOptimizer({ name: 'adam', learningRate: 1e-3, weightDecay: 0 }, () => method.trainableVariables());
  const spec = fitAugmentToMethod(req.augment, method.viewsNeeded, req.imageSize);
  const images = tf.randomUniform([req.batchSize, req.imageSize, req.imageSize, req.channels], 0, 1, 'float32', tfSeed(req.seed)) as tf.Tensor4D;
  const indices = Int32Array.from({ length: req.batchSize }, (_, i) => i);
  try {
    const step = async (n: number): Promise<void> => {
      const built = buildViews(images, spec, { seed: deriveSeed(req.seed, n), imageKeys: indices });
      try {
        const batch = methodBatch(built, method.viewsNeeded, indices);
        if (req.gradientCache) await cachedTrainStep(method, optimizer, batch, req.gradientCache.chunkSize);
        else await trainStep(method, optimizer, batch);
      } finally {
        disposeViewBatch(built);
      }
    };
    for (let i = 0; i < req.warmupSteps; i += 1) await step(i);
    const before = tf.memory().numTensors;
    const started = performance.now();
    for (let i = 0; i < req.steps; i += 1) await step(req.warmupSteps + i);
    const seconds = (performance.now() - started) / 1000;
    const views = viewsPerStep(method.viewsNeeded, req.batchSize);
    return {
      backend: report.backend,
      threads: report.threads,
      ...(report.wasmFilterKernel ? { filterKernel: report.wasmFilterKernel.kernel } : {}),
      ...(report.wasmInputKernel ? { inputKernel: report.wasmInputKernel.kernel } : {}),
      ...(report.wasmConvKernel ? { convKernel: report.wasmConvKernel.kernel } : {}),
      imagesPerSecond: (views * req.steps) / seconds,
      secondsPerStep: seconds / req.steps,
      viewsPerStep: views,
      peakRssMB: process.resourceUsage().maxRSS / 1024,
      tensorMB: tf.memory().numBytes / 2 ** 20,
      leakedTensors: tf.memory().numTensors - before,
    };
  } finally {
    images.dispose();
    optimizer.dispose();
    method.dispose();
  }
}
