/**
 * BYOL, Bootstrap Your Own Latent (Grill et al. 2020, https://arxiv.org/abs/2006.07733). An online
 * network (encoder → projector → predictor q) predicts the projection of the other view made by a
 * target network, an EMA of the online encoder + projector that gets no gradient. Symmetric loss:
 * ½·[−cos(q(z₁), z′₂) − cos(q(z₂), z′₁)] (Eq. 2 up to the affine map 2 − 2·cos). No negatives.
 * Single device: the target runs in training mode on its own batch, as MoCo's key network does.
 * State: online network, predictor, target network.
 */
import { tf } from '../../compute/tf';
import type { MethodConfigOf } from '../../../shared/schemas/method';
import { buildProjectionHead } from '../heads/projection-head';
import { negativeCosineSimilarity } from '../losses/negative-cosine';
import { stopGradient } from '../losses/stop-gradient';
import { MomentumNetwork } from './momentum-network';
import { checkBatch, Network } from './network';
import { loadModelState, modelState, trainableVariablesOf } from './state';
import { viewsNeeded, type ViewSpec } from '../../specs/views';
import type { MethodBatch, MethodContext, MethodState, SslMethod } from './types';

export class ByolMethod implements SslMethod {
  readonly name = 'byol' as const;
  readonly viewsNeeded: ViewSpec;
  private readonly online: Network;
  private readonly predictor: tf.LayersModel;
  private readonly target: MomentumNetwork;

  constructor(
    readonly config: MethodConfigOf<'byol'>,
    context: MethodContext,
  ) {
    this.viewsNeeded = viewsNeeded(config, context.imageSize);
    const { encoder, head } = config;
    this.online = new Network({ encoder, head, context, role: 'online' });
    this.predictor = buildProjectionHead({
      inputDim: this.online.outputDim,
      blocks: config.predictor,
      seed: context.seed + 2,
      batchNormMomentum: encoder.batchNormMomentum,
      name: 'predictor',
    });
    this.target = new MomentumNetwork(this.online, { encoder, head, context, role: 'target' });
  }

  get encoder(): tf.LayersModel {
    return this.online.encoder;
  }

  trainableVariables(): tf.Variable[] {
    return [...this.online.variables(), ...trainableVariablesOf(this.predictor)];
  }

  loss(batch: MethodBatch): tf.Scalar {
    checkBatch(this.name, batch.views, batch.indices, 2);
    return tf.tidy(() => {
      const [v1, v2] = batch.views as [tf.Tensor4D, tf.Tensor4D];
      const predict = (v: tf.Tensor4D): tf.Tensor2D =>
        this.predictor.apply(this.online.project(v, true), { training: true }) as tf.Tensor2D;
      const [p1, p2] = [predict(v1), predict(v2)];
      const t1 = stopGradient(this.target.network.project(v1, true));
      const t2 = stopGradient(this.target.network.project(v2, true));
      return tf.mul(
        0.5,
        tf.add(negativeCosineSimilarity(p1, t2), negativeCosineSimilarity(p2, t1)),
      ) as tf.Scalar;
    });
  }

  afterStep(): void {
    this.target.update(this.config.momentum);
  }

  embed(images: tf.Tensor4D): tf.Tensor2D {
    return this.online.features(images, false);
  }

  async getState(): Promise<MethodState> {
    return {
      ...(await this.online.state()),
      ...(await modelState('predictor', this.predictor)),
      ...(await this.target.network.state()),
    };
  }

  setState(state: MethodState): void {
    this.online.load(state);
    loadModelState('predictor', this.predictor, state);
    this.target.network.load(state);
  }

  dispose(): void {
    this.online.dispose();
    this.predictor.dispose();
    this.target.network.dispose();
  }
}
