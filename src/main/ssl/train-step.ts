/**
 * One optimisation step of any SSL method, the tfjs-examples pattern:
 * `variableGrads(() => tidy(loss))` → `applyGradients` → dispose → `afterStep` (EMA, queues, banks).
 * The tensor count is flat across steps (asserted in tests), so the trainer can loop forever.
 * `cachedTrainStep` (gradient-cache.ts) is the same step with the batch split into chunks.
 */
import { tf } from '../compute/tf';
import type { MethodBatch, SslMethod } from './methods/types';

/**
 * Gradients keyed by variable name; `null` marks a frozen variable, which the optimiser skips
 * entirely (tfjs's Adam and momentum optimisers skip a null gradient and keep its slot position).
 */
export type StepGradients = Record<string, tf.Tensor | null>;

/** Anything that applies a map of gradients: a tfjs optimiser, or the trainer's weight-decay wrapper. */
export type GradientApplier = Pick<tf.Optimizer, 'applyGradients'> | { applyGradients(grads: StepGradients): void };

/**
 * Applies `grads` (keyed by variable name) with every variable of `variables` present, in that order:
 * optimisers key their slots by position, so a variable without a gradient gets zeros rather than
 * being left out, and a `frozen` one gets null — no update, no slot change, no weight decay.
 * Does not dispose `grads`.
 */
export function applyInOrder(optimizer: GradientApplier, variables: tf.Variable[], grads: tf.NamedTensorMap, frozen: readonly tf.Variable[] = []): void {
  const skip = new Set(frozen.map((v) => v.name));
  const ordered: StepGradients = {};
  const fillers: tf.Tensor[] = [];
  for (const v of variables) {
    if (skip.has(v.name)) {
      ordered[v.name] = null;
      continue;
    }
    let g = grads[v.name];
    if (!g) {
      g = tf.zerosLike(v);
      fillers.push(g);
    }
    ordered[v.name] = g;
  }
  // tfjs types the map without nulls, but its optimisers test each entry for null and skip it.
  optimizer.applyGradients(ordered as tf.NamedTensorMap);
  tf.dispose(fillers);
}

/** Runs one step and returns the loss value (NaN/Infinity are returned, not thrown). */
export async function trainStep(method: SslMethod, optimizer: GradientApplier, batch: MethodBatch): Promise<number> {
  const variables = method.trainableVariables();
  const { value, grads } = tf.variableGrads(() => tf.tidy(() => method.loss(batch)), variables);
  applyInOrder(optimizer, variables, grads, method.frozenVariables?.());
  // Read asynchronously: GPU backends (webgpu) have no synchronous readback in Node.
  const loss = (await value.data())[0] ?? NaN;
  tf.dispose([value, ...Object.values(grads)]);
  method.afterStep(batch, { loss });
  return loss;
}
