/**
 * Row-wise Euclidean distance ‖a − b + ε‖₂ with PyTorch's `pairwise_distance` stabiliser ε = 1e-6,
 * which keeps the gradient finite (norm ≤ 1) when a = b.
 *
 * Shapes: a, b [N, D] → [N].
 */
import { tf } from '../../compute/tf';

export const DISTANCE_EPSILON = 1e-6;

export function rowDistance(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(
    () => tf.sqrt(tf.sum(tf.square(tf.add(tf.sub(a, b), DISTANCE_EPSILON)), 1)) as tf.Tensor1D,
  );
}
