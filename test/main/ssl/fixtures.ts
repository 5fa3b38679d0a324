/** Tiny synthetic data, tiny method configs and view builders shared by the method tests. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tf } from '../../../src/main/compute/tf';
import {
  mergeMethodConfig,
  type MethodConfig,
  type MethodName,
} from '../../../src/shared/schemas/method';
import {
  trainStep,
  type MethodBatch,
  type MethodContext,
  type SslMethod,
} from '../../../src/main/ssl/index';

export const PRESET_DIR = fileURLToPath(
  new URL('../../../resources/presets/methods/', import.meta.url),
);

export function preset(name: MethodName): unknown {
  return JSON.parse(readFileSync(`${PRESET_DIR}${name}.json`, 'utf8')) as unknown;
}

const TINY_ENCODER = { name: 'small', widthMultiplier: 0.25, batchNormMomentum: 0.9 };

/** Each method's preset shrunk to CPU-test size (4/8/16-channel encoder, 16-d embeddings). */
export const TINY_OVERRIDES: Record<MethodName, Record<string, unknown>> = {
  simclr: {
    head: [
      { units: 16, batchNorm: true, activation: 'relu', bias: false },
      { units: 16, batchNorm: false, activation: 'linear', bias: true },
    ],
  },
  'memory-bank': {
    head: [{ units: 16, batchNorm: false, activation: 'linear', bias: true }],
    negatives: 16,
  },
  moco: {
    head: [
      { units: 16, batchNorm: false, activation: 'relu', bias: true },
      { units: 16, batchNorm: false, activation: 'linear', bias: true },
    ],
    queueSize: 8,
    momentum: 0.9,
  },
  swav: {
    head: [
      { units: 16, batchNorm: true, activation: 'relu', bias: true },
      { units: 16, batchNorm: false, activation: 'linear', bias: true },
    ],
    prototypes: 8,
    smallCrops: 2,
    smallCropScale: 0.5,
    freezePrototypesSteps: 0,
  },
  pirl: {
    head: [{ units: 16, batchNorm: false, activation: 'linear', bias: true }],
    negatives: 16,
    jigsaw: { grid: 2, tileUnits: 8 },
  },
  triplet: { head: [{ units: 16, batchNorm: false, activation: 'linear', bias: true }], margin: 1 },
  'margin-contrastive': {
    head: [{ units: 16, batchNorm: false, activation: 'linear', bias: true }],
  },
  byol: {
    head: [
      { units: 16, batchNorm: true, activation: 'relu', bias: true },
      { units: 16, batchNorm: false, activation: 'linear', bias: true },
    ],
    predictor: [
      { units: 16, batchNorm: true, activation: 'relu', bias: true },
      { units: 16, batchNorm: false, activation: 'linear', bias: true },
    ],
    momentum: 0.9,
  },
  simsiam: {
    head: [
      { units: 16, batchNorm: true, activation: 'relu', bias: false },
      { units: 16, batchNorm: true, activation: 'linear', bias: false },
    ],
    predictor: [
      { units: 8, batchNorm: true, activation: 'relu', bias: false },
      { units: 16, batchNorm: false, activation: 'linear', bias: true },
    ],
  },
  'barlow-twins': {
    head: [
      { units: 16, batchNorm: true, activation: 'relu', bias: false },
      { units: 16, batchNorm: false, activation: 'linear', bias: false },
    ],
  },
  vicreg: {
    head: [
      { units: 16, batchNorm: true, activation: 'relu', bias: true },
      { units: 16, batchNorm: false, activation: 'linear', bias: true },
    ],
  },
  dino: {
    head: [
      { units: 16, batchNorm: false, activation: 'relu', bias: true },
      { units: 16, batchNorm: false, activation: 'linear', bias: true },
    ],
    smallCrops: 2,
    smallCropScale: 0.5,
    outputDim: 32,
    // A frozen teacher and centre: DINO's loss chases a moving target and need not fall in 20 steps;
    // distilling a fixed teacher must. dino.test.ts checks the EMA and the centre update themselves.
    momentum: 1,
    centerMomentum: 1,
  },
  autoencoder: {
    head: [{ units: 16, batchNorm: false, activation: 'linear', bias: true }],
    decoderChannels: 8,
  },
};

export function tinyConfig(name: MethodName, extra: Record<string, unknown> = {}): MethodConfig {
  return mergeMethodConfig(
    mergeMethodConfig(preset(name), { encoder: TINY_ENCODER, ...TINY_OVERRIDES[name] }),
    extra,
  );
}

export const DATASET_SIZE = 16;
export const BATCH = 8;
export const CONTEXT: MethodContext = {
  imageSize: 8,
  channels: 3,
  datasetSize: DATASET_SIZE,
  seed: 11,
};

