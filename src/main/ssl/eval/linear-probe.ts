/**
 * Linear probe: a softmax classifier trained on frozen features, the standard SSL evaluation
 * (e.g. Chen et al. 2020, https://arxiv.org/abs/2002.05709, Sec. 4). Features are standardised with
 * the training set's mean and deviation, the classifier is trained with Adam and seeded
 * initialisation / shuffling, and accuracy is reported on both sets.
 *
 * Shapes: trainFeatures [M, D], testFeatures [T, D], labels integers in [0, numClasses).
 * Example: linearProbe(train, trainLabels, test, testLabels, 10, { epochs: 50 }).testAccuracy.
 */
import { tf } from '../../compute/tf';
import { assertInteger, assertMatrix } from '../losses/validate';
import { SeededRng, tfSeed } from '../../random/index';
import { accuracy } from './knn';

export interface LinearProbeOptions {
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
}

export interface LinearProbeResult {
  trainAccuracy: number;
  testAccuracy: number;
  testPredictions: number[];
}

export function linearProbe(
  trainFeatures: tf.Tensor2D,
  trainLabels: ArrayLike<number>,
  testFeatures: tf.Tensor2D,
  testLabels: ArrayLike<number>,
  numClasses: number,
  options: LinearProbeOptions = {},
): LinearProbeResult {
  const fn = 'linearProbe';
  assertMatrix(fn, 'trainFeatures', trainFeatures);
  assertMatrix(fn, 'testFeatures', testFeatures);
  assertInteger(fn, 'numClasses', numClasses, 2);
  const [m, d] = trainFeatures.shape;
  if (testFeatures.shape[1] !== d)
    throw new RangeError(
      `${fn}: test features have dimension ${testFeatures.shape[1]}, train ${d}`,
    );
  if (trainLabels.length !== m || testLabels.length !== testFeatures.shape[0])
    throw new RangeError(`${fn}: one label per row is required`);
  const { epochs = 100, batchSize = 256, learningRate = 0.01, seed = 0 } = options;
  assertInteger(fn, 'epochs', epochs, 1);
  assertInteger(fn, 'batchSize', batchSize, 1);

  const { mean, variance } = tf.moments(trainFeatures, 0);
  const std = tf.tidy(() => tf.add(tf.sqrt(variance), 1e-6));
  const standardise = (x: tf.Tensor2D): tf.Tensor2D => tf.tidy(() => tf.div(tf.sub(x, mean), std));
  const train = standardise(trainFeatures);
  const test = standardise(testFeatures);
  // Inside tidy so the initial-value tensors (which variables copy by reference) are released.
  const [weights, bias] = tf.tidy(() => [
    tf.variable(tf.randomNormal([d, numClasses], 0, 1 / Math.sqrt(d), 'float32', tfSeed(seed))),
    tf.variable(tf.zeros([numClasses])),
  ]);
  const optimizer = tf.train.adam(learningRate);
  const random = new SeededRng(seed + 1);
  const order = Array.from({ length: m }, (_, i) => i);
  const labels = Int32Array.from(trainLabels);
  const logits = (x: tf.Tensor2D): tf.Tensor2D => tf.add(tf.matMul(x, weights), bias);
  const predict = (x: tf.Tensor2D): number[] => {
    const arg = tf.tidy(() => tf.argMax(logits(x), 1));
    const out = Array.from(arg.dataSync());
    arg.dispose();
    return out;
  };
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = m - 1; i > 0; i--) {
        const j = random.int(i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (let start = 0; start < m; start += batchSize) {
        const rows = Int32Array.from(order.slice(start, start + batchSize));
        const cost = optimizer.minimize(
          () =>
            tf.tidy(() => {
              const idx = tf.tensor1d(rows, 'int32');
              const y = tf.cast(
                tf.oneHot(tf.gather(tf.tensor1d(labels, 'int32'), idx), numClasses),
                'float32',
              );
              return tf.losses.softmaxCrossEntropy(
                y,
                logits(tf.gather(train, idx) as tf.Tensor2D),
              ) as tf.Scalar;
            }),
          false,
          [weights, bias],
        );
        cost?.dispose();
      }
    }
    const testPredictions = predict(test);
    return {
      trainAccuracy: accuracy(predict(train), labels),
      testAccuracy: accuracy(testPredictions, testLabels),
      testPredictions,
    };
  } finally {
    optimizer.dispose();
    tf.dispose([mean, variance, std, train, test, weights, bias]);
  }
}
