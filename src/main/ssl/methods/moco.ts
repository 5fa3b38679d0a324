/**
 * Momentum Contrast, MoCo v1/v2 (He et al. 2019, https://arxiv.org/abs/1911.05722; Chen et al. 2020,
 * https://arxiv.org/abs/2003.04297). Queries come from the trained encoder, keys from a momentum
 * (EMA) copy of it; negatives are a FIFO queue of the K most recent keys. Single-device and without
 * shuffle-BN: the key encoder runs in training mode on its own batch. v1 vs v2 is the head preset
 * (linear vs MLP) plus augmentations. State: both networks, the queue.
 */
import { tf } from '../../compute/tf';
import type { MethodConfigOf } from '../../../shared/schemas/method';
import { infoNCELoss } from '../losses/infonce';
import { l2Normalize } from '../losses/normalize';
import { stopGradient } from '../losses/stop-gradient';
import { copyWeights, emaUpdate } from './ema';
import { KeyQueue } from './key-queue';
import { checkBatch, Network } from './network';
import { restoreTensor, tensorState } from './state';
import type { MethodBatch, MethodContext, MethodState, SslMethod } from './types';
import { viewsNeeded, type ViewSpec } from '../../specs/views';

export class MocoMethod implements SslMethod {
  readonly name = 'moco' as const;
  readonly viewsNeeded: ViewSpec;
  readonly query: Network;
  readonly key: Network;
  readonly queue: KeyQueue;
  private pendingKeys: tf.Tensor2D | undefined;

  constructor(
    readonly config: MethodConfigOf<'moco'>,
    context: MethodContext,
  ) {
    this.viewsNeeded = viewsNeeded(config, context.imageSize);
    this.query = new Network({
      encoder: config.encoder,
      head: config.head,
      context,
      role: 'query',
    });
    this.key = new Network({ encoder: config.encoder, head: config.head, context, role: 'key' });
    copyWeights(this.key.encoder, this.query.encoder);
    copyWeights(this.key.head, this.query.head);
    // The key network is never optimised (only EMA-updated): keep it out of default variable lists.
    this.key.encoder.trainable = false;
    this.key.head.trainable = false;
    this.queue = new KeyQueue(config.queueSize, this.query.outputDim, context.seed + 2);
  }

  get encoder(): tf.LayersModel {
    return this.query.encoder;
  }

  trainableVariables(): tf.Variable[] {
    return this.query.variables();
  }

  loss(batch: MethodBatch): tf.Scalar {
    checkBatch(this.name, batch.views, batch.indices, 2);
    return tf.tidy(() => {
      const q = this.query.project(batch.views[0]!, true);
      const k = stopGradient(l2Normalize(this.key.project(batch.views[1]!, true)));
      this.pendingKeys?.dispose();
      this.pendingKeys = tf.keep(tf.clone(k));
      return infoNCELoss(q, k, this.queue.entries, this.config.temperature);
    });
  }

  /** Momentum update of the key network, then enqueue this batch's keys (dequeueing the oldest). */
  afterStep(): void {
    emaUpdate(this.keyVariables(), this.query.variables(), this.config.momentum);
    if (this.pendingKeys) {
      this.queue.enqueue(this.pendingKeys);
      this.pendingKeys.dispose();
      this.pendingKeys = undefined;
    }
  }

  embed(images: tf.Tensor4D): tf.Tensor2D {
    return this.query.features(images, false);
  }

  async getState(): Promise<MethodState> {
    return { ...(await this.query.state()), ...(await this.key.state()), queue: await tensorState(this.queue.entries) };
  }

  setState(state: MethodState): void {
    this.query.load(state);
    this.key.load(state);
    const queue = restoreTensor(state, 'queue', [this.queue.size, this.queue.dim]) as tf.Tensor2D;
    this.queue.replace(queue);
    queue.dispose();
  }

  dispose(): void {
    this.pendingKeys?.dispose();
    this.query.dispose();
    this.key.dispose();
    this.queue.dispose();
  }

  /** Key variables in the same order as the query's (trainable flag aside, same layers). */
  private keyVariables(): tf.Variable[] {
    const weights = [...this.key.encoder.weights, ...this.key.head.weights];
    const byName = new Map(weights.map((w) => [w.originalName, w.read() as tf.Variable]));
    const query = [...this.query.encoder.trainableWeights, ...this.query.head.trainableWeights];
    return query.map((w) => {
      const v = byName.get(w.originalName);
      if (!v) throw new Error(`moco: key network has no weight ${w.originalName}`);
      return v;
    });
  }
}
