/**
 * Negative cosine similarity, the prediction loss of BYOL and SimSiam.
 * Grill et al. 2020, "Bootstrap Your Own Latent", https://arxiv.org/abs/2006.07733 (Eq. 2, whose
 * 2 − 2·cos is this loss up to an affine map); Chen & He 2021, "Exploring Simple Siamese
 * Representation Learning", https://arxiv.org/abs/2011.10566 (Eq. 1).
 *
 * Shapes: p, z [N, D] — row i of the predictor output p is scored against row i of the target z.
 * Returns the scalar mean over the N rows of −cos(pᵢ, zᵢ), in [−1, 1].
 *
 * No stop-gradient here: the methods detach the target themselves (`stopGradient(z)` for SimSiam, an
 * EMA network's output for BYOL), so the loss stays an ordinary differentiable function of both.
 *
 * Example (hand-computed): p = [[1, 0], [1, 1]], z = [[1, 0], [0, 1]] → cos = 1 and 1/√2, loss =
 * −(1 + 0.70711) / 2 ≈ −0.85355.
 */
import { tf } from '../../compute/tf';
import { l2Normalize } from './normalize';
import { assertMatrix, assertSameShape } from './validate';

export function negativeCosineSimilarity(p: tf.Tensor2D, z: tf.Tensor2D): tf.Scalar {
  const fn = 'negativeCosineSimilarity';
  assertMatrix(fn, 'p', p);
  assertMatrix(fn, 'z', z);
  assertSameShape(fn, ['p', 'z'], p, z);
  return tf.tidy(
    () => tf.neg(tf.mean(tf.sum(tf.mul(l2Normalize(p), l2Normalize(z)), 1))) as tf.Scalar,
  );
}
