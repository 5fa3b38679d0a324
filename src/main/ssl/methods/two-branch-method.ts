/**
 * What Barlow Twins and VICReg share: one network (encoder → projector/expander), two views of every
 * image, each view forwarded on its own (BatchNorm statistics per view, as both reference codes do),
 * and a loss over the two [N, D] embeddings. No state beyond the weights. A subclass supplies only
 * the loss.
 */
import { tf } from '../../compute/tf';
import type { MethodConfigOf } from '../../../shared/schemas/method';
import { checkBatch, Network } from './network';
import { viewsNeeded, type ViewSpec } from '../../specs/views';
import type { MethodBatch, MethodContext, MethodState, SslMethod } from './types';

type TwoBranchConfig = MethodConfigOf<'barlow-twins'> | MethodConfigOf<'vicreg'>;

export abstract class TwoBranchMethod<C extends TwoBranchConfig> implements SslMethod {
  abstract readonly name: C['method'];
  readonly viewsNeeded: ViewSpec;
  private readonly network: Network;

  constructor(
    readonly config: C,
    context: MethodContext,
  ) {
    this.viewsNeeded = viewsNeeded(config, context.imageSize);
    this.network = new Network({
      encoder: config.encoder,
      head: config.head,
      context,
      role: 'online',
    });
  }

  /** The loss of the two views' embeddings z1, z2 [N, D] (row i = image i). */
  protected abstract branchLoss(z1: tf.Tensor2D, z2: tf.Tensor2D): tf.Scalar;

  get encoder(): tf.LayersModel {
    return this.network.encoder;
  }

  trainableVariables(): tf.Variable[] {
    return this.network.variables();
  }

  loss(batch: MethodBatch): tf.Scalar {
    checkBatch(this.name, batch.views, batch.indices, 2);
    return tf.tidy(() => {
      const [v1, v2] = batch.views as [tf.Tensor4D, tf.Tensor4D];
      return this.branchLoss(this.network.project(v1, true), this.network.project(v2, true));
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
