/**
 * Identity in the forward pass, zero gradient in the backward pass: PyTorch's `.detach()` /
 * TensorFlow's `stop_gradient`, which tfjs 4.22 does not have. Used for SwAV codes, MoCo keys and
 * mined-negative selections. Returning zeros (rather than cutting the tape) keeps every variable
 * connected, so `variableGrads` still reports a (zero) gradient for it.
 */
import { tf } from '../../compute/tf';

const stop = tf.customGrad((...inputs: Array<tf.Tensor | ((save: tf.Tensor[]) => void)>) => ({
  value: tf.clone(inputs[0] as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
}));

export function stopGradient<T extends tf.Tensor>(x: T): T {
  return stop(x) as T;
}
