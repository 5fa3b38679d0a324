/**
 * Margin-contrastive training (Hadsell, Chopra & LeCun 2006, "Dimensionality Reduction by Learning
 * an Invariant Mapping"): the two views of an image form a similar pair (y = 0), a view and a view of
 * another image of the batch (seeded shift) a dissimilar pair (y = 1). Loss: `marginContrastiveLoss`
 * over the 2B pairs on (optionally L2-normalised) embeddings.
 */
import { tf } from '../../compute/tf';
import { marginContrastiveLoss } from '../losses/margin-contrastive';
import type { MethodConfigOf } from '../../../shared/schemas/method';
import { InBatchPairMethod } from './in-batch-pair-method';
import { rollRows } from './in-batch-negatives';

export class MarginContrastiveMethod extends InBatchPairMethod<MethodConfigOf<'margin-contrastive'>> {
  readonly name = 'margin-contrastive' as const;

  protected pairLoss(z0: tf.Tensor2D, z1: tf.Tensor2D, shift: number): tf.Scalar {
    const x1 = tf.concat([z0, z0], 0);
    const x2 = tf.concat([z1, rollRows(z1, shift)], 0);
    const y = tf.concat([tf.zeros([z0.shape[0]]), tf.ones([z0.shape[0]])]) as tf.Tensor1D;
    return marginContrastiveLoss(x1, x2, y, this.config.margin);
  }
}
