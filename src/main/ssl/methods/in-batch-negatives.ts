/**
 * Negatives taken from the other images of the batch, for triplet and margin-contrastive training.
 * Selections are differentiable w.r.t. the chosen rows (slices / one-hot matmul rather than
 * `gather`, whose gradient needs a kernel tfjs-backend-wasm lacks) and carry no gradient through the
 * choice itself.
 */
import { tf } from '../../compute/tf';

/** Row i of the result is row (i + shift) mod B of x: with 0 < shift < B, never the row itself. */
export function rollRows(x: tf.Tensor2D, shift: number): tf.Tensor2D {
  const b = x.shape[0];
  const s = ((shift % b) + b) % b;
  if (s === 0) return tf.clone(x);
  return tf.tidy(() =>
    tf.concat([tf.slice(x, [s, 0], [b - s, -1]), tf.slice(x, [0, 0], [s, -1])], 0),
  );
}

const FAR = 1e9;

/** One-hot [B, B] choice of the semi-hard positive for every anchor (no gradient: see below). */
function semiHardChoice(anchors: tf.Tensor2D, positives: tf.Tensor2D): tf.Tensor2D {
  const b = anchors.shape[0];
  const sq = (t: tf.Tensor2D): tf.Tensor => tf.sum(tf.square(t), 1);
  const d2 = tf.relu(
    tf.add(
      tf.sub(
        tf.reshape(sq(anchors), [b, 1]),
        tf.mul(2, tf.matMul(anchors, positives, false, true)),
      ),
      tf.reshape(sq(positives), [1, b]),
    ),
  );
  const positive = tf.reshape(tf.sum(tf.mul(tf.eye(b), d2), 1), [b, 1]);
  const offDiagonal = tf.sub(1, tf.eye(b));
  const outside = tf.mul(offDiagonal, tf.cast(tf.greater(d2, positive), 'float32'));
  const closestOutside = tf.argMin(tf.add(d2, tf.mul(tf.sub(1, outside), FAR)), 1);
  const farthest = tf.argMax(tf.sub(d2, tf.mul(tf.sub(1, offDiagonal), FAR)), 1);
  const choice = tf.where(tf.greater(tf.sum(outside, 1), 0), closestOutside, farthest);
  // int32 then cast: tfjs-backend-wasm 4.22's OneHot writes int bit patterns into float32 outputs.
  return tf.cast(tf.oneHot(choice, b), 'float32') as tf.Tensor2D;
}

// The choice is a comparison (no gradient exists for Greater/ArgMin); wrapping it in a custom
// gradient that returns zeros keeps it out of backpropagation entirely.
const semiHardChoiceNoGrad = tf.customGrad(
  (...args: Array<tf.Tensor | ((save: tf.Tensor[]) => void)>) => {
    const [anchors, positives] = args as [tf.Tensor2D, tf.Tensor2D];
    return {
      value: semiHardChoice(anchors, positives),
      gradFunc: () => [tf.zerosLike(anchors), tf.zerosLike(positives)],
    };
  },
);

/**
 * FaceNet semi-hard mining (Schroff et al. 2015, https://arxiv.org/abs/1503.03832, Sec. 3.2) among the
 * batch's positives: for anchor i, the closest positive p_j (j ≠ i) that is farther than p_i; when
 * none is, the farthest p_j (TensorFlow Addons' `triplet_semihard_loss` rule). anchors, positives
 * [B, D] → negatives [B, D]; the gradient flows into the chosen rows only.
 */
export function semiHardNegatives(anchors: tf.Tensor2D, positives: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() =>
    tf.matMul(semiHardChoiceNoGrad(anchors, positives) as tf.Tensor2D, positives),
  );
}
