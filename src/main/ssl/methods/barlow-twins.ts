/**
 * Barlow Twins (Zbontar et al. 2021, https://arxiv.org/abs/2103.03230): the cross-correlation of the
 * two views' projector outputs, normalised over the batch, is pulled to the identity — invariance on
 * the diagonal, redundancy reduction (weight λ) off it. No negatives, no momentum network.
 */
import type { tf } from '../../compute/tf';
import type { MethodConfigOf } from '../../../shared/schemas/method';
import { barlowTwinsLoss } from '../losses/barlow-twins';
import { TwoBranchMethod } from './two-branch-method';

export class BarlowTwinsMethod extends TwoBranchMethod<MethodConfigOf<'barlow-twins'>> {
  readonly name = 'barlow-twins' as const;

  protected branchLoss(z1: tf.Tensor2D, z2: tf.Tensor2D): tf.Scalar {
    return barlowTwinsLoss(z1, z2, { lambda: this.config.lambda });
  }
}
