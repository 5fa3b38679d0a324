/**
 * What every method trained as one online `Network` repeats — SimCLR, Barlow Twins and VICReg, the
 * triplet and margin-contrastive losses, SimSiam, the autoencoder: the network built from the
 * config (role 'online'), its encoder and variables, encoder features for evaluation, state and
 * disposal. Models trained beside the network (SimSiam's predictor, the autoencoder's decoder,
 * PIRL's jigsaw head) are listed in `sideModels` with the prefix of their state keys. A method with
 * more state (a PRNG position, a bank, prototypes) extends getState / setState / dispose. The PyTorch project's counterpart is `OneNetworkMethod`
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
  /** Models trained with the network, in the optimiser's order, with their state-key prefix. */
  protected sideModels: [prefix: string, model: tf.LayersModel][] = [];

  constructor(
    readonly config: C,
    context: MethodContext,
    network: { variableInputSize?: boolean } = {},
  ) {
    this.viewsNeeded = viewsNeeded(config, context.imageSize);
    this.network = new Network({
      encoder: config.encoder,
      head: config.head,
      context,
      role: 'online',
      ...network,
    });
  }

  abstract loss(batch: MethodBatch): tf.Scalar;

  get encoder(): tf.LayersModel {
    return this.network.encoder;
  }

  trainableVariables(): tf.Variable[] {
    return [
      ...this.network.variables(),
      ...this.sideModels.flatMap(([, model]) => trainableVariablesOf(model)),
    ];
  }

  /** Nothing beyond the optimiser's step; methods with banks or queues update them here. */
  afterStep(_batch: MethodBatch, _info: StepInfo): void {}

  embed(images: tf.Tensor4D): tf.Tensor2D {
    return this.network.features(images, false);
  }

  async getState(): Promise<MethodState> {
    const state = await this.network.state();
    for (const [prefix, model] of this.sideModels)
      Object.assign(state, await modelState(prefix, model));
    return state;
  }

  setState(state: MethodState): void {
    this.network.load(state);
    for (const [prefix, model] of this.sideModels) loadModelState(prefix, model, state);
  }

  dispose(): void {
    this.network.dispose();
    for (const [, model] of this.sideModels) model.dispose();
  }
}
