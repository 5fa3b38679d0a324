import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../src/main/compute/tf';
import {
  infoNCELoss,
  marginContrastiveLoss,
  ntXentLoss,
  sinkhorn,
  swavLoss,
  tripletLoss,
} from '../../../src/main/ssl/index';
import {
  expectArrayClose,
  expectGradientMatchesFiniteDifferences,
  expectNoLeakedTensors,
} from './tensor-assertions';

const value = (t: tf.Scalar): number => {
  const v = t.dataSync()[0] ?? NaN;
  t.dispose();
  return v;
};
const rand = (shape: [number, number], seed: number): tf.Tensor2D =>
  tf.randomNormal(shape, 0, 1, 'float32', seed);

/** Plain-JS NT-Xent: cross-entropy of each of the 2N rows picking its partner, self excluded. */
function referenceNtXent(a: number[][], b: number[][], tau: number): number {
  const norm = (v: number[]): number[] => {
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  };
  const z = [...a, ...b].map(norm);
  const n = a.length;
  let total = 0;
  z.forEach((zi, i) => {
    const partner = i < n ? i + n : i - n;
    let denom = 0;
    z.forEach((zj, j) => {
      if (j !== i) denom += Math.exp(zi.reduce((s, x, d) => s + x * (zj[d] ?? 0), 0) / tau);
    });
    const pos = zi.reduce((s, x, d) => s + x * (z[partner]![d] ?? 0), 0) / tau;
    total += Math.log(denom) - pos;
  });
  return total / (2 * n);
}

