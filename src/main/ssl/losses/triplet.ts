/**
 * Triplet margin loss. Schroff et al. 2015, "FaceNet: A Unified Embedding for Face Recognition and
 * Clustering", https://arxiv.org/abs/1503.03832 (Eq. 1), in PyTorch's `TripletMarginLoss` form.
 *
 * Shapes: anchor, positive, negative [N, D] → scalar mean over rows of
 * max(0, ‖a − p‖ − ‖a − n‖ + margin), Euclidean with a 1e-6 stabiliser inside the norm.
 *
 * Example (hand-computed): a = [[0, 0]], p = [[3, 4]], n = [[0, 1]], margin 1 → max(0, 5 − 1 + 1) = 5.
 */
import { tf } from '../../compute/tf';
import { rowDistance } from './distance';
import { assertMatrix, assertNonNegative, assertSameShape } from './validate';

export function tripletLoss(
  anchor: tf.Tensor2D,
  positive: tf.Tensor2D,
  negative: tf.Tensor2D,
  margin: number,
): tf.Scalar {
  const fn = 'tripletLoss';
  assertMatrix(fn, 'anchor', anchor);
  assertSameShape(fn, ['anchor', 'positive'], anchor, positive);
  assertSameShape(fn, ['anchor', 'negative'], anchor, negative);
  assertNonNegative(fn, 'margin', margin);
  return tf.tidy(
    () =>
      tf.mean(
        tf.relu(
          tf.add(tf.sub(rowDistance(anchor, positive), rowDistance(anchor, negative)), margin),
        ),
      ) as tf.Scalar,
  );
}
