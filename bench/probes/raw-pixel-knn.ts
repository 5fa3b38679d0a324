/**
 * The raw-pixel baseline of the quality table: the same weighted kNN (k = 200, τ = 0.1, cosine, Wu et
 * al. 2018) that `cwb train` reports each epoch, with the flattened pixels as the features instead of
 * an encoder's output. Runs the engine's own knnAccuracy (same cache reads, same image size, same
 * train/val split) with `embed = reshape to [B, H·W·C]`, on the workspace's dataset.
 *
 * Usage: tsx bench/probes/raw-pixel-knn.ts --home <workspace> --dataset <id> [--k 200] [--temperature 0.1]
 * Prints one JSON object { datasetId, k, temperature, train, val, dim, accuracy, seconds, peakRssMB }.
 */
import { parseArgs } from 'node:util';
import { TensorCache } from '../../src/main/data/cache';
import { knnAccuracy } from '../../src/main/ssl/eval/evaluate';
import { initBackend, tf } from '../../src/main/compute/tf';
import { createServices } from '../../src/main/services/index';
import { trainDataFor } from '../../src/main/services/training-data';

const { values } = parseArgs({
  options: {
    home: { type: 'string' },
    dataset: { type: 'string', default: '1' },
    k: { type: 'string', default: '200' },
    temperature: { type: 'string', default: '0.1' },
    backend: { type: 'string', default: 'wasm' },
  },
});
if (!values.home) throw new Error('--home is required');

const services = createServices({ home: values.home, front: 'browser' });
try {
  const report = await initBackend(values.backend);
  const data = await trainDataFor(services.ctx, services.datasets, Number(values.dataset));
  const cache = await TensorCache.open(data.cacheFile);
  try {
    const started = performance.now();
    const accuracy = await knnAccuracy(
      (images) => tf.reshape(images, [images.shape[0], -1]) as tf.Tensor2D,
      {
        cache,
        train: data.train,
        val: data.val,
        imageSize: data.imageSize,
        numClasses: data.numClasses,
        k: Number(values.k),
        temperature: Number(values.temperature),
      },
    );
    process.stdout.write(
      `${JSON.stringify({
        datasetId: Number(values.dataset),
        backend: report.backend,
        k: Number(values.k),
        temperature: Number(values.temperature),
        train: data.train.length,
        val: data.val.length,
        dim: data.imageSize * data.imageSize * data.channels,
        accuracy,
        seconds: (performance.now() - started) / 1000,
        peakRssMB: process.resourceUsage().maxRSS / 1024,
      })}\n`,
    );
  } finally {
    await cache.close();
  }
} finally {
  await services.close();
}
