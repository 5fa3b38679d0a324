/**
 * Sinkhorn-Knopp equipartition of SwAV: turns prototype scores into soft codes in which every
 * prototype is used equally often across the batch.
 * Caron et al. 2020, "Unsupervised Learning of Visual Features by Contrasting Cluster Assignments",
 * https://arxiv.org/abs/2006.09882 (Sec. 3.1, Algorithm 1's `sinkhorn`).
 *
 * Shapes: scores [N, P] (cosine scores of N samples against P prototypes) → codes [N, P].
 * Q = exp(scores/ε)ᵀ / ΣQ; each iteration divides every prototype row by its sum and by P, then every
 * sample column by its sum and by N; the result is N·Qᵀ. With `iterations` = 0 this is
 * N·exp(scores/ε)/Σexp; with ≥ 1 iteration every returned row sums to 1 and every column to ≈ N/P.
 * The global maximum is subtracted before exp (it cancels in the normalisation) so small ε cannot
 * overflow float32.
 *
 * Example: sinkhorn(tf.tensor2d([[1, 0], [0, 1]]), 0.05, 3) → ≈ [[1, 0], [0, 1]] (already balanced).
 */
import { tf } from '../../compute/tf';
import { assertInteger, assertMatrix, assertPositive } from './validate';

export function sinkhorn(scores: tf.Tensor2D, epsilon: number, iterations: number): tf.Tensor2D {
  const fn = 'sinkhorn';
  assertMatrix(fn, 'scores', scores);
  assertPositive(fn, 'epsilon', epsilon);
  assertInteger(fn, 'iterations', iterations, 0);
  return tf.tidy(() => {
    const [n, p] = scores.shape;
    let q: tf.Tensor = tf.transpose(tf.exp(tf.div(tf.sub(scores, tf.max(scores)), epsilon)));
    q = tf.div(q, tf.sum(q));
    for (let i = 0; i < iterations; i++) {
      q = tf.div(tf.div(q, tf.sum(q, 1, true)), p);
      q = tf.div(tf.div(q, tf.sum(q, 0, true)), n);
    }
    return tf.mul(tf.transpose(q), n) as tf.Tensor2D;
  });
}
