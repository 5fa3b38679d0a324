/**
 * Projection heads built from a list of blocks (lightly's `ProjectionHead` idea): each block is
 * Dense(units, bias) → optional BatchNorm → ReLU or nothing. Presets in `resources/presets/methods`:
 * SimCLR [512 BN ReLU, 128] (Chen et al. 2020, https://arxiv.org/abs/2002.05709), MoCo v2
 * [512 ReLU, 128] (Chen et al. 2020, https://arxiv.org/abs/2003.04297), MoCo v1 / NPID [128].
 *
 * Shapes: [B, F] → [B, units of the last block] (or [B, K] with DINO's weight-normalised last layer,
 * heads/weight-norm-linear.ts). Returned as a functional `tf.LayersModel`.
 * Dense kernels use PyTorch's default `Linear` init, U(±1/√fan_in), seeded.
 */
import { tf } from '../../compute/tf';
import type { HeadBlock } from '../../../shared/schemas/method';
import { batchNormalization } from '../encoders/batch-norm';
import { SeedSequence } from '../../random/index';
import { WeightNormLinear } from './weight-norm-linear';

export interface HeadOptions {
  inputDim: number;
  blocks: HeadBlock[];
  seed: number;
  batchNormMomentum: number;
  name: string;
  /** DINO: after the blocks, L2-normalise and apply a weight-normalised layer of this many units (g = 1, no bias). */
  normalizedLastLayer?: number;
}

export function buildProjectionHead(opts: HeadOptions): tf.LayersModel {
  if (opts.blocks.length === 0)
    throw new RangeError('buildProjectionHead: need at least one block');
  const seeds = new SeedSequence(opts.seed);
  const input = tf.input({ shape: [opts.inputDim], name: `${opts.name}_input` });
  let x: tf.SymbolicTensor = input;
  opts.blocks.forEach((block, i) => {
    x = tf.layers
      .dense({
        units: block.units,
        useBias: block.bias,
        kernelInitializer: tf.initializers.varianceScaling({
          scale: 1 / 3,
          mode: 'fanIn',
          distribution: 'uniform',
          seed: seeds.next(),
        }),
        name: `${opts.name}_dense${i + 1}`,
      })
      .apply(x) as tf.SymbolicTensor;
    if (block.batchNorm) {
      x = batchNormalization({
        momentum: opts.batchNormMomentum,
        epsilon: 1e-5,
        name: `${opts.name}_bn${i + 1}`,
      }).apply(x) as tf.SymbolicTensor;
    }
    if (block.activation === 'relu')
      x = tf.layers.reLU({ name: `${opts.name}_relu${i + 1}` }).apply(x) as tf.SymbolicTensor;
  });
  if (opts.normalizedLastLayer !== undefined) {
    x = new WeightNormLinear({
      units: opts.normalizedLastLayer,
      seed: seeds.next(),
      name: `${opts.name}_last`,
    }).apply(x) as tf.SymbolicTensor;
  }
  return tf.model({ inputs: input, outputs: x, name: opts.name });
}
