/**
 * What every method trained as one online `Network` repeats — SimCLR, Barlow Twins and VICReg, the
 * triplet and margin-contrastive losses, SimSiam, the autoencoder: the network built from the
 * config (role 'online'), its encoder and variables, encoder features for evaluation, state and
 * disposal. Models trained beside the network (SimSiam's predictor, the autoencoder's decoder) are
 * listed in `sideModels` and saved under their own model name. A method with more state (a PRNG
 * position) extends getState / setState. The PyTorch project's counterpart is `OneNetworkMethod`
 * in models.py.
 */
import type { tf } from '../../compute/tf';
import type { MethodConfig } from '../../../shared/schemas/method';
import { viewsNeeded, type ViewSpec } from '../../specs/views';
import { Network } from './network';
import { loadModelState, modelState, trainableVariablesOf } from './state';
import type { MethodBatch, MethodContext, MethodState, SslMethod, StepInfo } from './types';

export abstract class OneNetworkMethod<C extends MethodConfig> implements SslMethod {
  abstract readonly name: C['method'];
  readonly viewsNeeded: ViewSpec;
  protected readonly network: Network;
  /** Models trained with the network, in the optimiser's order; state keys `<model name>/…`. */
  protected sideModels: tf.LayersModel[] = [];

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

  abstract loss(batch: MethodBatch): tf.Scalar;

  get encoder(): tf.LayersModel {
    return this.network.encoder;
  }

  trainableVariables(): tf.Variable[] {
    return [...this.network.variables(), ...this.sideModels.flatMap(trainableVariablesOf)];
  }

  /** Nothing beyond the optimiser's step; methods with banks or queues update them here. */
  afterStep(_batch: MethodBatch, _info: StepInfo): void {}

  embed(images: tf.Tensor4D): tf.Tensor2D {
    return this.network.features(images, false);
  }

  async getState(): Promise<MethodState> {
    const state = await this.network.state();
    for (const model of this.sideModels) Object.assign(state, await modelState(model.name, model));
    return state;
  }

  setState(state: MethodState): void {
    this.network.load(state);
    for (const model of this.sideModels) loadModelState(model.name, model, state);
  }

  dispose(): void {
    this.network.dispose();
    for (const model of this.sideModels) model.dispose();
  }
}
