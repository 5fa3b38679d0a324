/**
 * Hue rotation through HSV, as torchvision's adjust_hue: h ← (h + δ) mod 1 with δ ∈ [−0.5, 0.5].
 * RGB → HSV follows the usual max/min formulas; HSV → RGB uses the branch-free form
 * f(n) = v − v·s·clamp(min(k, 4 − k), 0, 1), k = (n + 6h) mod 6, n = 5, 3, 1 for R, G, B.
 * [N, H, W, 3] in [0, 1] → same; call inside `tf.tidy`.
 */
import { tf } from '../engine/tf';

export function shiftHue(images: tf.Tensor4D, shifts: tf.Tensor4D): tf.Tensor4D {
  const [r, g, b] = tf.split(images, 3, 3) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
  const maxc = tf.max(images, 3, true);
  const minc = tf.min(images, 3, true);
  const delta = tf.sub(maxc, minc);
  const zero = tf.scalar(0);
  const hasChroma = tf.greater(delta, zero);
  const safeDelta = tf.where(hasChroma, delta, tf.onesLike(delta));
  const sat = tf.where(tf.greater(maxc, zero), tf.div(delta, tf.where(tf.greater(maxc, zero), maxc, tf.onesLike(maxc))), zero);
  const rc = tf.div(tf.sub(maxc, r), safeDelta);
  const gc = tf.div(tf.sub(maxc, g), safeDelta);
  const bc = tf.div(tf.sub(maxc, b), safeDelta);
  const hRed = tf.sub(bc, gc);
  const hGreen = tf.add(2, tf.sub(rc, bc));
  const hBlue = tf.add(4, tf.sub(gc, rc));
  let h = tf.where(tf.equal(maxc, r), hRed, tf.where(tf.equal(maxc, g), hGreen, hBlue));
  h = tf.where(hasChroma, tf.div(h, 6), zero);
  h = tf.add(h, shifts);
  h = tf.sub(h, tf.floor(h));
  const k = tf.mod(tf.add(tf.mul(h, 6), tf.tensor1d([5, 3, 1])), 6);
  const ramp = tf.clipByValue(tf.minimum(k, tf.sub(4, k)), 0, 1);
  return tf.sub(maxc, tf.mul(tf.mul(maxc, sat), ramp)) as tf.Tensor4D;
}
