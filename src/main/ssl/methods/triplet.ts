/**
 * Triplet training (Schroff et al. 2015, FaceNet, https://arxiv.org/abs/1503.03832): anchor and
 * positive are two views of one image, the negative is a view of another image of the batch —
 * random (a seeded shift) or semi-hard mined. Loss: `tripletLoss` with the configured margin on
 * (optionally L2-normalised) embeddings. No state beyond the weights and the sampler position.
 */
import { tf } from '../../engine/tf';
import type { MethodConfigOf } from '../../../shared/schemas/method';
import { l2Normalize } from '../losses/normalize';
import { tripletLoss } from '../losses/triplet';
import { rollRows, semiHardNegatives } from './in-batch-negatives';
import { checkBatch, Network } from './network';
import { SeededRandom } from './seeded-random';
import { restoreUint32, uint32State } from './state';
import type { MethodBatch, MethodContext, MethodState, SslMethod, ViewSpec } from './types';

export class TripletMethod implements SslMethod {
  readonly name = 'triplet' as const;
  readonly viewsNeeded: ViewSpec = { kind: 'triplet' };
  private readonly network: Network;
  private readonly random: SeededRandom;

  constructor(
    readonly config: MethodConfigOf<'triplet'>,
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
      const anchor = tf.slice(z, [0, 0], [n, -1]);
      const positive = tf.slice(z, [n, 0], [n, -1]);
      const negative =
        this.config.mining === 'semi-hard'
          ? semiHardNegatives(anchor, positive)
          : rollRows(positive, shift);
      return tripletLoss(anchor, positive, negative, this.config.margin);
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
