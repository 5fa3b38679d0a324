/**
 * Loader throughput: shuffled, seeded batches read from a dataset's tensor cache (what the trainer
 * consumes), with the default prefetch. Images per second over whole epochs.
 *
 * Usage: tsx bench/probes/loader.ts --home <workspace> --dataset <id> [--batch-size 256] [--epochs 3]
 * Prints one JSON object { datasetId, images, batchSize, epochs, imagesPerSecond, seconds }.
 */
import { parseArgs } from 'node:util';
import { TensorCache } from '../../src/main/data/cache';
import { BatchLoader } from '../../src/main/data/loader';
import { createServices } from '../../src/main/services/index';
import { trainDataFor } from '../../src/main/services/training-data';

const { values } = parseArgs({
  options: {
    home: { type: 'string' },
    dataset: { type: 'string', default: '1' },
    'batch-size': { type: 'string', default: '256' },
    epochs: { type: 'string', default: '3' },
  },
});
if (!values.home) throw new Error('--home is required');

const services = createServices({ home: values.home, front: 'browser' });
try {
  const data = await trainDataFor(services.ctx, services.datasets, Number(values.dataset));
  const cache = await TensorCache.open(data.cacheFile);
  try {
    const batchSize = Number(values['batch-size']);
    const epochs = Number(values.epochs);
    const loader = new BatchLoader({ cache, items: data.train, batchSize, seed: 0 });
    let images = 0;
    const started = performance.now();
    for (let e = 0; e < epochs; e += 1) for await (const batch of loader.epoch(e)) images += batch.indices.length;
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(
      `${JSON.stringify({ datasetId: Number(values.dataset), images: data.train.length, batchSize, epochs, imagesPerSecond: images / seconds, seconds })}\n`,
    );
  } finally {
    await cache.close();
  }
} finally {
  await services.close();
}
