/**
 * Margin-contrastive training (Hadsell, Chopra & LeCun 2006, "Dimensionality Reduction by Learning
 * an Invariant Mapping"): the two views of an image form a similar pair (y = 0), a view and a view of
 * another image of the batch (seeded shift) a dissimilar pair (y = 1). Loss: `marginContrastiveLoss`
 * over the 2B pairs on (optionally L2-normalised) embeddings.
 */
import { tf } from '../../engine/tf';
import type { MethodConfigOf } from '../../../shared/schemas/method';
import { marginContrastiveLoss } from '../losses/margin-contrastive';
import { l2Normalize } from '../losses/normalize';
import { rollRows } from './in-batch-negatives';
import { checkBatch, Network } from './network';
import { SeededRandom } from './seeded-random';
import { restoreUint32, uint32State } from './state';
import type { MethodBatch, MethodContext, MethodState, SslMethod, ViewSpec } from './types';

export class MarginContrastiveMethod implements SslMethod {
  readonly name = 'margin-contrastive' as const;
  readonly viewsNeeded: ViewSpec = { kind: 'pair' };
  private readonly network: Network;
  private readonly random: SeededRandom;

  constructor(
    readonly config: MethodConfigOf<'margin-contrastive'>,
    context: MethodContext,
  ) {
    this.network = new Network({
      encoder: config.encoder,
      head: config.head,
      context,
      role: 'online',
    });
    this.random = new SeededRandom(context.seed + 2);
  }

  get encoder(): tf.LayersModel {
    return this.network.encoder;
  }

  trainableVariables(): tf.Variable[] {
    return this.network.variables();
  }

  loss(batch: MethodBatch): tf.Scalar {
    const n = checkBatch(this.name, batch.views, batch.indices, 2);
    const shift = 1 + this.random.int(n - 1);
    return tf.tidy(() => {
      let z = this.network.project(tf.concat(batch.views, 0) as tf.Tensor4D, true);
      if (this.config.normalize) z = l2Normalize(z);
      const z0 = tf.slice(z, [0, 0], [n, -1]);
      const z1 = tf.slice(z, [n, 0], [n, -1]);
      const x1 = tf.concat([z0, z0], 0);
      const x2 = tf.concat([z1, rollRows(z1, shift)], 0);
      const y = tf.concat([tf.zeros([n]), tf.ones([n])]) as tf.Tensor1D;
      return marginContrastiveLoss(x1, x2, y, this.config.margin);
    });
  }

  afterStep(): void {}

  embed(images: tf.Tensor4D): tf.Tensor2D {
    return this.network.features(images, false);
  }

  async getState(): Promise<MethodState> {
    return { ...(await this.network.state()), random: uint32State(this.random.position) };
  }

  setState(state: MethodState): void {
    this.network.load(state);
    this.random.position = restoreUint32(state, 'random');
  }

  dispose(): void {
    this.network.dispose();
  }
}
