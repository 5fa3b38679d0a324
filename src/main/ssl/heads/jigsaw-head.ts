/**
 * PIRL's jigsaw branch head g(v_It) (Misra & van der Maaten 2019, https://arxiv.org/abs/1912.01991,
 * Sec. 3.2): each tile's encoder features go through a shared linear projection, the tile
 * projections are concatenated in tile order and mapped linearly to the embedding.
 *
 * Shapes: [B, T, F] (T = grid² tiles) → [B, outputDim].
 */
import { tf } from '../../compute/tf';
import { SeedSequence } from '../../random/index';

export interface JigsawHeadOptions {
  tiles: number;
  inputDim: number;
  tileUnits: number;
  outputDim: number;
  seed: number;
}

export function buildJigsawHead(opts: JigsawHeadOptions): tf.LayersModel {
  const seeds = new SeedSequence(opts.seed);
  const init = (): ReturnType<typeof tf.initializers.varianceScaling> =>
    tf.initializers.varianceScaling({
      scale: 1 / 3,
      mode: 'fanIn',
      distribution: 'uniform',
      seed: seeds.next(),
    });
  const input = tf.input({ shape: [opts.tiles, opts.inputDim], name: 'jigsaw_input' });
  const perTile = tf.layers
    .dense({ units: opts.tileUnits, kernelInitializer: init(), name: 'jigsaw_tile' })
    .apply(input) as tf.SymbolicTensor;
  const joined = tf.layers.flatten({ name: 'jigsaw_concat' }).apply(perTile) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({ units: opts.outputDim, kernelInitializer: init(), name: 'jigsaw_out' })
    .apply(joined) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'jigsaw_head' });
}