/** Smooth random images in [0, 1]: [n, size, size, channels]. */
export function syntheticImages(
  n: number,
  size: number,
  channels: number,
  seed: number,
): tf.Tensor4D {
  return tf.tidy(() => {
    const coarse = tf.randomUniform(
      [n, size / 2, size / 2, channels],
      0,
      1,
      'float32',
      seed,
    ) as tf.Tensor4D;
    return tf.image.resizeBilinear(coarse, [size, size]);
  });
}

/** Cheap seeded augmentation: additive noise and a brightness shift. */
function augment(images: tf.Tensor4D, seed: number): tf.Tensor4D {
  return tf.tidy(() => {
    const n = images.shape[0];
    const noise = tf.randomNormal(images.shape, 0, 0.1, 'float32', seed);
    const shift = tf.randomUniform([n, 1, 1, 1], -0.2, 0.2, 'float32', seed + 1);
    return tf.add(tf.add(images, noise), shift) as tf.Tensor4D;
  });
}

/** Splits [B, S, S, C] into grid² tiles per image, shuffled per image: [B·grid², S/grid, S/grid, C]. */
function jigsawTiles(images: tf.Tensor4D, grid: number, seed: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, s, , c] = images.shape;
    const t = s / grid;
    const tiles: tf.Tensor4D[] = [];
    for (let i = 0; i < b; i++) {
      const cells: tf.Tensor4D[] = [];
      for (let r = 0; r < grid; r++)
        for (let col = 0; col < grid; col++)
          cells.push(tf.slice(images, [i, r * t, col * t, 0], [1, t, t, c]));
      const order = cells
        .map((_, k) => k)
        .sort((x, y) => ((x * 7 + seed + i) % cells.length) - ((y * 7 + seed + i) % cells.length));
      for (const k of order) tiles.push(cells[k]!);
    }
    return tf.concat(tiles, 0);
  });
}

/** The views `method.viewsNeeded` asks for, for dataset rows `indices` of `dataset`. */
export function makeBatch(
  method: SslMethod,
  dataset: tf.Tensor4D,
  indices: Int32Array,
  seed: number,
): MethodBatch {
  const views = tf.tidy(() => {
    const images = tf.gather(dataset, tf.tensor1d(indices, 'int32')) as tf.Tensor4D;
    const spec = method.viewsNeeded;
    switch (spec.kind) {
      case 'single':
        return [augment(images, seed)];
      case 'pair':
      case 'triplet':
        return [augment(images, seed), augment(images, seed + 100)];
      case 'multi-crop': {
        const large = Array.from({ length: spec.large }, (_, i) => augment(images, seed + 100 * i));
        const small = Array.from({ length: spec.small }, (_, i) =>
          tf.image.resizeBilinear(augment(images, seed + 1000 + 100 * i), [
            spec.smallSize,
            spec.smallSize,
          ]),
        );
        return [...large, ...small];
      }
      case 'jigsaw':
        return [augment(images, seed), jigsawTiles(augment(images, seed + 100), spec.grid, seed)];
    }
  });
  return { views, indices };
}

/** Rows of batch `step`, cycling through the dataset in order. */
export function batchIndices(step: number): Int32Array {
  const start = (step * BATCH) % DATASET_SIZE;
  return Int32Array.from({ length: BATCH }, (_, i) => start + i);
}

/**
 * Steps before a method's loss means what it will mean for the rest of training: the bank / queue
 * start as random unit vectors (easy negatives, random positives) until every entry has been written
 * once — DATASET_SIZE / BATCH steps for a bank, queueSize / BATCH for MoCo's queue.
 */
export const WARM_UP_STEPS: Record<MethodName, number> = {
  simclr: 0,
  'memory-bank': 2,
  moco: 1,
  swav: 0,
  pirl: 2,
  triplet: 0,
  'margin-contrastive': 0,
  byol: 0,
  simsiam: 0,
  'barlow-twins': 0,
  vicreg: 0,
  dino: 0,
  autoencoder: 0,
};

/** Train `steps` steps with Adam (lr 0.01) on batches cycling through `dataset`; returns the losses. */
export async function trainLosses(
  method: SslMethod,
  dataset: tf.Tensor4D,
  steps: number,
  onStep?: (step: number) => void,
): Promise<number[]> {
  const optimizer = tf.train.adam(0.01);
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const batch = makeBatch(method, dataset, batchIndices(s), 1000 + s);
    losses.push(await trainStep(method, optimizer, batch));
    tf.dispose(batch.views);
    onStep?.(s);
  }
  optimizer.dispose();
  return losses;
}
