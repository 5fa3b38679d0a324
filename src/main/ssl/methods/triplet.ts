/**
 * Triplet training (Schroff et al. 2015, FaceNet, https://arxiv.org/abs/1503.03832): anchor and
 * positive are two views of one image, the negative is a view of another image of the batch —
 * random (a seeded shift) or semi-hard mined. Loss: `tripletLoss` with the configured margin on
 * (optionally L2-normalised) embeddings. No state beyond the weights and the sampler position.
 */
import type { tf } from '../../compute/tf';
import { tripletLoss } from '../losses/triplet';
import type { MethodConfigOf } from '../../../shared/schemas/method';
import { InBatchPairMethod } from './in-batch-pair-method';
import { rollRows, semiHardNegatives } from './in-batch-negatives';

export class TripletMethod extends InBatchPairMethod<MethodConfigOf<'triplet'>> {
  readonly name = 'triplet' as const;

  /** Anchor = first view, positive = second view, negative = a view of another image. */
  protected pairLoss(anchor: tf.Tensor2D, positive: tf.Tensor2D, shift: number): tf.Scalar {
    const negative = this.config.mining === 'semi-hard' ? semiHardNegatives(anchor, positive) : rollRows(positive, shift);
    return tripletLoss(anchor, positive, negative, this.config.margin);
  }
}
