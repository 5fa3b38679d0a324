/**
 * Barlow Twins: the cross-correlation of the two views' embeddings pulled to the identity.
 * Zbontar et al. 2021, "Barlow Twins: Self-Supervised Learning via Redundancy Reduction",
 * https://arxiv.org/abs/2103.03230 (Eq. 1–2).
 *
 * Shapes: z1, z2 [N, D] — the projector outputs of the two views, row i of each from image i, N ≥ 2.
 * Each feature (column) is normalised over the batch as BatchNorm does in training, which is the
 * reference code's choice: (z − mean) / √(biased variance + 1e-5). With c = z1ᵀz2 / N ([D, D]):
 *   L = Σᵢ (1 − cᵢᵢ)² + λ Σ_{i≠j} cᵢⱼ²      (no division by D). Returns a scalar.
 *
 * Example (hand-computed): z1 = z2 = [[1, −1], [−1, 1]]. Each column normalises to ±1/√(1 + 1e-5),
 * so c = [[1, −1], [−1, 1]] / (1 + 1e-5): L ≈ 2·(1e-5)² + λ·2·(1 − 2e-5) ≈ 0.0099998 for λ = 5e-3.
 */
import { tf } from '../../compute/tf';
import { assertMatrix, assertNonNegative, assertSameShape } from './validate';

export interface BarlowTwinsOptions {
  /** Weight of the off-diagonal (redundancy) term; the paper's 5e-3. */
  lambda?: number;
}

/** BatchNorm's training-mode normalisation without affine parameters, per column. */
function batchNormalize(z: tf.Tensor2D): tf.Tensor2D {
  const { mean, variance } = tf.moments(z, 0);
  return tf.div(tf.sub(z, mean), tf.sqrt(tf.add(variance, 1e-5)));
}

export function barlowTwinsLoss(
  z1: tf.Tensor2D,
  z2: tf.Tensor2D,
  { lambda = 5e-3 }: BarlowTwinsOptions = {},
): tf.Scalar {
  const fn = 'barlowTwinsLoss';
  assertMatrix(fn, 'z1', z1);
  assertMatrix(fn, 'z2', z2);
  assertSameShape(fn, ['z1', 'z2'], z1, z2);
  assertNonNegative(fn, 'lambda', lambda);
  if (z1.shape[0] < 2)
    throw new RangeError(`${fn}: need a batch of N ≥ 2 rows, got ${z1.shape[0]}`);
  return tf.tidy(() => {
    const [n, d] = z1.shape;
    const c = tf.div(tf.matMul(batchNormalize(z1), batchNormalize(z2), true, false), n);
    const eye = tf.eye(d);
    const onDiagonal = tf.sum(tf.square(tf.sub(1, tf.sum(tf.mul(c, eye), 1))));
    const offDiagonal = tf.sum(tf.square(tf.mul(c, tf.sub(1, eye))));
    return tf.add(onDiagonal, tf.mul(lambda, offDiagonal)) as tf.Scalar;
  });
}
