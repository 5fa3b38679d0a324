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

/**
 * The variables of `target` paired, in order, with the trainable weights of `source` (same
 * architecture, matched by layer-weight name), so `emaUpdate(matchedVariables(t, s), vars(s), m)`
 * works even though the target was built non-trainable.
 */
export function matchedVariables(
  target: tf.LayersModel[],
  source: tf.LayersModel[],
): tf.Variable[] {
  return source.flatMap((model, i) => {
    const other = target[i];
    if (!other) throw new RangeError(`matchedVariables: no target model for ${model.name}`);
    const byName = new Map(other.weights.map((w) => [w.originalName, w.read() as tf.Variable]));
    return model.trainableWeights.map((w) => {
      const v = byName.get(w.originalName);
      if (!v)
        throw new Error(`matchedVariables: target ${other.name} has no weight ${w.originalName}`);
      return v;
    });
  });
}
