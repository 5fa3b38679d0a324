/**
 * Row-wise L2 normalisation, x / max(‖x‖₂, ε), the `F.normalize(x, dim=1)` every contrastive loss
 * applies before cosine similarities. ε keeps an all-zero row finite (it stays zero).
 */
import { tf } from '../../compute/tf';

export function l2Normalize<T extends tf.Tensor>(x: T, epsilon = 1e-12): T {
  return tf.tidy(() => {
    const norm = tf.sqrt(tf.sum(tf.square(x), -1, true));
    return tf.div(x, tf.maximum(norm, epsilon)) as T;
  });
}
