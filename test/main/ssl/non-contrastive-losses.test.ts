/**
 * The non-contrastive losses (BYOL/SimSiam, Barlow Twins, VICReg, DINO) against plain-JS references
 * written from the papers' reference code, hand-computed values, symmetry, finite differences, leaks.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../src/main/compute/tf';
import {
  barlowTwinsLoss,
  dinoCenterUpdate,
  dinoLoss,
  negativeCosineSimilarity,
  vicregLoss,
} from '../../../src/main/ssl/index';
import {
  expectArrayClose,
  expectGradientMatchesFiniteDifferences,
  expectNoLeakedTensors,
} from './tensor-assertions';

type M = number[][];
const value = (t: tf.Scalar): number => {
  const v = t.dataSync()[0] ?? NaN;
  t.dispose();
  return v;
};
const col = (a: M, j: number): number[] => a.map((r) => r[j] ?? NaN);
const mean = (v: number[]): number => v.reduce((s, x) => s + x, 0) / v.length;
const at = (a: M, i: number, j: number): number => a[i]?.[j] ?? NaN;

function refNegCos(p: M, z: M): number {
  return mean(
    p.map((pi, i) => {
      const zi = z[i] ?? [];
      const dot = pi.reduce((s, x, d) => s + x * (zi[d] ?? 0), 0);
      return -dot / (Math.hypot(...pi) * Math.hypot(...zi));
    }),
  );
}

function refBarlow(a: M, b: M, lambda: number): number {
  const n = a.length;
  const d = a[0]?.length ?? 0;
  const bn = (x: M): M => {
    const cols = Array.from({ length: d }, (_, j) => {
      const c = col(x, j);
      const m = mean(c);
      const v = mean(c.map((y) => (y - m) ** 2));
      return c.map((y) => (y - m) / Math.sqrt(v + 1e-5));
    });
    return x.map((_, i) => cols.map((c) => c[i] ?? NaN));
  };
  const [na, nb] = [bn(a), bn(b)];
  let loss = 0;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let c = 0;
      for (let k = 0; k < n; k++) c += at(na, k, i) * at(nb, k, j);
      c /= n;
      loss += i === j ? (1 - c) ** 2 : lambda * c ** 2;
    }
  }
  return loss;
}

function refVicreg(a: M, b: M, lambda = 25, mu = 25, nu = 1, eps = 1e-4): number {
  const n = a.length;
  const d = a[0]?.length ?? 0;
  let mse = 0;
  a.forEach((r, i) => r.forEach((x, j) => (mse += (x - at(b, i, j)) ** 2)));
  mse /= n * d;
  const branch = (x: M): { std: number; cov: number } => {
    const means = Array.from({ length: d }, (_, j) => mean(col(x, j)));
    let std = 0;
    let cov = 0;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let c = 0;
        for (let k = 0; k < n; k++) c += (at(x, k, i) - means[i]!) * (at(x, k, j) - means[j]!);
        c /= n - 1;
        if (i === j) std += Math.max(0, 1 - Math.sqrt(c + eps));
        else cov += c * c;
      }
    }
    return { std: std / d, cov: cov / d };
  };
  const [ba, bb] = [branch(a), branch(b)];
  return lambda * mse + mu * (ba.std / 2 + bb.std / 2) + nu * (ba.cov + bb.cov);
}

function refDino(teacher: M[], student: M[], center: number[], tt: number, ts: number): number {
  const softmax = (r: number[]): number[] => {
    const m = Math.max(...r);
    const e = r.map((x) => Math.exp(x - m));
    const s = e.reduce((p, x) => p + x, 0);
    return e.map((x) => x / s);
  };
  let total = 0;
  let terms = 0;
  teacher.forEach((t, g) => {
    student.forEach((s, v) => {
      if (v === g) return;
      total += mean(
        t.map((row, i) => {
          const q = softmax(row.map((x, k) => (x - (center[k] ?? 0)) / tt));
          const p = softmax((s[i] ?? []).map((x) => x / ts));
          return -q.reduce((acc, qk, k) => acc + qk * Math.log(p[k] ?? NaN), 0);
        }),
      );
      terms++;
    });
  });
  return total / terms;
}

/** Deterministic pseudo-random matrix (no tfjs involved in the reference inputs). */
function matrix(n: number, d: number, seed: number): M {
  let s = seed;
  const next = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 4 - 2;
  };
  return Array.from({ length: n }, () => Array.from({ length: d }, next));
}

