/**
 * Fine-tuning with few labels, the semi-supervised protocol of SimCLR (Chen et al. 2020,
 * https://arxiv.org/abs/2002.05709, Sec. 6 / Table 7): a seeded, class-balanced fraction of the
 * labelled training images; the encoder plus a new linear head [F → C] trained end to end with
 * cross-entropy (Adam, BatchNorm in training mode, seeded horizontal flips as the only augmentation);
 * accuracy on the labelled validation images with the encoder in inference mode.
 *
 * The encoder's weights change in place: callers fine-tune a throw-away copy of a run's model
 * (the engine rebuilds it from the checkpoint for every evaluation).
 *
 * Example: fineTuneAccuracy(method.encoder, { cache, train, val, numClasses: 10, imageSize: 28,
 *   labelFraction: 0.1, epochs: 10, seed: 0 }) → { accuracy: 0.71, trainImages: 600 }.
 */
import type { TensorCache } from '../../data/cache';
import { readImages } from '../../data/cache-images';
import type { LoaderItem } from '../../data/loader';
import { tf } from '../../compute/tf';
import { SeededRng, tfSeed } from '../../random/index';
import { trainableVariablesOf } from '../methods/state';
import { accuracy } from './knn';

export interface FineTuneSetup {
  cache: TensorCache;
  train: readonly LoaderItem[];
  val: readonly LoaderItem[];
  numClasses: number;
  imageSize: number;
  /** Fraction of each class's labelled training images used, in (0, 1]. */
  labelFraction: number;
  epochs: number;
  seed: number;
  batchSize?: number;
  learningRate?: number;
}

function shuffle<T>(xs: T[], random: SeededRng): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

/**
 * A seeded, class-balanced subset: from every class, max(1, round(fraction · its labelled images)),
 * drawn without replacement. Unlabelled items are never chosen. Same seed → same subset.
 */
export function classBalancedSubset(
  items: readonly LoaderItem[],
  fraction: number,
  seed: number,
): LoaderItem[] {
  if (!Number.isFinite(fraction) || fraction <= 0 || fraction > 1)
    throw new RangeError(`classBalancedSubset: fraction must be in (0, 1], got ${fraction}`);
  const byClass = new Map<number, LoaderItem[]>();
  for (const item of items) {
    if (item.label < 0) continue;
    const list = byClass.get(item.label) ?? [];
    list.push(item);
    byClass.set(item.label, list);
  }
  const random = new SeededRng(seed);
  return [...byClass.keys()]
    .sort((a, b) => a - b)
    .flatMap((label) => {
      const list = byClass.get(label)!;
      const take = Math.max(1, Math.round(fraction * list.length));
      return shuffle([...list], random).slice(0, take);
    });
}

/** Images [B, S, S, C] with each row flipped left–right where `flip[b]`. */
function flipRows(images: tf.Tensor4D, flip: boolean[]): tf.Tensor4D {
  return tf.tidy(() => {
    const mask = tf.tensor4d(
      flip.map((f) => (f ? 1 : 0)),
      [flip.length, 1, 1, 1],
      'bool',
    );
    return tf.where(mask, tf.reverse(images, 2), images);
  });
}

/**
 * Fine-tune `encoder` + a linear head on the labelled subset and score the validation split; null
 * when the training or validation split has no labels.
 */
export async function fineTuneAccuracy(
  encoder: tf.LayersModel,
  setup: FineTuneSetup,
  signal?: AbortSignal,
): Promise<{ accuracy: number; trainImages: number } | null> {
  const { numClasses, imageSize, epochs, seed, batchSize = 32, learningRate = 1e-3 } = setup;
  if (!Number.isInteger(epochs) || epochs < 1)
    throw new RangeError(`fineTuneAccuracy: epochs must be an integer ≥ 1, got ${epochs}`);
  const val = setup.val.filter((i) => i.label >= 0);
  const subset = classBalancedSubset(setup.train, setup.labelFraction, seed);
  if (subset.length === 0 || val.length === 0 || numClasses < 2) return null;
  const features = encoder.outputs[0]?.shape[1] as number;
  const [weights, bias] = tf.tidy(() => [
    tf.variable(tf.randomNormal([features, numClasses], 0, 1 / Math.sqrt(features), 'float32', tfSeed(seed))),
    tf.variable(tf.zeros([numClasses])),
  ]);
  const variables = [...trainableVariablesOf(encoder), weights, bias];
  const optimizer = tf.train.adam(learningRate);
  const random = new SeededRng(seed + 1);
  const logits = (images: tf.Tensor4D, training: boolean): tf.Tensor2D =>
    tf.add(tf.matMul(encoder.apply(images, { training }) as tf.Tensor2D, weights), bias);
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const order = shuffle([...subset], random);
      // BatchNorm needs ≥ 2 rows: a trailing single image joins the previous batch.
      for (let start = 0; start < order.length; start += batchSize) {
        if (signal?.aborted) throw Object.assign(new Error('cancelled'), { code: 'CANCELLED' });
        const end = order.length - (start + batchSize) === 1 ? order.length : start + batchSize;
        const rows = order.slice(start, end);
        const raw = await readImages(setup.cache, rows.map((i) => i.cacheIndex), imageSize);
        const images = flipRows(raw, rows.map(() => random.next() < 0.5));
        const y = tf.tidy(() =>
          tf.oneHot(tf.tensor1d(rows.map((i) => i.label), 'int32'), numClasses).toFloat(),
        );
        const cost = optimizer.minimize(
          () => tf.losses.softmaxCrossEntropy(y, logits(images, rows.length > 1)) as tf.Scalar,
          false,
          variables,
        );
        tf.dispose([raw, images, y, cost ?? []]);
        if (end === order.length) break;
      }
    }
    const predictions: number[] = [];
    for (let start = 0; start < val.length; start += 128) {
      const rows = val.slice(start, start + 128);
      const images = await readImages(setup.cache, rows.map((i) => i.cacheIndex), imageSize);
      const arg = tf.tidy(() => tf.argMax(logits(images, false), 1));
      predictions.push(...Array.from(await arg.data()));
      tf.dispose([images, arg]);
    }
    return { accuracy: accuracy(predictions, val.map((i) => i.label)), trainImages: subset.length };
  } finally {
    optimizer.dispose();
    tf.dispose([weights, bias]);
  }
}