describe('losses', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  describe('ntXentLoss', () => {
    it('matches the hand-computed value log(e + 2) − 1', () => {
      const z = tf.tensor2d([
        [1, 0],
        [0, 1],
      ]);
      expect(value(ntXentLoss(z, z, 1))).toBeCloseTo(Math.log(Math.E + 2) - 1, 5);
      z.dispose();
    });

    it('matches a plain-JS reference and is symmetric in its views', () => {
      const a = [
        [0.3, -1.2, 0.5],
        [1.1, 0.4, -0.7],
        [-0.2, 0.9, 0.8],
      ];
      const b = [
        [0.1, -1.0, 0.7],
        [0.8, 0.2, -0.5],
        [0.5, -0.3, 1.2],
      ];
      const [ta, tb] = [tf.tensor2d(a), tf.tensor2d(b)];
      const expected = referenceNtXent(a, b, 0.5);
      expect(value(ntXentLoss(ta, tb, 0.5))).toBeCloseTo(expected, 4);
      expect(value(ntXentLoss(tb, ta, 0.5))).toBeCloseTo(expected, 4);
      tf.dispose([ta, tb]);
    });

    it('is scale invariant (cosine) and lower for aligned views', () => {
      const a = rand([4, 8], 1);
      const noisy = tf.add(a, tf.mul(rand([4, 8], 2), 0.05)) as tf.Tensor2D;
      const other = rand([4, 8], 3);
      const scaled = tf.mul(a, 7) as tf.Tensor2D;
      expect(value(ntXentLoss(scaled, noisy, 0.2))).toBeCloseTo(
        value(ntXentLoss(a, noisy, 0.2)),
        4,
      );
      expect(value(ntXentLoss(a, noisy, 0.2))).toBeLessThan(value(ntXentLoss(a, other, 0.2)));
      tf.dispose([a, noisy, other, scaled]);
    });

    it('has the gradient of finite differences', () => {
      const [a, b] = [rand([3, 4], 4), rand([3, 4], 5)];
      expectGradientMatchesFiniteDifferences(
        (x, y) => ntXentLoss(x as tf.Tensor2D, y as tf.Tensor2D, 0.5),
        [a, b],
        0,
      );
      tf.dispose([a, b]);
    });

    it('rejects bad arguments with a RangeError and leaks nothing', () => {
      const [a, b, c] = [rand([3, 4], 6), rand([3, 4], 7), rand([2, 4], 8)];
      expect(() => ntXentLoss(a, c, 0.5)).toThrow(RangeError);
      expect(() => ntXentLoss(a, b, 0)).toThrow(/temperature/);
      expect(() => ntXentLoss(a, b, -1)).toThrow(RangeError);
      expectNoLeakedTensors(() => ntXentLoss(a, b, 0.5).dispose());
      tf.dispose([a, b, c]);
    });
  });

  describe('infoNCELoss', () => {
    it('matches the hand-computed value log(1 + e⁻¹)', () => {
      const [q, n] = [tf.tensor2d([[1, 0]]), tf.tensor2d([[0, 1]])];
      expect(value(infoNCELoss(q, q, n, 1))).toBeCloseTo(Math.log(1 + Math.exp(-1)), 5);
      tf.dispose([q, n]);
    });

    it('matches a plain-JS reference with two negatives and normalises inside', () => {
      const q = tf.tensor2d([
        [2, 0],
        [0, 3],
      ]);
      const k = tf.tensor2d([
        [1, 1],
        [0, 1],
      ]);
      const negatives = tf.tensor2d([
        [-1, 0],
        [0, -5],
      ]);
      const s = Math.SQRT1_2;
      const row0 = Math.log(Math.exp(s / 0.5) + Math.exp(-1 / 0.5) + Math.exp(0)) - s / 0.5;
      const row1 = Math.log(Math.exp(1 / 0.5) + Math.exp(0) + Math.exp(-1 / 0.5)) - 1 / 0.5;
      expect(value(infoNCELoss(q, k, negatives, 0.5))).toBeCloseTo((row0 + row1) / 2, 5);
      tf.dispose([q, k, negatives]);
    });

    it('has the gradient of finite differences', () => {
      const [q, k, n] = [rand([2, 3], 9), rand([2, 3], 10), rand([4, 3], 11)];
      const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor): tf.Scalar =>
        infoNCELoss(a as tf.Tensor2D, b as tf.Tensor2D, c as tf.Tensor2D, 0.7);
      expectGradientMatchesFiniteDifferences(f, [q, k, n], 0);
      expectGradientMatchesFiniteDifferences(f, [q, k, n], 1);
      tf.dispose([q, k, n]);
    });

    it('rejects bad arguments and leaks nothing', () => {
      const [q, k, n, bad] = [
        rand([2, 3], 12),
        rand([2, 3], 13),
        rand([4, 3], 14),
        rand([4, 2], 15),
      ];
      expect(() => infoNCELoss(q, k, bad, 0.1)).toThrow(RangeError);
      expect(() => infoNCELoss(q, n, n, 0.1)).toThrow(RangeError);
      expect(() => infoNCELoss(q, k, n, 0)).toThrow(RangeError);
      expectNoLeakedTensors(() => infoNCELoss(q, k, n, 0.1).dispose());
      tf.dispose([q, k, n, bad]);
    });
  });

  describe('sinkhorn', () => {
    it('with 0 iterations is N·exp(s/ε)/Σexp', () => {
      const s = tf.tensor2d([
        [0.2, 0.1, -0.3],
        [0.5, 0.0, 0.1],
      ]);
      const raw = [0.2, 0.1, -0.3, 0.5, 0.0, 0.1].map((x) => Math.exp(x / 0.5));
      const total = raw.reduce((a, b) => a + b, 0);
      const q = sinkhorn(s, 0.5, 0);
      expectArrayClose(
        q.dataSync(),
        raw.map((x) => (2 * x) / total),
        1e-5,
      );
      tf.dispose([s, q]);
    });

    it('makes rows sum to 1 and columns to N/P', () => {
      const s = tf.tanh(rand([12, 4], 16)) as tf.Tensor2D;
      const q = sinkhorn(s, 0.05, 3);
      expectArrayClose(tf.sum(q, 1).dataSync(), new Array(12).fill(1), 1e-4);
      const spread = (codes: tf.Tensor2D): number =>
        tf.tidy(() => tf.max(tf.abs(tf.sub(tf.sum(codes, 0), 3))).dataSync()[0]!);
      const none = sinkhorn(s, 0.05, 0);
      expect(spread(q)).toBeLessThan(spread(none) / 2);
      none.dispose();
      const more = sinkhorn(s, 0.5, 50);
      expectArrayClose(tf.sum(more, 0).dataSync(), new Array(4).fill(3), 1e-3);
      expect(q.min().dataSync()[0]).toBeGreaterThanOrEqual(0);
      tf.dispose([s, q, more]);
    });

    it('does not overflow for tiny ε and rejects bad arguments', () => {
      const s = tf.tensor2d([
        [1, -1],
        [-1, 1],
      ]);
      const q = sinkhorn(s, 0.001, 3);
      expect(Array.from(q.dataSync()).every(Number.isFinite)).toBe(true);
      expect(() => sinkhorn(s, 0, 3)).toThrow(RangeError);
      expect(() => sinkhorn(s, 0.05, -1)).toThrow(RangeError);
      expect(() => sinkhorn(s, 0.05, 1.5)).toThrow(RangeError);
      expectNoLeakedTensors(() => sinkhorn(s, 0.05, 3).dispose());
      tf.dispose([s, q]);
    });
  });

  describe('swavLoss', () => {
    const opts = { temperature: 0.5, sinkhornIterations: 0, sinkhornEpsilon: 1 };

    it('matches the hand-computed swapped prediction for two crops', () => {
      const s0 = tf.tensor2d([[1, 0]]);
      const s1 = tf.tensor2d([[0, 1]]);
      // One sample: codes are N·softmax(s/ε) = softmax(s).
      const q0 = [Math.E / (Math.E + 1), 1 / (Math.E + 1)];
      const q1 = [1 / (Math.E + 1), Math.E / (Math.E + 1)];
      const lsm = (z: number[]): number[] => {
        const lse = Math.log(z.reduce((a, x) => a + Math.exp(x / 0.5), 0));
        return z.map((x) => x / 0.5 - lse);
      };
      const term0 = -(q0[0]! * lsm([0, 1])[0]! + q0[1]! * lsm([0, 1])[1]!);
      const term1 = -(q1[0]! * lsm([1, 0])[0]! + q1[1]! * lsm([1, 0])[1]!);
      expect(value(swavLoss([s0, s1], [], opts))).toBeCloseTo((term0 + term1) / 2, 5);
      tf.dispose([s0, s1]);
    });

    it('divides each high-res term by crops − 1 and averages over high-res crops', () => {
      const crops = [rand([3, 4], 17), rand([3, 4], 18), rand([3, 4], 19)];
      const full = { temperature: 0.1, sinkhornIterations: 3, sinkhornEpsilon: 0.05 };
      const q = crops.slice(0, 2).map((c) => sinkhorn(c, 0.05, 3));
      const ce = (codes: tf.Tensor2D, z: tf.Tensor2D): number =>
        tf.tidy(
          () => -tf.mean(tf.sum(tf.mul(codes, tf.logSoftmax(tf.div(z, 0.1))), 1)).dataSync()[0]!,
        );
      const expected =
        ((ce(q[0]!, crops[1]!) + ce(q[0]!, crops[2]!)) / 2 +
          (ce(q[1]!, crops[0]!) + ce(q[1]!, crops[2]!)) / 2) /
        2;
      expect(value(swavLoss(crops.slice(0, 2), crops.slice(2), full))).toBeCloseTo(expected, 4);
      tf.dispose([...crops, ...q]);
    });

    it('passes no gradient through the codes', () => {
      const [a, b] = [rand([3, 4], 20), rand([3, 4], 21)];
      // d/da only through softmax(a/τ) in the term predicted by b's codes (weight ½ of 1 crop).
      const expected = tf.tidy(() =>
        tf
          .grad((x: tf.Tensor) => {
            const qb = sinkhorn(b, 0.05, 3);
            return tf.div(
              tf.neg(tf.mean(tf.sum(tf.mul(qb, tf.logSoftmax(tf.div(x, 0.1))), 1))),
              2,
            ) as tf.Scalar;
          })(a)
          .dataSync(),
      );
      const actual = tf.tidy(() =>
        tf
          .grad((x: tf.Tensor) =>
            swavLoss([x as tf.Tensor2D, b], [], {
              temperature: 0.1,
              sinkhornIterations: 3,
              sinkhornEpsilon: 0.05,
            }),
          )(a)
          .dataSync(),
      );
      expectArrayClose(actual, expected, 1e-4);
      tf.dispose([a, b]);
    });

    it('rejects bad arguments and leaks nothing', () => {
      const [a, b, c] = [rand([3, 4], 22), rand([3, 4], 23), rand([2, 4], 24)];
      expect(() => swavLoss([a], [], opts)).toThrow(RangeError);
      expect(() => swavLoss([], [a, b], opts)).toThrow(RangeError);
      expect(() => swavLoss([a, c], [], opts)).toThrow(RangeError);
      expect(() => swavLoss([a, b], [], { ...opts, temperature: 0 })).toThrow(RangeError);
      const small = rand([3, 4], 34);
      expectNoLeakedTensors(() => swavLoss([a, b], [small], opts).dispose());
      tf.dispose([a, b, c, small]);
    });
  });

  describe('tripletLoss', () => {
    it('matches hand-computed values, including the hinge at zero', () => {
      const a = tf.tensor2d([
        [0, 0],
        [0, 0],
      ]);
      const p = tf.tensor2d([
        [3, 4],
        [0, 1],
      ]);
      const n = tf.tensor2d([
        [0, 1],
        [3, 4],
      ]);
      // Row 0: 5 − 1 + 1 = 5; row 1: 1 − 5 + 1 < 0 → 0.
      expect(value(tripletLoss(a, p, n, 1))).toBeCloseTo(2.5, 4);
      tf.dispose([a, p, n]);
    });

    it('has the gradient of finite differences', () => {
      const [a, p, n] = [rand([3, 4], 25), rand([3, 4], 26), rand([3, 4], 27)];
      const f = (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor): tf.Scalar =>
        tripletLoss(x as tf.Tensor2D, y as tf.Tensor2D, z as tf.Tensor2D, 3);
      expectGradientMatchesFiniteDifferences(f, [a, p, n], 0, 1e-3);
      expectGradientMatchesFiniteDifferences(f, [a, p, n], 2, 1e-3);
      tf.dispose([a, p, n]);
    });

    it('rejects bad arguments and leaks nothing', () => {
      const [a, b] = [rand([3, 4], 28), rand([2, 4], 29)];
      expect(() => tripletLoss(a, b, a, 1)).toThrow(RangeError);
      expect(() => tripletLoss(a, a, a, -1)).toThrow(RangeError);
      expectNoLeakedTensors(() => tripletLoss(a, a, a, 1).dispose());
      tf.dispose([a, b]);
    });
  });

  describe('marginContrastiveLoss', () => {
    it('matches the hand-computed value with y = 0 similar, y = 1 dissimilar', () => {
      const x1 = tf.tensor2d([
        [0, 0],
        [0, 0],
        [0, 0],
      ]);
      const x2 = tf.tensor2d([
        [3, 4],
        [0, 1],
        [0, 5],
      ]);
      const y = tf.tensor1d([0, 1, 1]);
      // ½·25, ½·(2−1)², 0 (dissimilar beyond the margin).
      expect(value(marginContrastiveLoss(x1, x2, y, 2))).toBeCloseTo((12.5 + 0.5 + 0) / 3, 4);
      tf.dispose([x1, x2, y]);
    });

    it('is symmetric in x1, x2 and has the gradient of finite differences', () => {
      const [a, b] = [rand([4, 3], 30), rand([4, 3], 31)];
      const y = tf.tensor1d([0, 1, 0, 1]);
      expect(value(marginContrastiveLoss(a, b, y, 3))).toBeCloseTo(
        value(marginContrastiveLoss(b, a, y, 3)),
        5,
      );
      expectGradientMatchesFiniteDifferences(
        (x, z) => marginContrastiveLoss(x as tf.Tensor2D, z as tf.Tensor2D, y, 3),
        [a, b],
        0,
        1e-3,
      );
      tf.dispose([a, b, y]);
    });

    it('rejects bad arguments and leaks nothing', () => {
      const [a, b] = [rand([3, 4], 32), rand([3, 4], 33)];
      const y = tf.tensor1d([0, 1, 1]);
      const shortY = tf.tensor1d([0, 1]);
      expect(() => marginContrastiveLoss(a, b, shortY, 1)).toThrow(RangeError);
      expect(() => marginContrastiveLoss(a, b, y, -1)).toThrow(RangeError);
      expectNoLeakedTensors(() => marginContrastiveLoss(a, b, y, 1).dispose());
      tf.dispose([a, b, y, shortY]);
    });
  });
});
