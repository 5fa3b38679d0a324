/**
 * Weighted k-nearest-neighbour classifier on cosine similarity, the standard SSL monitor.
 * Wu et al. 2018, "Unsupervised Feature Learning via Non-Parametric Instance Discrimination",
 * https://arxiv.org/abs/1805.01978 (Sec. 3.4: k = 200, τ = 0.1).
 *
 * Shapes: trainFeatures [M, D], trainLabels length M (integers in [0, numClasses)), testFeatures
 * [T, D]. Features are L2-normalised inside; for each test row the k most similar training rows vote
 * with weight exp(sim/τ), class score = Σ of the weights of that class's neighbours.
 * Returns plain numbers: labels [T] (argmax, lowest class on ties) and scores [T][numClasses].
 *
 * Example: knnPredict(tf.tensor2d([[1, 0], [0, 1]]), [0, 1], tf.tensor2d([[0.9, 0.1]]), 2, 1, 0.1)
 * → { labels: [0], scores: [[exp(0.9939/0.1), 0]] }.
 */
import { tf } from '../../compute/tf';
import { l2Normalize } from '../losses/normalize';
import { assertInteger, assertMatrix, assertPositive } from '../losses/validate';

/** Test rows scored per chunk, so a large test set never builds a [T, M] matrix at once. */
const CHUNK_ROWS = 256;

export interface KnnPrediction {
  labels: number[];
  scores: number[][];
}

export function knnPredict(
  trainFeatures: tf.Tensor2D,
  trainLabels: number[] | Int32Array,
  testFeatures: tf.Tensor2D,
  numClasses: number,
  k: number,
  temperature: number,
): KnnPrediction {
  const fn = 'knnPredict';
  assertMatrix(fn, 'trainFeatures', trainFeatures);
  assertMatrix(fn, 'testFeatures', testFeatures);
  const [m, d] = trainFeatures.shape;
  if (testFeatures.shape[1] !== d)
    throw new RangeError(
      `${fn}: testFeatures have dimension ${testFeatures.shape[1]}, trainFeatures ${d}`,
    );
  if (trainLabels.length !== m)
    throw new RangeError(`${fn}: ${trainLabels.length} labels for ${m} training rows`);
  assertInteger(fn, 'numClasses', numClasses, 1);
  assertInteger(fn, 'k', k, 1);
  if (k > m) throw new RangeError(`${fn}: k = ${k} exceeds the ${m} training rows`);
  assertPositive(fn, 'temperature', temperature);
  for (const label of trainLabels) {
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
      throw new RangeError(`${fn}: label ${label} outside [0, ${numClasses})`);
    }
  }

  const train = l2Normalize(trainFeatures);
  const labels: number[] = [];
  const scores: number[][] = [];
  try {
    for (let start = 0; start < testFeatures.shape[0]; start += CHUNK_ROWS) {
      const rows = Math.min(CHUNK_ROWS, testFeatures.shape[0] - start);
      const { values, indices } = tf.tidy(() => {
        const test = l2Normalize(tf.slice(testFeatures, [start, 0], [rows, -1]));
        const top = tf.topk(tf.matMul(test, train, false, true), k);
        return { values: top.values, indices: top.indices };
      });
      const sims = values.dataSync();
      const idx = indices.dataSync();
      tf.dispose([values, indices]);
      for (let r = 0; r < rows; r++) {
        const row = new Array<number>(numClasses).fill(0);
        for (let j = 0; j < k; j++) {
          const neighbour = idx[r * k + j] ?? 0;
          const label = trainLabels[neighbour] ?? 0;
          row[label] = (row[label] ?? 0) + Math.exp((sims[r * k + j] ?? 0) / temperature);
        }
        let best = 0;
        for (let c = 1; c < numClasses; c++) if ((row[c] ?? 0) > (row[best] ?? 0)) best = c;
        labels.push(best);
        scores.push(row);
      }
    }
  } finally {
    train.dispose();
  }
  return { labels, scores };
}

/** Fraction of `predicted` equal to `truth` (same length). */
export function accuracy(predicted: ArrayLike<number>, truth: ArrayLike<number>): number {
  if (predicted.length !== truth.length)
    throw new RangeError(`accuracy: ${predicted.length} predictions for ${truth.length} labels`);
  if (predicted.length === 0) return 0;
  let hits = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === truth[i]) hits++;
  return hits / predicted.length;
}
