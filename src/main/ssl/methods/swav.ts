/**
 * SwAV: Swapping Assignments between Views (Caron et al. 2020, https://arxiv.org/abs/2006.09882).
 * Multi-crop views (large crops at the image size, small crops at `smallSize`) go through encoder +
 * head; features are scored against L2-normalised prototypes; each large crop's Sinkhorn codes are
 * predicted from every other crop (swapped prediction). Optional feature queue per large crop feeds
 * Sinkhorn more rows when batches are small; prototypes get zero gradient for the first
 * `freezePrototypesSteps` steps and are renormalised after every step.
 * State: network, prototypes, queue, step counter.
 */
import { tf } from '../../compute/tf';
import type { MethodConfigOf } from '../../../shared/schemas/method';
import { Prototypes } from '../heads/prototypes';
import { l2Normalize } from '../losses/normalize';
import { sinkhorn } from '../losses/sinkhorn';
import { stopGradient } from '../losses/stop-gradient';
import { swappedPredictionLoss } from '../losses/swav';
import { checkBatch } from './network';
import { OneNetworkMethod } from './one-network-method';
import { restoreScalar, restoreTensor, scalarState, tensorState } from './state';
import type { MethodBatch, MethodContext, MethodState, PrototypeAssignments } from './types';

export class SwavMethod extends OneNetworkMethod<MethodConfigOf<'swav'>> {
  readonly name = 'swav' as const;
  readonly prototypes: Prototypes;
  /** Per large crop: the most recent normalised features, newest first [queueSize, D]. */
  private queues: tf.Tensor2D[] = [];
  private queued = 0;
  private pending: tf.Tensor2D[] = [];
  private steps = 0;

  constructor(config: MethodConfigOf<'swav'>, context: MethodContext) {
    super(config, context, { variableInputSize: config.smallCrops > 0 });
    this.prototypes = new Prototypes(config.prototypes, this.network.outputDim, context.seed + 2);
    if (config.queueSize > 0) {
      this.queues = Array.from(
        { length: config.largeCrops },
        () => tf.zeros([config.queueSize, this.network.outputDim]) as tf.Tensor2D,
      );
    }
  }

  get stepsDone(): number {
    return this.steps;
  }

  override trainableVariables(): tf.Variable[] {
    return [...super.trainableVariables(), this.prototypes.weights];
  }

  loss(batch: MethodBatch): tf.Scalar {
    const { largeCrops, smallCrops, temperature, sinkhornEpsilon, sinkhornIterations } =
      this.config;
    const n = checkBatch(this.name, batch.views, batch.indices, largeCrops + smallCrops);
    return tf.tidy(() => {
      // One forward pass per resolution, as SwAV does, so BatchNorm sees all crops of a size.
      const z = [batch.views.slice(0, largeCrops), batch.views.slice(largeCrops)]
        .filter((group) => group.length > 0)
        .flatMap((group) => {
          const out = l2Normalize(this.network.project(tf.concat(group, 0) as tf.Tensor4D, true));
          return group.map((_, i) => tf.slice(out, [i * n, 0], [n, -1]));
        });
      const frozen = this.steps < this.config.freezePrototypesSteps;
      const weights = frozen ? stopGradient(this.prototypes.weights) : this.prototypes.weights;
      const scores = z.map((zi) => this.prototypes.scores(zi, weights));
      const useQueue = this.queues.length > 0 && this.queued >= this.config.queueSize;
      const codes = scores.slice(0, largeCrops).map((s, i) => {
        const queue = this.queues[i];
        if (!useQueue || !queue)
          return stopGradient(sinkhorn(s, sinkhornEpsilon, sinkhornIterations));
        const all = tf.concat(
          [tf.matMul(queue, this.prototypes.weights, false, true), s],
          0,
        ) as tf.Tensor2D;
        return stopGradient(
          tf.slice(
            sinkhorn(all, sinkhornEpsilon, sinkhornIterations),
            [this.config.queueSize, 0],
            [n, -1],
          ),
        );
      });
      if (this.queues.length > 0) this.stash(z.slice(0, largeCrops));
      return swappedPredictionLoss(codes, scores, temperature);
    });
  }

  override afterStep(): void {
    this.prototypes.normalize();
    if (this.pending.length > 0) {
      this.queues = this.queues.map((queue, i) => {
        const fresh = this.pending[i]!;
        const next = tf.tidy(() =>
          tf.slice(tf.concat([fresh, queue], 0), [0, 0], [this.config.queueSize, -1]),
        );
        queue.dispose();
        return next as tf.Tensor2D;
      });
      this.queued = Math.min(this.config.queueSize, this.queued + (this.pending[0]?.shape[0] ?? 0));
      tf.dispose(this.pending);
      this.pending = [];
    }
    this.steps += 1;
  }

  /** Argmax prototype and code entropy (nats) per image, inference mode, codes by Sinkhorn. */
  async assignments(images: tf.Tensor4D): Promise<PrototypeAssignments> {
    const codes = tf.tidy(() => {
      const q = sinkhorn(
        this.prototypes.scores(this.network.project(images, false)),
        this.config.sinkhornEpsilon,
        this.config.sinkhornIterations,
      );
      return tf.div(q, tf.sum(q, 1, true));
    });
    const [rows, p] = codes.shape as [number, number];
    const values = await codes.data();
    codes.dispose();
    const prototype = new Int32Array(rows);
    const entropy = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      let best = 0;
      let h = 0;
      for (let c = 0; c < p; c++) {
        const v = values[r * p + c] ?? 0;
        if (v > (values[r * p + best] ?? 0)) best = c;
        if (v > 0) h -= v * Math.log(v);
      }
      prototype[r] = best;
      entropy[r] = h;
    }
    return { prototype, entropy };
  }

  override async getState(): Promise<MethodState> {
    const state: MethodState = {
      ...(await super.getState()),
      prototypes: await tensorState(this.prototypes.weights),
      steps: scalarState(this.steps),
      queued: scalarState(this.queued),
    };
    for (const [i, q] of this.queues.entries()) state[`queue/${i}`] = await tensorState(q);
    return state;
  }

  override setState(state: MethodState): void {
    super.setState(state);
    const prototypes = restoreTensor(state, 'prototypes', [
      ...this.prototypes.weights.shape,
    ]) as tf.Tensor2D;
    this.prototypes.weights.assign(prototypes);
    prototypes.dispose();
    this.steps = restoreScalar(state, 'steps');
    this.queued = restoreScalar(state, 'queued');
    this.queues = this.queues.map((q, i) => {
      const restored = restoreTensor(state, `queue/${i}`, [...q.shape]) as tf.Tensor2D;
      q.dispose();
      return restored;
    });
  }

  override dispose(): void {
    tf.dispose([...this.pending, ...this.queues]);
    super.dispose();
    this.prototypes.dispose();
  }

  private stash(features: tf.Tensor2D[]): void {
    tf.dispose(this.pending);
    this.pending = features.map((f) => tf.keep(tf.clone(f)));
  }
}
