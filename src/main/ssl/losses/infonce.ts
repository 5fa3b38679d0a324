/**
 * InfoNCE with an external set of negatives — the MoCo / memory-bank form.
 * van den Oord et al. 2018, "Representation Learning with Contrastive Predictive Coding",
 * https://arxiv.org/abs/1807.03748; used as in He et al. 2019, MoCo, https://arxiv.org/abs/1911.05722
 * (Eq. 1) and Wu et al. 2018, InstDisc, https://arxiv.org/abs/1805.01978.
 *
 * Shapes: q [N, D] queries, k [N, D] their positive keys, negatives [K, D] shared by every row.
 * q, k and negatives are L2-normalised inside. Logits per row are [q·k, q·n₁ … q·n_K] / τ and the loss
 * is the mean cross-entropy of class 0. Returns a scalar.
 *
 * Example (hand-computed): q = k = [[1, 0]], negatives = [[0, 1]], τ = 1:
 * loss = −log(e¹ / (e¹ + e⁰)) = log(1 + e⁻¹) ≈ 0.31326.
 */
import { tf } from '../../compute/tf';
import { l2Normalize } from './normalize';
import { assertMatrix, assertPositive, assertSameShape } from './validate';

export function infoNCELoss(
  q: tf.Tensor2D,
  k: tf.Tensor2D,
  negatives: tf.Tensor2D,
  temperature: number,
): tf.Scalar {
  const fn = 'infoNCELoss';
  assertMatrix(fn, 'q', q);
  assertMatrix(fn, 'k', k);
  assertMatrix(fn, 'negatives', negatives);
  assertSameShape(fn, ['q', 'k'], q, k);
  if (negatives.shape[1] !== q.shape[1]) {
    throw new RangeError(
      `${fn}: negatives have dimension ${negatives.shape[1]}, q has ${q.shape[1]}`,
    );
  }
  assertPositive(fn, 'temperature', temperature);
  return tf.tidy(() => {
    const qn = l2Normalize(q);
    const positive = tf.sum(tf.mul(qn, l2Normalize(k)), 1, true);
    const negative = tf.matMul(qn, l2Normalize(negatives), false, true);
    const logits = tf.div(tf.concat([positive, negative], 1), temperature);
    return tf.mean(
      tf.sub(tf.logSumExp(logits, 1), tf.squeeze(tf.slice(logits, [0, 0], [-1, 1]), [1])),
    ) as tf.Scalar;
  });
}
