/**
 * What the pairwise-distance methods (margin-contrastive, triplet) share: one network, two views of
 * every image, (optionally L2-normalised) projections, and a seeded in-batch shift that picks each
 * image's negative. A subclass supplies only its loss over the two views' embeddings.
 */
import { tf } from '../../compute/tf';
import type { MethodConfigOf } from '../../../shared/schemas/method';
import { l2Normalize } from '../losses/normalize';
import { checkBatch } from './network';
import { OneNetworkMethod } from './one-network-method';
import { SeededRng } from '../../random/index';
import { restoreUint32, uint32State } from './state';
import type { MethodBatch, MethodContext, MethodState } from './types';

type PairConfig = MethodConfigOf<'margin-contrastive'> | MethodConfigOf<'triplet'>;

export abstract class InBatchPairMethod<C extends PairConfig> extends OneNetworkMethod<C> {
  private readonly random: SeededRng;

  constructor(config: C, context: MethodContext) {
    super(config, context);
    this.random = new SeededRng(context.seed + 2);
  }

  /**
   * The loss of one batch from the embeddings of the two views, z0 and z1 [n, D] (row i = image i);
   * `shift` (1 … n−1) pairs image i with image (i + shift) mod n as its random negative.
   */
  protected abstract pairLoss(z0: tf.Tensor2D, z1: tf.Tensor2D, shift: number): tf.Scalar;

  loss(batch: MethodBatch): tf.Scalar {
    const n = checkBatch(this.name, batch.views, batch.indices, 2);
    const shift = 1 + this.random.int(n - 1);
    return tf.tidy(() => {
      let z = this.network.project(tf.concat(batch.views, 0) as tf.Tensor4D, true);
      if (this.config.normalize) z = l2Normalize(z);
      return this.pairLoss(tf.slice(z, [0, 0], [n, -1]), tf.slice(z, [n, 0], [n, -1]), shift);
    });
  }

  override async getState(): Promise<MethodState> {
    return { ...(await super.getState()), random: uint32State(this.random.position) };
  }

  override setState(state: MethodState): void {
    super.setState(state);
    this.random.position = restoreUint32(state, 'random');
  }
}
