/**
 * Augmentation throughput: build a preset's views for synthetic batches and time it on the active
 * backend (`cwb bench augment`). Images per second counts DATASET images (a SimCLR batch of B gives
 * 2B views); `viewsPerSecond` counts views. Each timed iteration waits for the data (`await data()`)
 * so asynchronous backends are measured to completion. Call `initBackend` first.
 */
import { tf } from '../compute/tf';
import type { AugmentSpec } from '../../shared/schemas/augment';
import { buildViews, disposeViewBatch, viewsPerImage } from './views/index';
import { loadAugmentPreset } from './presets';
import { createRng } from '../random/index';

export interface BenchAugmentOptions {
  /** Preset name (resources/presets/augment) or a parsed spec. */
  preset: string | AugmentSpec;
  batchSize: number;
  /** Square image side in pixels. */
  imageSize: number;
  iterations?: number;
  warmup?: number;
  channels?: 1 | 3;
  seed?: number;
}

export interface BenchAugmentResult {
  preset: string;
  backend: string;
  batchSize: number;
  imageSize: number;
  channels: number;
  iterations: number;
  viewsPerImage: number;
  imagesPerSecond: number;
  viewsPerSecond: number;
  msPerBatch: number;
  /** Tensor count growth over the timed iterations (0 = no leak). */
  leakedTensors: number;
}

function syntheticBatch(n: number, size: number, channels: number, seed: number): tf.Tensor4D {
  const rng = createRng(seed);
  return tf.tensor4d(
    Float32Array.from({ length: n * size * size * channels }, () => rng.next()),
    [n, size, size, channels],
  );
}

export async function benchAugment(options: BenchAugmentOptions): Promise<BenchAugmentResult> {
  const spec =
    typeof options.preset === 'string' ? loadAugmentPreset(options.preset) : options.preset;
  const { batchSize, imageSize } = options;
  const iterations = options.iterations ?? 10;
  const channels = options.channels ?? 3;
  const stats = {
    mean: Array.from({ length: channels }, () => 0.5),
    std: Array.from({ length: channels }, () => 0.25),
  };
  const images = syntheticBatch(batchSize, imageSize, channels, options.seed ?? 0);
  const step = async (i: number) => {
    const batch = buildViews(images, spec, { seed: (options.seed ?? 0) + i, stats });
    await Promise.all(batch.views.map((v) => v.images.data()));
    if (batch.jigsaw) await batch.jigsaw.tiles.data();
    disposeViewBatch(batch);
  };
  try {
    for (let i = 0; i < (options.warmup ?? 1); i++) await step(-1 - i);
    const before = tf.memory().numTensors;
    const start = performance.now();
    for (let i = 0; i < iterations; i++) await step(i);
    const seconds = (performance.now() - start) / 1000;
    const perImage = viewsPerImage(spec);
    return {
      preset: typeof options.preset === 'string' ? options.preset : (spec.name ?? 'custom'),
      backend: tf.getBackend(),
      batchSize,
      imageSize,
      channels,
      iterations,
      viewsPerImage: perImage,
      imagesPerSecond: (batchSize * iterations) / seconds,
      viewsPerSecond: (batchSize * iterations * perImage) / seconds,
      msPerBatch: (seconds * 1000) / iterations,
      leakedTensors: tf.memory().numTensors - before,
    };
  } finally {
    images.dispose();
  }
}
