/**
 * NT-Xent, the normalised temperature-scaled cross-entropy of SimCLR.
 * Chen et al. 2020, "A Simple Framework for Contrastive Learning of Visual Representations",
 * https://arxiv.org/abs/2002.05709 (Eq. 1).
 *
 * Shapes: z0, z1 [N, D] — the two views of the same N images, row i of z0 and row i of z1 form the
 * positive pair. The 2N rows are L2-normalised, every row is scored against the other 2N−1 rows by
 * cosine similarity / τ (self-similarity excluded), and the loss is the cross-entropy of picking its
 * partner, **averaged over all 2N rows**. Returns a scalar.
 *
 * Example (hand-computed): z0 = z1 = [[1, 0], [0, 1]], τ = 1. Every row sees its partner at cos 1 and
 * two rows at cos 0, so loss = log(e¹ + 2) − 1 ≈ 0.55144.
 */
import { tf } from '../../compute/tf';
import { l2Normalize } from './normalize';
import { assertMatrix, assertPositive, assertSameShape } from './validate';

/** Added to the diagonal: exp(x − 1e9) is exactly 0 in float32, so self-pairs drop out. */
const SELF_MASK = 1e9;

export function ntXentLoss(z0: tf.Tensor2D, z1: tf.Tensor2D, temperature: number): tf.Scalar {
  const fn = 'ntXentLoss';
  assertMatrix(fn, 'z0', z0);
  assertMatrix(fn, 'z1', z1);
  assertSameShape(fn, ['z0', 'z1'], z0, z1);
  assertPositive(fn, 'temperature', temperature);
  return tf.tidy(() => {
    const n = z0.shape[0];
    const z = l2Normalize(tf.concat([z0, z1], 0));
    const logits = tf.div(tf.matMul(z, z, false, true), temperature);
    const masked = tf.sub(logits, tf.mul(tf.eye(2 * n), SELF_MASK));
    const positives = tf.div(
      tf.sum(
        tf.mul(z, tf.concat([tf.slice(z, [n, 0], [n, -1]), tf.slice(z, [0, 0], [n, -1])], 0)),
        1,
      ),
      temperature,
    );
    return tf.mean(tf.sub(tf.logSumExp(masked, 1), positives)) as tf.Scalar;
  });
}
