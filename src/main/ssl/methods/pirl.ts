/**
 * PIRL: Pretext-Invariant Representation Learning (Misra & van der Maaten 2019,
 * https://arxiv.org/abs/1912.01991). The representation of an image, f(v_I), and of its jigsaw
 * version, g(v_It) (encoder applied per tile, tile features combined by the jigsaw head), are both
 * pulled towards the image's memory-bank entry m_I and pushed from sampled bank entries:
 * L = λ·L_NCE(m_I, g(v_It)) + (1 − λ)·L_NCE(m_I, f(v_I)) (Eq. 5, InfoNCE form). The bank tracks
 * f(v_I) with momentum. State: network, jigsaw head, bank, sampler position.
 */
import { tf } from '../../compute/tf';
import type { MethodConfigOf } from '../../../shared/schemas/method';
import { featureDim } from '../encoders/index';
import { buildJigsawHead } from '../heads/jigsaw-head';
import { infoNCELoss } from '../losses/infonce';
import { InstanceBank } from './instance-bank';
import { checkBatch } from './network';
import { OneNetworkMethod } from './one-network-method';
import { SeededRng } from '../../random/index';
import { restoreTensor, restoreUint32, tensorState, uint32State } from './state';
import type { MethodBatch, MethodContext, MethodState } from './types';

export class PirlMethod extends OneNetworkMethod<MethodConfigOf<'pirl'>> {
  readonly name = 'pirl' as const;
  private readonly jigsawHead: tf.LayersModel;
  private readonly bank: InstanceBank;
  private readonly random: SeededRng;
  private readonly tiles: number;

  constructor(config: MethodConfigOf<'pirl'>, context: MethodContext) {
    // Jigsaw tiles are smaller than the image: the encoder takes any input size.
    super(config, context, { variableInputSize: true });
    this.tiles = config.jigsaw.grid * config.jigsaw.grid;
    this.jigsawHead = buildJigsawHead({
      tiles: this.tiles,
      inputDim: featureDim(this.network.encoder),
      tileUnits: config.jigsaw.tileUnits,
      outputDim: this.network.outputDim,
      seed: context.seed + 2,
    });
    this.sideModels = [['jigsaw', this.jigsawHead]];
    this.bank = new InstanceBank(context.datasetSize, this.network.outputDim, context.seed + 3);
    this.random = new SeededRng(context.seed + 4);
  }

  loss(batch: MethodBatch): tf.Scalar {
    const n = checkBatch(this.name, batch.views, batch.indices, 2, [1, this.tiles]);
    const { temperature, lambda } = this.config;
    const negativeCount = Math.min(this.config.negatives, this.bank.size);
    return tf.tidy(() => {
      const image = this.network.project(batch.views[0]!, true);
      const tileFeatures = this.network.features(batch.views[1]!, true);
      const jigsaw = this.jigsawHead.apply(tf.reshape(tileFeatures, [n, this.tiles, -1]), {
        training: true,
      }) as tf.Tensor2D;
      this.bank.stage(image);
      const positives = this.bank.rows(batch.indices);
      const negatives = this.bank.sampleNegatives(negativeCount, this.random);
      return tf.add(
        tf.mul(lambda, infoNCELoss(jigsaw, positives, negatives, temperature)),
        tf.mul(1 - lambda, infoNCELoss(image, positives, negatives, temperature)),
      ) as tf.Scalar;
    });
  }

  override afterStep(batch: MethodBatch): void {
    this.bank.commitStaged(batch.indices, this.config.bankMomentum);
  }

  override async getState(): Promise<MethodState> {
    return {
      ...(await super.getState()),
      bank: await tensorState(this.bank.entries),
      random: uint32State(this.random.position),
    };
  }

  override setState(state: MethodState): void {
    super.setState(state);
    const bank = restoreTensor(state, 'bank', [this.bank.size, this.bank.dim]) as tf.Tensor2D;
    this.bank.replace(bank);
    bank.dispose();
    this.random.position = restoreUint32(state, 'random');
  }

  override dispose(): void {
    super.dispose();
    this.bank.dispose();
  }
}
