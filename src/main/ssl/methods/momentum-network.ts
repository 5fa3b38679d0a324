/**
 * A non-trained EMA copy of a `Network` — the target of BYOL and the teacher of DINO (MoCo's key
 * network is the same idea). Starts as an exact copy of the online network, is never optimised,
 * and follows it by θ_target ← m·θ_target + (1 − m)·θ_online after each step.
 */
import type { tf } from '../../compute/tf';
import { copyWeights, emaUpdate, matchedVariables } from './ema';
import { Network, type NetworkOptions } from './network';

export class MomentumNetwork {
  readonly network: Network;
  private readonly variables: tf.Variable[];

  constructor(
    private readonly online: Network,
    opts: NetworkOptions,
  ) {
    this.network = new Network(opts);
    copyWeights(this.network.encoder, online.encoder);
    copyWeights(this.network.head, online.head);
    this.network.encoder.trainable = false;
    this.network.head.trainable = false;
    this.variables = matchedVariables(
      [this.network.encoder, this.network.head],
      [online.encoder, online.head],
    );
  }

  /** Follow the online network with momentum m. */
  update(momentum: number): void {
    emaUpdate(this.variables, this.online.variables(), momentum);
  }
}
