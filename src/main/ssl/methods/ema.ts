/**
 * Exponential moving average of weights, MoCo's momentum update (He et al. 2019,
 * https://arxiv.org/abs/1911.05722, Eq. 2): θ_target ← m·θ_target + (1 − m)·θ_source, pairwise over
 * two equally shaped variable lists.
 */
import { tf } from '../../compute/tf';

export function emaUpdate(target: tf.Variable[], source: tf.Variable[], momentum: number): void {
  if (target.length !== source.length)
    throw new RangeError(`emaUpdate: ${target.length} target vs ${source.length} source variables`);
  tf.tidy(() => {
    target.forEach((t, i) => {
      const s = source[i]!;
      t.assign(tf.add(tf.mul(t, momentum), tf.mul(s, 1 - momentum)));
    });
  });
}

/** θ_target ← θ_source (MoCo initialises the key encoder as a copy of the query encoder). */
export function copyWeights(target: tf.LayersModel, source: tf.LayersModel): void {
  // Clones, so the two models never share a buffer (assign keeps its own reference).
  tf.tidy(() => target.setWeights(source.getWeights().map((w) => tf.clone(w))));
}
