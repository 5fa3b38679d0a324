/**
 * Evaluation of an encoder on cached images: embeddings in inference mode, weighted kNN accuracy
 * (Wu et al. 2018, arXiv:1805.01978: k = 200, τ = 0.1 by default) of the validation split against
 * the training split, and SwAV prototype assignments.
 */
import type { TensorCache } from '../../data/cache';
import type { LoaderItem } from '../../data/loader';
import { accuracy, knnPredict } from './knn';
import { linearProbe } from './linear-probe';
import type { PrototypeAssignments, SslMethod } from '../methods/types';
import { buildViews, disposeViewBatch } from '../../augment/views/index';
import { l2Normalize } from '../losses/normalize';
import type { AugmentSpec } from '../../../shared/schemas/augment';
import { readImages } from '../../data/cache-images';
import { tf, withSyncReadableBackend } from '../../compute/tf';

const EVAL_BATCH = 128;

/** Features [N, D] of `items` (row i = item i), computed in batches. */
export async function embedItems(
  embed: (images: tf.Tensor4D) => tf.Tensor2D,
  cache: TensorCache,
  items: readonly LoaderItem[],
  imageSize: number,
  signal?: AbortSignal,
): Promise<{ features: Float32Array; dim: number }> {
  const chunks: Float32Array[] = [];
  let dim = 0;
  for (let start = 0; start < items.length; start += EVAL_BATCH) {
    if (signal?.aborted) throw Object.assign(new Error('cancelled'), { code: 'CANCELLED' });
    const slice = items.slice(start, start + EVAL_BATCH).map((i) => i.cacheIndex);
    const images = await readImages(cache, slice, imageSize);
    const features = tf.tidy(() => embed(images));
    dim = features.shape[1];
    chunks.push((await features.data()) as Float32Array);
    tf.dispose([images, features]);
  }
  const out = new Float32Array(items.length * dim);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return { features: out, dim };
}

export interface KnnSetup {
  cache: TensorCache;
  train: readonly LoaderItem[];
  val: readonly LoaderItem[];
  numClasses: number;
  imageSize: number;
  k: number;
  temperature: number;
}

type FeatureSetup = Omit<KnnSetup, 'k' | 'temperature'>;

/**
 * Features and labels of the labelled training and validation images, handed to `score` as tensors
 * on a backend that reads synchronously; null when either side has no labels.
 */
async function withLabelledFeatures<T>(
  embed: (images: tf.Tensor4D) => tf.Tensor2D,
  setup: FeatureSetup,
  signal: AbortSignal | undefined,
  score: (train: { features: tf.Tensor2D; labels: Int32Array }, val: { features: tf.Tensor2D; labels: Int32Array }) => T,
): Promise<T | null> {
  const train = setup.train.filter((i) => i.label >= 0);
  const val = setup.val.filter((i) => i.label >= 0);
  if (train.length === 0 || val.length === 0 || setup.numClasses < 2) return null;
  const a = await embedItems(embed, setup.cache, train, setup.imageSize, signal);
  const b = await embedItems(embed, setup.cache, val, setup.imageSize, signal);
  return withSyncReadableBackend(() => {
    const trainFeatures = tf.tensor2d(a.features, [train.length, a.dim]);
    const valFeatures = tf.tensor2d(b.features, [val.length, b.dim]);
    try {
      return score(
        { features: trainFeatures, labels: Int32Array.from(train, (i) => i.label) },
        { features: valFeatures, labels: Int32Array.from(val, (i) => i.label) },
      );
    } finally {
      tf.dispose([trainFeatures, valFeatures]);
    }
  });
}

/**
 * kNN accuracy of the labelled validation images against the labelled training images, or null
 * when either side has no labels. k is capped at the number of labelled training images.
 */
export function knnAccuracy(embed: (images: tf.Tensor4D) => tf.Tensor2D, setup: KnnSetup, signal?: AbortSignal): Promise<number | null> {
  return withLabelledFeatures(embed, setup, signal, (train, val) => {
    const k = Math.min(setup.k, train.labels.length);
    const prediction = knnPredict(train.features, train.labels, val.features, setup.numClasses, k, setup.temperature);
    return accuracy(prediction.labels, val.labels);
  });
}

/**
 * Linear probe: logistic regression on frozen features of the labelled training images, scored on
 * the labelled validation images; null when either side has no labels.
 */
export function linearProbeAccuracy(
  embed: (images: tf.Tensor4D) => tf.Tensor2D,
  setup: FeatureSetup & { epochs: number; seed: number },
  signal?: AbortSignal,
): Promise<{ trainAccuracy: number; testAccuracy: number } | null> {
  return withLabelledFeatures(embed, setup, signal, (train, val) => {
    const r = linearProbe(train.features, train.labels, val.features, val.labels, setup.numClasses, { epochs: setup.epochs, seed: setup.seed });
    return { trainAccuracy: r.trainAccuracy, testAccuracy: r.testAccuracy };
  });
}

