/**
 * Optimisers for the trainer: SGD with momentum, Adam, AdamW and LARS, each with weight decay, behind
 * one small interface (tfjs's optimisers have no weight decay and no LARS).
 *
 * - sgd / adam: coupled L2, g ← g + λw.
 * - adamw: decoupled decay (Loshchilov & Hutter 2017, arXiv:1711.05101), w ← w − η·λ·w before the Adam step.
 * - lars: You et al. 2017 (arXiv:1708.03888) as in SimCLR: g ← trust·(g + λw) with
 *   trust = η_t·‖w‖ / (‖g‖ + λ‖w‖), then SGD with momentum. Biases and BatchNorm parameters
 *   (rank ≤ 1) get neither decay nor trust scaling, as in SimCLR and BYOL.
 *
 * A null gradient freezes its variable for the step, as PyTorch's `grad = None`: no decay, no
 * slot (momentum, Adam moments) change, no update. PyTorch's Adam counts steps per parameter, tfjs's
 * one for all: a variable that sat out s steps is then bias-corrected with its own count T − s, as in
 * PyTorch (without it, DINO's last layer would move up to 6.5× too far in the steps after its
 * freeze). The counts travel with the optimiser's weights (`FROZEN_STEPS`) through checkpoints.
 */
import type { OptimizerConfig } from '../../shared/schemas/experiment';
import { tf } from '../compute/tf';
import type { StepGradients } from './train-step';

/** An optimiser weight as tfjs's getWeights/setWeights exchange it. */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

export interface TrainingOptimizer {
  /** Apply one step of gradients (keys = variable names; null = frozen this step, skipped entirely). */
  applyGradients(grads: StepGradients): void;
  setLearningRate(lr: number): void;
  getWeights(): Promise<NamedTensor[]>;
  setWeights(weights: NamedTensor[]): Promise<void>;
  dispose(): void;
}

function decays(v: tf.Variable): boolean {
  return v.rank > 1;
}

/** The optimiser weight holding the frozen-step count of each variable, in `variables()` order. */
export const FROZEN_STEPS = 'cwb/frozen-steps';

/** What the per-variable bias correction reads of tfjs's Adam (fields of its AdamOptimizer). */
interface AdamInternals {
  beta1: number;
  beta2: number;
  epsilon: number;
  accumulatedFirstMoment: ({ variable: tf.Variable } | undefined)[];
  accumulatedSecondMoment: ({ variable: tf.Variable } | undefined)[];
}

class WrappedOptimizer implements TrainingOptimizer {
  private lr: number;
  private readonly inner: tf.Optimizer;
  /** Adam: steps each variable sat out frozen (absent = none). */
  private readonly frozenSteps = new Map<string, number>();

  constructor(
    private readonly config: OptimizerConfig,
    private readonly variables: () => tf.Variable[],
  ) {
    this.lr = config.learningRate;
    this.inner = config.name === 'adam' || config.name === 'adamw' ? tf.train.adam(this.lr) : tf.train.momentum(this.lr, config.momentum);
  }

  setLearningRate(lr: number): void {
    this.lr = lr;
    // Momentum (an SGDOptimizer) caches −lr in a kept scalar that only setLearningRate refreshes;
    // Adam reads its `learningRate` field on every step.
    const inner = this.inner as unknown as { learningRate: number; setLearningRate?: (lr: number) => void };
    if (inner.setLearningRate) inner.setLearningRate(lr);
    else inner.learningRate = lr;
  }

