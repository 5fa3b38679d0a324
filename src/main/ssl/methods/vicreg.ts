/**
 * VICReg (Bardes, Ponce & LeCun 2022, https://arxiv.org/abs/2105.04906): invariance (MSE between the
 * views' expander outputs), variance (a hinge keeping every feature's std ≥ 1 over the batch) and
 * covariance (off-diagonal covariance pushed to 0), weighted λ, μ, ν. No negatives, no momentum.
 */
import type { tf } from '../../compute/tf';
import type { MethodConfigOf } from '../../../shared/schemas/method';
import { vicregLoss } from '../losses/vicreg';
import { TwoBranchMethod } from './two-branch-method';

export class VicregMethod extends TwoBranchMethod<MethodConfigOf<'vicreg'>> {
  readonly name = 'vicreg' as const;

  protected branchLoss(z1: tf.Tensor2D, z2: tf.Tensor2D): tf.Scalar {
    const { lambda, mu, nu } = this.config;
    return vicregLoss(z1, z2, { lambda, mu, nu });
  }
}
