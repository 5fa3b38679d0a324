/**
 * The generative baseline the contrastive survey compares against (Jaiswal et al. 2020,
 * https://arxiv.org/abs/2011.00362, Sec. 2): the same encoder plus the head as a bottleneck, a small
 * convolutional decoder, pixel MSE against the clean view. `corruption` picks the variant: `none`
 * (plain autoencoder), `noise` (denoising, Vincent et al. 2008: x + N(0, σ²)), `mask` (masked
 * patches, the input-side idea of Pathak et al. 2016 / He et al. 2022: a seeded fraction of p×p
 * patches zeroed; the loss covers the whole image). Corruption draws come from a seeded PRNG kept in
 * the state, so a resumed run corrupts exactly as an uninterrupted one.
 * State: network, decoder, PRNG position.
 */
import { tf } from '../../compute/tf';
import type { MethodConfigOf } from '../../../shared/schemas/method';
import { buildConvDecoder } from '../heads/conv-decoder';
import { checkBatch } from './network';
import { OneNetworkMethod } from './one-network-method';
import { SeededRng, tfSeed } from '../../random/index';
import { restoreUint32, uint32State } from './state';
import type { MethodBatch, MethodContext, MethodState } from './types';

export class AutoencoderMethod extends OneNetworkMethod<MethodConfigOf<'autoencoder'>> {
  readonly name = 'autoencoder' as const;
  private readonly decoder: tf.LayersModel;
  private readonly random: SeededRng;

  constructor(config: MethodConfigOf<'autoencoder'>, context: MethodContext) {
    super(config, context);
    this.decoder = buildConvDecoder({
      latentDim: this.network.outputDim,
      imageSize: context.imageSize,
      channels: context.channels,
      baseChannels: config.decoderChannels,
      seed: context.seed + 2,
      name: 'decoder',
    });
    this.sideModels = [['decoder', this.decoder]];
    this.random = new SeededRng(context.seed + 3);
  }

  /** The encoder's input for clean images x [B, S, S, C] (no gradient flows into it). */
  corrupt(x: tf.Tensor4D): tf.Tensor4D {
    const { corruption, noiseStd, maskRatio, maskPatch } = this.config;
    if (corruption === 'none') return tf.clone(x);
    const seed = this.random.int(2 ** 31);
    return tf.tidy(() => {
      const [b, h, w] = x.shape;
      if (corruption === 'noise')
        return tf.add(x, tf.randomNormal(x.shape, 0, noiseStd, 'float32', tfSeed(seed)));
      const [gh, gw] = [Math.ceil(h / maskPatch), Math.ceil(w / maskPatch)];
      const keep = tf.cast(
        tf.greaterEqual(tf.randomUniform([b, gh, gw, 1], 0, 1, 'float32', tfSeed(seed)), maskRatio),
        'float32',
      );
      const full = tf.image.resizeNearestNeighbor(keep as tf.Tensor4D, [
        gh * maskPatch,
        gw * maskPatch,
      ]);
      return tf.mul(x, tf.slice(full, [0, 0, 0, 0], [b, h, w, 1]));
    });
  }

  /** Reconstruction of (already corrupted) inputs [B, S, S, C]; BatchNorm per `training`. */
  reconstruct(input: tf.Tensor4D, training: boolean): tf.Tensor4D {
    return tf.tidy(
      () => this.decoder.apply(this.network.project(input, training), { training }) as tf.Tensor4D,
    );
  }

  loss(batch: MethodBatch): tf.Scalar {
    checkBatch(this.name, batch.views, batch.indices, 1);
    const clean = batch.views[0]!;
    const input = this.corrupt(clean);
    const loss = tf.tidy(() => tf.mean(tf.squaredDifference(this.reconstruct(input, true), clean)));
    input.dispose();
    return loss as tf.Scalar;
  }

  override async getState(): Promise<MethodState> {
    return { ...(await super.getState()), random: uint32State(this.random.position) };
  }

  override setState(state: MethodState): void {
    super.setState(state);
    this.random.position = restoreUint32(state, 'random');
  }
}
