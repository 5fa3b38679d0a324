import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../../src/main/compute/tf';
import { accuracy, knnPredict, linearProbe } from '../../../../src/main/ssl/index';
import { expectArrayClose, expectNoLeakedTensors } from '../tensor-assertions';

describe('evaluation', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  describe('knnPredict', () => {
    it('matches the hand-computed weighted vote (Wu et al. 2018)', () => {
      const train = tf.tensor2d([
        [1, 0],
        [0, 1],
        [1, 1],
        [-1, 0],
      ]);
      const test = tf.tensor2d([[2, 0.2]]);
      // cos to rows 0..3 = 0.995, 0.0995, 0.7740, −0.995 → k = 3 picks rows 0, 2 (class 0) and 1 (class 1).
      const c = (v: number[]): number =>
        (2 * v[0]! + 0.2 * v[1]!) / (Math.hypot(2, 0.2) * Math.hypot(...v));
      const { labels, scores } = knnPredict(train, [0, 1, 0, 1], test, 2, 3, 0.5);
      expect(labels).toEqual([0]);
      expectArrayClose(
        scores[0]!,
        [Math.exp(c([1, 0]) / 0.5) + Math.exp(c([1, 1]) / 0.5), Math.exp(c([0, 1]) / 0.5)],
        1e-4,
      );
      tf.dispose([train, test]);
    });

    it('classifies well-separated clusters and handles more test rows than a chunk', () => {
      const centres = tf.tensor2d([
        [5, 0, 0],
        [0, 5, 0],
        [0, 0, 5],
      ]);
      const labelsOf = (n: number): number[] => Array.from({ length: n }, (_, i) => i % 3);
      const make = (n: number, seed: number): tf.Tensor2D =>
        tf.tidy(() =>
          tf.add(
            tf.gather(centres, tf.tensor1d(labelsOf(n), 'int32')),
            tf.randomNormal([n, 3], 0, 0.5, 'float32', seed),
          ),
        );
      const [train, test] = [make(60, 1), make(300, 2)];
      const { labels } = knnPredict(train, labelsOf(60), test, 3, 5, 0.1);
      expect(accuracy(labels, labelsOf(300))).toBeGreaterThan(0.95);
      expectNoLeakedTensors(() => knnPredict(train, labelsOf(60), test, 3, 5, 0.1));
      tf.dispose([centres, train, test]);
    });

    it('rejects bad arguments with RangeError', () => {
      const train = tf.tensor2d([
        [1, 0],
        [0, 1],
      ]);
      const test = tf.tensor2d([[1, 0]]);
      const wide = tf.tensor2d([[1, 0, 0]]);
      expect(() => knnPredict(train, [0, 1], test, 2, 3, 0.1)).toThrow(/k = 3/);
      expect(() => knnPredict(train, [0, 1], test, 2, 1, 0)).toThrow(RangeError);
      expect(() => knnPredict(train, [0], test, 2, 1, 0.1)).toThrow(RangeError);
      expect(() => knnPredict(train, [0, 2], test, 2, 1, 0.1)).toThrow(/label 2/);
      expect(() => knnPredict(train, [0, 1], wide, 2, 1, 0.1)).toThrow(RangeError);
      tf.dispose([train, test, wide]);
    });
  });

  describe('linearProbe', () => {
    it('separates linearly separable features and frees its tensors', () => {
      const labels = Array.from({ length: 40 }, (_, i) => i % 2);
      const features = tf.tidy(() =>
        tf.add(
          tf.tensor2d(labels.map((y) => [y * 4 - 2, 1 - y])),
          tf.randomNormal([40, 2], 0, 0.5, 'float32', 3),
        ),
      ) as tf.Tensor2D;
      const before = tf.memory().numTensors;
      const result = linearProbe(features, labels, features, labels, 2, {
        epochs: 30,
        batchSize: 16,
        learningRate: 0.1,
        seed: 1,
      });
      expect(tf.memory().numTensors).toBe(before);
      expect(result.testAccuracy).toBeGreaterThan(0.9);
      expect(result.testPredictions).toHaveLength(40);
      features.dispose();
    });
  });
});
