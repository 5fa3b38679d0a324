/**
 * The small convolutional decoder of the generative baseline (`autoencoder`): latent [B, L] →
 * Dense(s₀·s₀·c, ReLU) → reshape [s₀, s₀, c] → u × (4×4 transposed conv, stride 2, ReLU, channels
 * halved) → 3×3 conv to the image's channels (linear) → cropped to [B, S, S, C]. u is the largest
 * count ≤ 4 that keeps s₀ = ⌈S / 2ᵘ⌉ ≥ 4 (S = 8 → u = 1; 32 → 3; 224 → 4), so the dense layer stays
 * small. Kernels seeded like the heads' (U(±1/√fan_in)), so the same seed gives the same decoder.
 */
import { tf } from '../../compute/tf';
import { SeedSequence } from '../../random/index';

export interface DecoderOptions {
  latentDim: number;
  imageSize: number;
  channels: number;
  /** Channels of the first feature map, halved (≥ 4) at each upsampling. */
  baseChannels: number;
  seed: number;
  name: string;
}

/** The upsampling count and starting side for an S×S output. */
export function decoderLayout(imageSize: number): { upsamplings: number; start: number } {
  let upsamplings = 0;
  while (upsamplings < 4 && Math.ceil(imageSize / 2 ** (upsamplings + 1)) >= 4) upsamplings++;
  return { upsamplings, start: Math.ceil(imageSize / 2 ** upsamplings) };
}

export function buildConvDecoder(opts: DecoderOptions): tf.LayersModel {
  const seeds = new SeedSequence(opts.seed);
  const init = (): ReturnType<typeof tf.initializers.varianceScaling> =>
    tf.initializers.varianceScaling({
      scale: 1 / 3,
      mode: 'fanIn',
      distribution: 'uniform',
      seed: seeds.next(),
    });
  const { upsamplings, start } = decoderLayout(opts.imageSize);
  const input = tf.input({ shape: [opts.latentDim], name: `${opts.name}_input` });
  let channels = opts.baseChannels;
  let x = tf.layers
    .dense({
      units: start * start * channels,
      activation: 'relu',
      kernelInitializer: init(),
      name: `${opts.name}_dense`,
    })
    .apply(input) as tf.SymbolicTensor;
  x = tf.layers
    .reshape({ targetShape: [start, start, channels], name: `${opts.name}_reshape` })
    .apply(x) as tf.SymbolicTensor;
  for (let i = 0; i < upsamplings; i++) {
    channels = Math.max(4, Math.floor(channels / 2));
    // A learned 2× upsampling (4×4 transposed conv, stride 2): tfjs-layers' upSampling2d backprops
    // differently on wasm than on cpu (ResizeNearestNeighborGrad), transposed convs do not.
    x = tf.layers
      .conv2dTranspose({
        filters: channels,
        kernelSize: 4,
        strides: 2,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(),
        name: `${opts.name}_up${i + 1}`,
      })
      .apply(x) as tf.SymbolicTensor;
  }
  x = tf.layers
    .conv2d({
      filters: opts.channels,
      kernelSize: 3,
      padding: 'same',
      kernelInitializer: init(),
      name: `${opts.name}_out`,
    })
    .apply(x) as tf.SymbolicTensor;
  const excess = start * 2 ** upsamplings - opts.imageSize;
  if (excess > 0) {
    x = tf.layers
      .cropping2D({
        cropping: [
          [0, excess],
          [0, excess],
        ],
        name: `${opts.name}_crop`,
      })
      .apply(x) as tf.SymbolicTensor;
  }
  return tf.model({ inputs: input, outputs: x, name: opts.name });
}