  applyGradients(grads: StepGradients): void {
    const byName = new Map(this.variables().map((v) => [v.name, v]));
    const { name, weightDecay } = this.config;
    if (name === 'adamw' && weightDecay > 0) {
      for (const v of byName.values()) if (decays(v) && grads[v.name] !== null) tf.tidy(() => v.assign(v.mul(1 - this.lr * weightDecay)));
    }
    const transformed = tf.tidy(() => {
      const out: tf.NamedTensorMap = {};
      for (const [key, g] of Object.entries(grads)) {
        if (g === null) continue;
        const v = byName.get(key);
        if (!v || !decays(v) || name === 'adamw') {
          out[key] = g.clone();
          continue;
        }
        // A clone, not g itself: the transformed map is disposed after the step, the caller's grads are not ours.
        const decayed = weightDecay > 0 ? g.add(v.mul(weightDecay)) : g.clone();
        if (name !== 'lars') {
          out[key] = decayed;
          continue;
        }
        const wNorm = tf.norm(v);
        const gNorm = tf.norm(g);
        const ratio = tf.div(wNorm.mul(this.config.trustCoefficient), gNorm.add(wNorm.mul(weightDecay)).add(1e-12));
        // No trust scaling when either norm is zero (fresh zero-initialised weights, dead gradients).
        const trust = tf.where(tf.logicalAnd(wNorm.greater(0), gNorm.greater(0)), ratio, tf.onesLike(ratio));
        out[key] = decayed.mul(trust);
      }
      return out;
    });
    // Every key in its order, frozen ones as null: the inner optimiser keys its slots by position.
    const keys = Object.keys(grads);
    const ordered: StepGradients = {};
    for (const key of keys) ordered[key] = transformed[key] ?? null;
    const adam = name === 'adam' || name === 'adamw';
    // Variables back from a freeze: their value before this step, to redo it with their own count.
    const rejoined = adam
      ? keys.flatMap((key) => {
          const v = byName.get(key);
          return v && ordered[key] !== null && (this.frozenSteps.get(key) ?? 0) > 0 ? [{ key, v, before: v.clone() }] : [];
        })
      : [];
    this.inner.applyGradients(ordered as tf.NamedTensorMap);
    tf.dispose(Object.values(transformed));
    if (adam) for (const key of keys) if (ordered[key] === null) this.frozenSteps.set(key, (this.frozenSteps.get(key) ?? 0) + 1);
    for (const { key, v, before } of rejoined) {
      this.ownAdamStep(key, keys.indexOf(key), before, v);
      before.dispose();
    }
  }

  /**
   * Redo the Adam step of a variable that sat out frozen steps with its own step count k = T − s:
   * w ← w_before − lr · (m / (1 − β1^k)) / (√(v / (1 − β2^k)) + ε), m and v the slots tfjs just
   * updated (its step used the global T). PyTorch's Adam/AdamW step, `state['step']` per parameter.
   */
  private ownAdamStep(key: string, slot: number, before: tf.Tensor, variable: tf.Variable): void {
    const adam = this.inner as unknown as AdamInternals;
    const m = adam.accumulatedFirstMoment[slot]?.variable;
    const v = adam.accumulatedSecondMoment[slot]?.variable;
    if (!m || !v) throw new Error(`optimizer: no Adam slot ${slot} for ${key}`);
    const k = this.inner.iterations - (this.frozenSteps.get(key) ?? 0);
    tf.tidy(() => {
      const mHat = tf.div(m, 1 - adam.beta1 ** k);
      const vHat = tf.div(v, 1 - adam.beta2 ** k);
      variable.assign(tf.sub(before, tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), adam.epsilon)), this.lr)));
    });
  }

  async getWeights(): Promise<NamedTensor[]> {
    const weights = await this.inner.getWeights();
    if (![...this.frozenSteps.values()].some((n) => n > 0)) return weights;
    const counts = this.variables().map((v) => this.frozenSteps.get(v.name) ?? 0);
    return [...weights, { name: FROZEN_STEPS, tensor: tf.tensor1d(counts) }];
  }

  async setWeights(weights: NamedTensor[]): Promise<void> {
    this.frozenSteps.clear();
    const own = weights.find((w) => w.name === FROZEN_STEPS);
    if (own) {
      const counts = await own.tensor.data();
      this.variables().forEach((v, i) => {
        const n = counts[i] ?? 0;
        if (n > 0) this.frozenSteps.set(v.name, n);
      });
    }
    await this.inner.setWeights(weights.filter((w) => w !== own));
  }

  dispose(): void {
    this.inner.dispose();
  }
}

export function createOptimizer(config: OptimizerConfig, variables: () => tf.Variable[]): TrainingOptimizer {
  return new WrappedOptimizer(config, variables);
}
