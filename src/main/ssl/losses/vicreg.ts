/**
 * VICReg: variance–invariance–covariance regularisation.
 * Bardes, Ponce & LeCun 2022, "VICReg: Variance-Invariance-Covariance Regularization for
 * Self-Supervised Learning", https://arxiv.org/abs/2105.04906 (Eq. 1–6, and the reference code).
 *
 * Shapes: z1, z2 [N, D] — the expander outputs of the two views, N ≥ 2. As the reference code:
 *   invariance  s = MSE(z1, z2)                       (mean over all N·D elements)
 *   variance    v = ½ Σ_b mean_d ReLU(1 − √(Var_b,d + ε))  (unbiased variance over the batch)
 *   covariance  c = Σ_b Σ_{i≠j} Cov_b[i, j]² / D       (unbiased covariance of each branch b)
 *   L = λ·s + μ·v + ν·c. Returns a scalar.
 *
 * Example (hand-computed): z1 = z2 = [[1, 0], [−1, 0]] (D = 2). s = 0; column 0 has Var 2 (std ≈
 * 1.414, hinge 0), column 1 Var 0 (std = √1e-4 = 0.01, hinge 0.99), so v = 0.495; Cov is diagonal,
 * c = 0. L = 25·0.495 = 12.375 with the defaults.
 */
import { tf } from '../../compute/tf';
import { assertMatrix, assertNonNegative, assertPositive, assertSameShape } from './validate';

export interface VicregOptions {
  /** Invariance weight (paper: 25). */
  lambda?: number;
  /** Variance weight (paper: 25). */
  mu?: number;
  /** Covariance weight (paper: 1). */
  nu?: number;
  /** Added to the variance under the square root (paper: 1e-4). */
  eps?: number;
}

/** Σ off-diagonal Cov² / D of one branch, with the unbiased covariance over the batch. */
function covarianceTerm(z: tf.Tensor2D): tf.Scalar {
  const [n, d] = z.shape;
  const centered = tf.sub(z, tf.mean(z, 0));
  const cov = tf.div(tf.matMul(centered, centered, true, false), n - 1);
  return tf.div(tf.sum(tf.square(tf.mul(cov, tf.sub(1, tf.eye(d))))), d) as tf.Scalar;
}

/** Unbiased variance of each column, [D]. */
function unbiasedVariance(z: tf.Tensor2D): tf.Tensor1D {
  const n = z.shape[0];
  return tf.div(tf.sum(tf.square(tf.sub(z, tf.mean(z, 0))), 0), n - 1);
}

export function vicregLoss(
  z1: tf.Tensor2D,
  z2: tf.Tensor2D,
  { lambda = 25, mu = 25, nu = 1, eps = 1e-4 }: VicregOptions = {},
): tf.Scalar {
  const fn = 'vicregLoss';
  assertMatrix(fn, 'z1', z1);
  assertMatrix(fn, 'z2', z2);
  assertSameShape(fn, ['z1', 'z2'], z1, z2);
  assertNonNegative(fn, 'lambda', lambda);
  assertNonNegative(fn, 'mu', mu);
  assertNonNegative(fn, 'nu', nu);
  assertPositive(fn, 'eps', eps);
  if (z1.shape[0] < 2)
    throw new RangeError(`${fn}: need a batch of N ≥ 2 rows, got ${z1.shape[0]}`);
  return tf.tidy(() => {
    const stdHinge = (z: tf.Tensor2D): tf.Scalar =>
      tf.mean(tf.relu(tf.sub(1, tf.sqrt(tf.add(unbiasedVariance(z), eps)))));
    const invariance = tf.mean(tf.squaredDifference(z1, z2));
    const variance = tf.div(tf.add(stdHinge(z1), stdHinge(z2)), 2);
    const covariance = tf.add(covarianceTerm(z1), covarianceTerm(z2));
    return tf.addN([
      tf.mul(lambda, invariance),
      tf.mul(mu, variance),
      tf.mul(nu, covariance),
    ]) as tf.Scalar;
  });
}
