/**
 * SwAV swapped-prediction loss over multi-crop views.
 * Caron et al. 2020, "Unsupervised Learning of Visual Features by Contrasting Cluster Assignments",
 * https://arxiv.org/abs/2006.09882 (Eq. 2–3, multi-crop Sec. 3.2).
 *
 * Shapes: highRes — one [N, P] score matrix (normalised features · normalised prototypes) per
 * high-resolution crop; lowRes — the same for the small crops (may be empty). For every
 * high-resolution crop i, codes qᵢ = sinkhorn(scoresᵢ, ε, iterations) — raw scores, **not** divided by
 * τ, and no gradient flows through qᵢ. Its term is Σ over every other crop z of
 * −mean_rows Σₚ qᵢ · log softmax(z/τ), divided by (crops − 1); the loss averages those terms over the
 * high-resolution crops. Returns a scalar.
 *
 * Example: two crops whose scores are identical one-hot rows, τ → small, gives a loss near 0;
 * swavLoss([s0, s1], [s2, s3], { temperature: 0.1, sinkhornIterations: 3, sinkhornEpsilon: 0.05 }).
 */
import { tf } from '../../compute/tf';
import { sinkhorn } from './sinkhorn';
import { stopGradient } from './stop-gradient';
import { assertInteger, assertMatrix, assertPositive, assertSameShape } from './validate';

export interface SwavLossOptions {
  temperature: number;
  sinkhornIterations: number;
  sinkhornEpsilon: number;
}

/**
 * The swapped-prediction part alone: codes[i] (no gradient, [N, P]) belongs to scores[i]; every
 * codes[i] predicts every other crop's softmax(scores/τ). Lets a caller compute codes differently
 * (e.g. SwAV's feature queue) and reuse the same loss.
 */
export function swappedPredictionLoss(
  codes: tf.Tensor2D[],
  scores: tf.Tensor2D[],
  temperature: number,
): tf.Scalar {
  const fn = 'swappedPredictionLoss';
  if (codes.length < 1 || scores.length < 2 || codes.length > scores.length) {
    throw new RangeError(
      `${fn}: need 1 ≤ codes (${codes.length}) ≤ crops and ≥ 2 crops (${scores.length})`,
    );
  }
  assertPositive(fn, 'temperature', temperature);
  return tf.tidy(() => {
    const logProbs = scores.map((s) => tf.logSoftmax(tf.div(s, temperature)));
    const terms = codes.map((q, i) => {
      const others = logProbs
        .filter((_, j) => j !== i)
        .map((lp) => tf.neg(tf.mean(tf.sum(tf.mul(q, lp), 1))));
      return tf.div(tf.addN(others), scores.length - 1);
    });
    return tf.div(tf.addN(terms), codes.length) as tf.Scalar;
  });
}

export function swavLoss(
  highRes: tf.Tensor2D[],
  lowRes: tf.Tensor2D[],
  opts: SwavLossOptions,
): tf.Scalar {
  const fn = 'swavLoss';
  const first = highRes[0];
  if (!first) throw new RangeError(`${fn}: need at least one high-resolution crop`);
  if (highRes.length + lowRes.length < 2)
    throw new RangeError(`${fn}: need at least two crops in total`);
  const crops = [...highRes, ...lowRes];
  crops.forEach((s, i) => {
    assertMatrix(fn, `crop ${i}`, s);
    assertSameShape(fn, ['crop 0', `crop ${i}`], first, s);
  });
  assertPositive(fn, 'temperature', opts.temperature);
  assertPositive(fn, 'sinkhornEpsilon', opts.sinkhornEpsilon);
  assertInteger(fn, 'sinkhornIterations', opts.sinkhornIterations, 0);
  return tf.tidy(() => {
    const codes = highRes.map((s) =>
      stopGradient(sinkhorn(s, opts.sinkhornEpsilon, opts.sinkhornIterations)),
    );
    return swappedPredictionLoss(codes, crops, opts.temperature);
  });
}
