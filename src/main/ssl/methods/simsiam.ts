/**
 * SimSiam (Chen & He 2021, https://arxiv.org/abs/2011.10566): BYOL without the momentum encoder.
 * Both views go through the same encoder → projector; a predictor h maps one view's projection to
 * the other's, whose projection gets a stop-gradient: ½·D(p₁, sg(z₂)) + ½·D(p₂, sg(z₁)) with
 * D = negative cosine similarity (Eq. 1–2). Collapse is avoided by the stop-gradient alone.
 * State: network, predictor.
 */
import { tf } from '../../compute/tf';
import type { MethodConfigOf } from '../../../shared/schemas/method';
import { buildProjectionHead } from '../heads/projection-head';
import { negativeCosineSimilarity } from '../losses/negative-cosine';
import { stopGradient } from '../losses/stop-gradient';
import { checkBatch } from './network';
import { OneNetworkMethod } from './one-network-method';
import type { MethodBatch, MethodContext } from './types';

export class SimsiamMethod extends OneNetworkMethod<MethodConfigOf<'simsiam'>> {
  readonly name = 'simsiam' as const;
  private readonly predictor: tf.LayersModel;

  constructor(config: MethodConfigOf<'simsiam'>, context: MethodContext) {
    super(config, context);
    this.predictor = buildProjectionHead({
      inputDim: this.network.outputDim,
      blocks: config.predictor,
      seed: context.seed + 2,
      batchNormMomentum: config.encoder.batchNormMomentum,
      name: 'predictor',
    });
    this.sideModels = [['predictor', this.predictor]];
  }

  loss(batch: MethodBatch): tf.Scalar {
    checkBatch(this.name, batch.views, batch.indices, 2);
    return tf.tidy(() => {
      const [z1, z2] = (batch.views as [tf.Tensor4D, tf.Tensor4D]).map((v) =>
        this.network.project(v, true),
      ) as [tf.Tensor2D, tf.Tensor2D];
      const predict = (z: tf.Tensor2D): tf.Tensor2D =>
        this.predictor.apply(z, { training: true }) as tf.Tensor2D;
      return tf.mul(
        0.5,
        tf.add(
          negativeCosineSimilarity(predict(z1), stopGradient(z2)),
          negativeCosineSimilarity(predict(z2), stopGradient(z1)),
        ),
      ) as tf.Scalar;
    });
  }
}
