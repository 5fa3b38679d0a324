/**
 * What Barlow Twins and VICReg share: one network (encoder → projector/expander), two views of every
 * image, each view forwarded on its own (BatchNorm statistics per view, as both reference codes do),
 * and a loss over the two [N, D] embeddings. No state beyond the weights. A subclass supplies only
 * the loss.
 */
import { tf } from '../../compute/tf';
import type { MethodConfigOf } from '../../../shared/schemas/method';
import { checkBatch } from './network';
import { OneNetworkMethod } from './one-network-method';
import type { MethodBatch } from './types';

type TwoBranchConfig = MethodConfigOf<'barlow-twins'> | MethodConfigOf<'vicreg'>;

export abstract class TwoBranchMethod<C extends TwoBranchConfig> extends OneNetworkMethod<C> {
  /** The loss of the two views' embeddings z1, z2 [N, D] (row i = image i). */
  protected abstract branchLoss(z1: tf.Tensor2D, z2: tf.Tensor2D): tf.Scalar;

  loss(batch: MethodBatch): tf.Scalar {
    checkBatch(this.name, batch.views, batch.indices, 2);
    return tf.tidy(() => {
      const [v1, v2] = batch.views as [tf.Tensor4D, tf.Tensor4D];
      return this.branchLoss(this.network.project(v1, true), this.network.project(v2, true));
    });
  }
}
