/**
 * End-to-end contrastive learning, SimCLR: two augmented views of every image, encoder + projection
 * head, NT-Xent over the 2N views of the batch (the other 2N − 2 views are the negatives).
 * Chen et al. 2020, https://arxiv.org/abs/2002.05709. No state beyond the weights.
 */
import { tf } from '../../engine/tf';
import type { MethodConfigOf } from '../../../shared/schemas/method';
import { ntXentLoss } from '../losses/ntxent';
import { checkBatch, Network } from './network';
import type { MethodBatch, MethodContext, MethodState, SslMethod, ViewSpec } from './types';

export class SimclrMethod implements SslMethod {
  readonly name = 'simclr' as const;
  readonly viewsNeeded: ViewSpec = { kind: 'pair' };
  private readonly network: Network;

  constructor(
    readonly config: MethodConfigOf<'simclr'>,
    context: MethodContext,
  ) {
    this.network = new Network({
      encoder: config.encoder,
      head: config.head,
      context,
      role: 'online',
    });
  }

  get encoder(): tf.LayersModel {
    return this.network.encoder;
  }

  trainableVariables(): tf.Variable[] {
    return this.network.variables();
  }

  loss(batch: MethodBatch): tf.Scalar {
    const n = checkBatch(this.name, batch.views, batch.indices, 2);
    return tf.tidy(() => {
      // One forward pass over both views: BatchNorm sees the 2N views together, as in SimCLR.
      const z = this.network.project(tf.concat(batch.views, 0) as tf.Tensor4D, true);
      return ntXentLoss(
        tf.slice(z, [0, 0], [n, -1]),
        tf.slice(z, [n, 0], [n, -1]),
        this.config.temperature,
      );
    });
  }

  afterStep(): void {}

  embed(images: tf.Tensor4D): tf.Tensor2D {
    return this.network.features(images, false);
  }

  getState(): Promise<MethodState> {
    return this.network.state();
  }

  setState(state: MethodState): void {
    this.network.load(state);
  }

  dispose(): void {
    this.network.dispose();
  }
}
