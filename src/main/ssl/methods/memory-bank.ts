/**
 * Memory-bank instance discrimination, InstDisc / NPID (Wu et al. 2018,
 * https://arxiv.org/abs/1805.01978): every image is its own class, represented by a bank entry.
 * A view's embedding is pulled to its image's entry and pushed from K entries sampled from the bank
 * (InfoNCE form of the paper's NCE); the batch's entries then move towards the new embeddings with
 * momentum. State: the bank [datasetSize, D] and the sampler position.
 */
import { tf } from '../../compute/tf';
import type { MethodConfigOf } from '../../../shared/schemas/method';
import { infoNCELoss } from '../losses/infonce';
import { InstanceBank } from './instance-bank';
import { checkBatch } from './network';
import { OneNetworkMethod } from './one-network-method';
import { SeededRng } from '../../random/index';
import { restoreTensor, restoreUint32, tensorState, uint32State } from './state';
import type { MethodBatch, MethodContext, MethodState } from './types';

export class MemoryBankMethod extends OneNetworkMethod<MethodConfigOf<'memory-bank'>> {
  readonly name = 'memory-bank' as const;
  private readonly bank: InstanceBank;
  private readonly random: SeededRng;

  constructor(config: MethodConfigOf<'memory-bank'>, context: MethodContext) {
    super(config, context);
    this.bank = new InstanceBank(context.datasetSize, this.network.outputDim, context.seed + 2);
    this.random = new SeededRng(context.seed + 3);
  }

  loss(batch: MethodBatch): tf.Scalar {
    checkBatch(this.name, batch.views, batch.indices, 1);
    const negatives = Math.min(this.config.negatives, this.bank.size);
    return tf.tidy(() => {
      const q = this.network.project(batch.views[0]!, true);
      this.bank.stage(q);
      return infoNCELoss(
        q,
        this.bank.rows(batch.indices),
        this.bank.sampleNegatives(negatives, this.random),
        this.config.temperature,
      );
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
