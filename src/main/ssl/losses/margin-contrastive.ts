/**
 * Margin-based contrastive loss of Hadsell, Chopra & LeCun 2006, "Dimensionality Reduction by
 * Learning an Invariant Mapping" (CVPR; http://yann.lecun.com/exdb/publis/pdf/hadsell-chopra-lecun-06.pdf,
 * no arXiv version), Eq. 4, with **y = 0 for a similar pair and y = 1 for a dissimilar pair**.
 *
 * Shapes: x1, x2 [N, D], y [N] of 0/1 → scalar mean over pairs of
 * (1 − y)·½·d² + y·½·max(0, m − d)², d = ‖x1 − x2‖ (1e-6 stabiliser inside the norm).
 *
 * Example (hand-computed): x1 = [[0, 0], [0, 0]], x2 = [[3, 4], [0, 1]], y = [0, 1], m = 2 →
 * mean(½·25, ½·(2 − 1)²) = 6.5.
 */
import { tf } from '../../compute/tf';
import { rowDistance } from './distance';
import { assertMatrix, assertNonNegative, assertSameShape } from './validate';

export function marginContrastiveLoss(
  x1: tf.Tensor2D,
  x2: tf.Tensor2D,
  y: tf.Tensor1D,
  margin: number,
): tf.Scalar {
  const fn = 'marginContrastiveLoss';
  assertMatrix(fn, 'x1', x1);
  assertSameShape(fn, ['x1', 'x2'], x1, x2);
  if (y.rank !== 1 || y.shape[0] !== x1.shape[0]) {
    throw new RangeError(`${fn}: y must be [${x1.shape[0]}], got [${y.shape.join(', ')}]`);
  }
  assertNonNegative(fn, 'margin', margin);
  return tf.tidy(() => {
    const d = rowDistance(x1, x2);
    const labels = tf.cast(y, 'float32');
    const similar = tf.mul(tf.sub(1, labels), tf.mul(0.5, tf.square(d)));
    const dissimilar = tf.mul(labels, tf.mul(0.5, tf.square(tf.relu(tf.sub(margin, d)))));
    return tf.mean(tf.add(similar, dissimilar)) as tf.Scalar;
  });
}
