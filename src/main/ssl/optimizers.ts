/**
 * Optimisers for the trainer: SGD with momentum, Adam, AdamW and LARS, each with weight decay, behind
 * one small interface (tfjs's optimisers have no weight decay and no LARS).
 *
 * - sgd / adam: coupled L2, g ← g + λw.
 * - adamw: decoupled decay (Loshchilov & Hutter 2017, arXiv:1711.05101), w ← w − η·λ·w before the Adam step.
 * - lars: You et al. 2017 (arXiv:1708.03888) as in SimCLR: g ← trust·(g + λw) with
 *   trust = η_t·‖w‖ / (‖g‖ + λ‖w‖), then SGD with momentum. Biases and BatchNorm parameters
 *   (rank ≤ 1) get neither decay nor trust scaling, as in SimCLR and BYOL.
 */
import type { OptimizerConfig } from '../../shared/schemas/experiment';
import { tf } from '../compute/tf';

/** An optimiser weight as tfjs's getWeights/setWeights exchange it. */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

export interface TrainingOptimizer {
  /** Apply one step of gradients (keys = variable names) at learning rate `lr`. */
  applyGradients(grads: tf.NamedTensorMap): void;
  setLearningRate(lr: number): void;
  getWeights(): Promise<NamedTensor[]>;
  setWeights(weights: NamedTensor[]): Promise<void>;
  dispose(): void;
}

function decays(v: tf.Variable): boolean {
  return v.rank > 1;
}

class WrappedOptimizer implements TrainingOptimizer {
  private lr: number;
  private readonly inner: tf.Optimizer;

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

  applyGradients(grads: tf.NamedTensorMap): void {
    const byName = new Map(this.variables().map((v) => [v.name, v]));
    const { name, weightDecay } = this.config;
    if (name === 'adamw' && weightDecay > 0) {
      for (const v of byName.values()) if (decays(v)) tf.tidy(() => v.assign(v.mul(1 - this.lr * weightDecay)));
    }
    const transformed = tf.tidy(() => {
      const out: tf.NamedTensorMap = {};
      for (const [key, g] of Object.entries(grads)) {
        const v = byName.get(key);
        if (!v || !decays(v) || name === 'adamw') {
          out[key] = g.clone();
          continue;
        }
        const decayed = weightDecay > 0 ? g.add(v.mul(weightDecay)) : g;
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
    this.inner.applyGradients(transformed);
    tf.dispose(Object.values(transformed));
  }

  getWeights(): Promise<NamedTensor[]> {
    return this.inner.getWeights();
  }

  setWeights(weights: NamedTensor[]): Promise<void> {
    return this.inner.setWeights(weights);
  }

  dispose(): void {
    this.inner.dispose();
  }
}

export function createOptimizer(config: OptimizerConfig, variables: () => tf.Variable[]): TrainingOptimizer {
  return new WrappedOptimizer(config, variables);
}
