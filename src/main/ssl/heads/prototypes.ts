/**
 * SwAV prototypes: a trainable matrix C [P, D] whose rows are kept on the unit sphere, so the score
 * of a normalised feature z against prototype p is the cosine z·c_p.
 * Caron et al. 2020, https://arxiv.org/abs/2006.09882 (Sec. 3.1; "we normalise the prototypes after
 * each update").
 */
import { tf } from '../../compute/tf';
import { l2Normalize } from '../losses/normalize';
import { tfSeed } from '../../random/index';

let instances = 0;

export class Prototypes {
  readonly weights: tf.Variable<tf.Rank.R2>;

  constructor(count: number, dim: number, seed: number) {
    instances += 1;
    const init = tf.tidy(() => l2Normalize(tf.randomNormal([count, dim], 0, 1, 'float32', tfSeed(seed))));
    // Variable names are global in tfjs; the counter keeps two SwAV runs in one thread apart.
    this.weights = tf.variable(
      init,
      true,
      `swav_prototypes_${instances}`,
    ) as tf.Variable<tf.Rank.R2>;
    init.dispose();
  }

  /** Cosine scores of features z [B, D] against every prototype → [B, P] (z normalised inside). */
  scores(z: tf.Tensor2D, weights: tf.Tensor2D = this.weights): tf.Tensor2D {
    return tf.tidy(() => tf.matMul(l2Normalize(z), weights, false, true));
  }

  /** Project every prototype back onto the unit sphere (call after each optimiser step). */
  normalize(): void {
    tf.tidy(() => this.weights.assign(l2Normalize(this.weights)));
  }

  dispose(): void {
    this.weights.dispose();
  }
}