describe('non-contrastive losses', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  describe('negativeCosineSimilarity', () => {
    it('matches the hand-computed value −(1 + 1/√2)/2', () => {
      const [p, z] = [
        tf.tensor2d([
          [1, 0],
          [1, 1],
        ]),
        tf.tensor2d([
          [1, 0],
          [0, 1],
        ]),
      ];
      expect(value(negativeCosineSimilarity(p, z))).toBeCloseTo(-(1 + Math.SQRT1_2) / 2, 5);
      tf.dispose([p, z]);
    });

    it('matches a plain-JS reference, is symmetric and scale invariant', () => {
      const [a, b] = [matrix(5, 4, 1), matrix(5, 4, 2)];
      const [ta, tb] = [tf.tensor2d(a), tf.tensor2d(b)];
      const expected = refNegCos(a, b);
      expect(value(negativeCosineSimilarity(ta, tb))).toBeCloseTo(expected, 5);
      expect(value(negativeCosineSimilarity(tb, ta))).toBeCloseTo(expected, 5);
      const scaled = tf.mul(ta, 3.5) as tf.Tensor2D;
      expect(value(negativeCosineSimilarity(scaled, tb))).toBeCloseTo(expected, 5);
      tf.dispose([ta, tb, scaled]);
    });

    it('has the gradient of finite differences in p and in z', () => {
      const inputs = [tf.tensor2d(matrix(3, 4, 3)), tf.tensor2d(matrix(3, 4, 4))];
      const loss = (p: tf.Tensor, z: tf.Tensor): tf.Scalar =>
        negativeCosineSimilarity(p as tf.Tensor2D, z as tf.Tensor2D);
      expectGradientMatchesFiniteDifferences(loss, inputs, 0, 1e-2, 2e-2);
      expectGradientMatchesFiniteDifferences(loss, inputs, 1, 1e-2, 2e-2);
      tf.dispose(inputs);
    });

    it('rejects bad arguments and leaks nothing', () => {
      const [a, b] = [tf.tensor2d(matrix(3, 4, 5)), tf.tensor2d(matrix(3, 3, 6))];
      expect(() => negativeCosineSimilarity(a, b)).toThrow(/same shape/);
      expect(() => negativeCosineSimilarity(tf.tensor1d([1]) as never, a)).toThrow(/2-D/);
      expectNoLeakedTensors(() => negativeCosineSimilarity(a, a).dispose());
      tf.dispose([a, b]);
    });
  });

  describe('barlowTwinsLoss', () => {
    it('matches the hand-computed value for z1 = z2 = [[1, −1], [−1, 1]]', () => {
      const z = tf.tensor2d([
        [1, -1],
        [-1, 1],
      ]);
      const c = 1 / (1 + 1e-5);
      const expected = 2 * (1 - c) ** 2 + 5e-3 * 2 * c ** 2;
      expect(value(barlowTwinsLoss(z, z))).toBeCloseTo(expected, 6);
      expect(value(barlowTwinsLoss(z, z, { lambda: 1 }))).toBeCloseTo(
        2 * (1 - c) ** 2 + 2 * c ** 2,
        5,
      );
      z.dispose();
    });

    it('matches a plain-JS reference (biased BN variance, no /D) and is symmetric', () => {
      const [a, b] = [matrix(6, 5, 7), matrix(6, 5, 8)];
      const [ta, tb] = [tf.tensor2d(a), tf.tensor2d(b)];
      for (const lambda of [5e-3, 0.5]) {
        const expected = refBarlow(a, b, lambda);
        expect(value(barlowTwinsLoss(ta, tb, { lambda }))).toBeCloseTo(expected, 3);
        expect(value(barlowTwinsLoss(tb, ta, { lambda }))).toBeCloseTo(expected, 3);
      }
      // Invariant to a per-feature affine map of either view (BatchNorm inside).
      const shifted = tf.add(tf.mul(ta, 2), 3) as tf.Tensor2D;
      expect(value(barlowTwinsLoss(shifted, tb))).toBeCloseTo(refBarlow(a, b, 5e-3), 3);
      tf.dispose([ta, tb, shifted]);
    });

    it('has the gradient of finite differences', () => {
      const inputs = [tf.tensor2d(matrix(4, 3, 9)), tf.tensor2d(matrix(4, 3, 10))];
      const loss = (a: tf.Tensor, b: tf.Tensor): tf.Scalar =>
        barlowTwinsLoss(a as tf.Tensor2D, b as tf.Tensor2D, { lambda: 0.3 });
      expectGradientMatchesFiniteDifferences(loss, inputs, 0, 1e-2, 3e-2);
      expectGradientMatchesFiniteDifferences(loss, inputs, 1, 1e-2, 3e-2);
      tf.dispose(inputs);
    });

    it('rejects bad arguments and leaks nothing', () => {
      const [a, one] = [tf.tensor2d(matrix(3, 4, 11)), tf.tensor2d(matrix(1, 4, 12))];
      expect(() => barlowTwinsLoss(a, a, { lambda: -1 })).toThrow(/lambda/);
      expect(() => barlowTwinsLoss(one, one)).toThrow(/N ≥ 2/);
      expectNoLeakedTensors(() => barlowTwinsLoss(a, a).dispose());
      tf.dispose([a, one]);
    });
  });

  describe('vicregLoss', () => {
    it('matches the hand-computed value 25 · 0.495 for a collapsed feature', () => {
      const z = tf.tensor2d([
        [1, 0],
        [-1, 0],
      ]);
      expect(value(vicregLoss(z, z))).toBeCloseTo(25 * 0.495, 4);
      z.dispose();
    });

    it('matches a plain-JS reference (unbiased variance, Σ off-diag²/D per branch) and is symmetric', () => {
      const [a, b] = [matrix(5, 4, 13).map((r) => r.map((x) => x * 0.4)), matrix(5, 4, 14)];
      const [ta, tb] = [tf.tensor2d(a), tf.tensor2d(b)];
      const expected = refVicreg(a, b);
      expect(value(vicregLoss(ta, tb))).toBeCloseTo(expected, 3);
      expect(value(vicregLoss(tb, ta))).toBeCloseTo(expected, 3);
      const opts = { lambda: 1, mu: 2, nu: 3, eps: 1e-2 };
      expect(value(vicregLoss(ta, tb, opts))).toBeCloseTo(refVicreg(a, b, 1, 2, 3, 1e-2), 3);
      tf.dispose([ta, tb]);
    });

    it('has the gradient of finite differences', () => {
      const inputs = [
        tf.tensor2d(matrix(4, 3, 15).map((r) => r.map((x) => x * 0.3))),
        tf.tensor2d(matrix(4, 3, 16).map((r) => r.map((x) => x * 0.3))),
      ];
      const loss = (a: tf.Tensor, b: tf.Tensor): tf.Scalar =>
        vicregLoss(a as tf.Tensor2D, b as tf.Tensor2D);
      expectGradientMatchesFiniteDifferences(loss, inputs, 0, 1e-3, 3e-2);
      expectGradientMatchesFiniteDifferences(loss, inputs, 1, 1e-3, 3e-2);
      tf.dispose(inputs);
    });

    it('rejects bad arguments and leaks nothing', () => {
      const a = tf.tensor2d(matrix(3, 4, 17));
      expect(() => vicregLoss(a, a, { eps: 0 })).toThrow(/eps/);
      expect(() => vicregLoss(a, a, { mu: Number.NaN })).toThrow(/mu/);
      expectNoLeakedTensors(() => vicregLoss(a, a).dispose());
      a.dispose();
    });
  });

  describe('dinoLoss', () => {
    it('is log 2 for uniform outputs', () => {
      const z = tf.zeros([1, 2]) as tf.Tensor2D;
      const c = tf.zeros([2]);
      expect(value(dinoLoss([z, z], [z, z], c))).toBeCloseTo(Math.log(2), 5);
      tf.dispose([z, c]);
    });

    it('matches a plain-JS reference over different-view pairs with local crops and a centre', () => {
      const teacher = [matrix(3, 5, 18), matrix(3, 5, 19)];
      const student = [matrix(3, 5, 20), matrix(3, 5, 21), matrix(3, 5, 22), matrix(3, 5, 23)];
      const center = [0.1, -0.2, 0.3, 0, 0.05];
      const [tt, ts, tc] = [
        teacher.map((m) => tf.tensor2d(m)),
        student.map((m) => tf.tensor2d(m)),
        tf.tensor1d(center),
      ];
      expect(value(dinoLoss(tt, ts, tc))).toBeCloseTo(
        refDino(teacher, student, center, 0.04, 0.1),
        3,
      );
      const opts = { teacherTemp: 0.5, studentTemp: 0.7 };
      expect(value(dinoLoss(tt, ts, tc, opts))).toBeCloseTo(
        refDino(teacher, student, center, 0.5, 0.7),
        4,
      );
      // The same-view pair is skipped: a student equal to its own teacher view changes nothing else.
      const sameView = [tt[0]!, ...ts.slice(1)];
      expect(value(dinoLoss(tt, sameView, tc, opts))).toBeCloseTo(
        refDino(teacher, [teacher[0]!, ...student.slice(1)], center, 0.5, 0.7),
        4,
      );
      tf.dispose([...tt, ...ts, tc]);
    });

    it('has the gradient of finite differences in the student and none in the teacher', () => {
      const inputs = [
        tf.tensor2d(matrix(2, 3, 24)),
        tf.tensor2d(matrix(2, 3, 25)),
        tf.tensor2d(matrix(2, 3, 26)),
      ];
      const center = tf.tensor1d([0.1, 0, -0.1]);
      const loss = (t0: tf.Tensor, t1: tf.Tensor, s2: tf.Tensor): tf.Scalar =>
        dinoLoss([t0, t1] as tf.Tensor2D[], [t1, t0, s2] as tf.Tensor2D[], center, {
          teacherTemp: 0.5,
          studentTemp: 0.8,
        });
      expectGradientMatchesFiniteDifferences(
        (s: tf.Tensor) => loss(inputs[0]!, inputs[1]!, s),
        [inputs[2]!],
        0,
        1e-2,
        2e-2,
      );
      const teacherGrad = tf.tidy(
        () =>
          tf
            .grad((t: tf.Tensor) =>
              dinoLoss([t as tf.Tensor2D], [inputs[1]!, inputs[2]!] as tf.Tensor2D[], center),
            )(inputs[0]!)
            .abs()
            .sum()
            .dataSync()[0],
      );
      expect(teacherGrad).toBe(0);
      tf.dispose([...inputs, center]);
    });

    it('rejects bad arguments and leaks nothing', () => {
      const [a, c, bad] = [tf.tensor2d(matrix(2, 3, 27)), tf.zeros([3]), tf.zeros([4])];
      expect(() => dinoLoss([], [a, a], c)).toThrow(/teacher/);
      expect(() => dinoLoss([a, a], [a], c)).toThrow(/student/);
      expect(() => dinoLoss([a], [a, a], bad)).toThrow(/center/);
      expect(() => dinoLoss([a], [a, a], c, { teacherTemp: 0 })).toThrow(/teacherTemp/);
      expectNoLeakedTensors(() => dinoLoss([a], [a, a], c).dispose());
      tf.dispose([a, c, bad]);
    });
  });

  describe('dinoCenterUpdate', () => {
    it('is center·m + (1 − m)·mean over every teacher view and the batch', () => {
      const [t0, t1] = [
        tf.tensor2d([
          [1, 2],
          [3, 4],
        ]),
        tf.tensor2d([
          [5, 6],
          [7, 8],
        ]),
      ];
      const center = tf.tensor1d([10, -10]);
      const next = dinoCenterUpdate(center, [t0, t1], 0.9);
      expect(next.shape).toEqual([2]);
      expectArrayClose(next.dataSync(), [0.9 * 10 + 0.1 * 4, 0.9 * -10 + 0.1 * 5]);
      expectArrayClose(dinoCenterUpdate(center, [t0], 0).dataSync(), [2, 3]);
      expect(() => dinoCenterUpdate(center, [t0], 1.5)).toThrow(/momentum/);
      expect(() => dinoCenterUpdate(tf.zeros([3]), [t0], 0.9)).toThrow(/center/);
      expectNoLeakedTensors(() => dinoCenterUpdate(center, [t0, t1], 0.9).dispose());
      tf.dispose([t0, t1, center, next]);
    });
  });
});