/**
 * Alignment and uniformity of the embedding (Wang & Isola 2020, arXiv:2005.10242) on up to
 * `maxImages` images: alignment = E‖f(x) − f(y)‖² over two augmented views of an image, uniformity =
 * log E exp(−2‖f(x) − f(x′)‖²) over pairs of different images, features L2-normalised. Null when
 * the spec makes fewer than two same-size views (jigsaw).
 */
export async function alignmentUniformity(
  embed: (images: tf.Tensor4D) => tf.Tensor2D,
  cache: TensorCache,
  items: readonly LoaderItem[],
  imageSize: number,
  spec: AugmentSpec,
  seed: number,
  maxImages = 256,
): Promise<{ alignment: number; uniformity: number } | null> {
  const chosen = items.slice(0, maxImages);
  if (chosen.length < 2) return null;
  const images = await readImages(cache, chosen.map((i) => i.cacheIndex), imageSize);
  const built = buildViews(images, spec, { seed, imageKeys: chosen.map((_, i) => i) });
  try {
    const [a, b] = built.views;
    if (!a || !b || a.images.shape[1] !== b.images.shape[1]) return null;
    const [alignment, uniformity] = tf.tidy(() => {
      const f0 = l2Normalize(embed(a.images));
      const f1 = l2Normalize(embed(b.images));
      const align = tf.mean(tf.sum(tf.square(tf.sub(f0, f1)), 1));
      // ‖fi − fj‖² = 2 − 2 fi·fj for unit vectors; mean over i ≠ j.
      const n = f0.shape[0];
      const sq = tf.sub(2, tf.mul(2, tf.matMul(f0, f0, false, true)));
      const offDiagonal = tf.sub(tf.ones([n, n]), tf.eye(n));
      const meanExp = tf.div(tf.sum(tf.mul(tf.exp(tf.mul(-2, sq)), offDiagonal)), n * (n - 1));
      return [align, tf.log(meanExp)];
    });
    const values = [(await alignment.data())[0] ?? NaN, (await uniformity.data())[0] ?? NaN];
    tf.dispose([alignment, uniformity]);
    return { alignment: values[0]!, uniformity: values[1]! };
  } finally {
    disposeViewBatch(built);
    images.dispose();
  }
}

/** SwAV prototype assignment of every item (inference mode). */
export async function prototypeAssignments(
  method: SslMethod & { assignments: NonNullable<SslMethod['assignments']> },
  cache: TensorCache,
  items: readonly LoaderItem[],
  imageSize: number,
): Promise<PrototypeAssignments> {
  const prototype = new Int32Array(items.length);
  const entropy = new Float32Array(items.length);
  for (let start = 0; start < items.length; start += EVAL_BATCH) {
    const slice = items.slice(start, start + EVAL_BATCH).map((i) => i.cacheIndex);
    const images = await readImages(cache, slice, imageSize);
    const result = await method.assignments(images);
    images.dispose();
    prototype.set(result.prototype, start);
    entropy.set(result.entropy, start);
  }
  return { prototype, entropy };
}

/** Which rows of a feature matrix vote and which are classified (`knnPredictRows`). */
export interface KnnRows {
  /** Rows of labelled training images and their class indices in [0, numClasses). */
  bank: { rows: readonly number[]; labels: readonly number[] };
  /** Rows to classify. */
  queries: readonly number[];
  numClasses: number;
  k: number;
  temperature: number;
}

/**
 * Weighted kNN predictions (`knnPredict`, Wu et al. 2018) of some rows of `features` [N, dim]
 * against other rows of it: the class predicted for each of `queries`, in order. k is capped at the
 * bank size; an empty bank or no queries gives [].
 */
export function knnPredictRows(features: Float32Array, dim: number, setup: KnnRows): Promise<number[]> {
  const { bank, queries } = setup;
  if (bank.rows.length === 0 || queries.length === 0 || setup.numClasses < 1) return Promise.resolve([]);
  const gather = (rows: readonly number[]): Float32Array => {
    const out = new Float32Array(rows.length * dim);
    rows.forEach((row, i) => out.set(features.subarray(row * dim, (row + 1) * dim), i * dim));
    return out;
  };
  return withSyncReadableBackend(() => {
    const train = tf.tensor2d(gather(bank.rows), [bank.rows.length, dim]);
    const test = tf.tensor2d(gather(queries), [queries.length, dim]);
    try {
      const k = Math.min(setup.k, bank.rows.length);
      return knnPredict(train, Int32Array.from(bank.labels), test, setup.numClasses, k, setup.temperature).labels;
    } finally {
      tf.dispose([train, test]);
    }
  });
}
