/**
 * One optimisation step of any SSL method, the tfjs-examples pattern:
 * `variableGrads(() => tidy(loss))` → `applyGradients` → dispose → `afterStep` (EMA, queues, banks).
 * The tensor count is flat across steps (asserted in tests), so the trainer can loop forever.
 * `cachedTrainStep` (gradient-cache.ts) is the same step with the batch split into chunks.
 */
import { tf } from '../compute/tf';
import type { MethodBatch, SslMethod } from './methods/types';

/** Anything that applies a map of gradients: a tfjs optimiser, or the trainer's weight-decay wrapper. */
export type GradientApplier = Pick<tf.Optimizer, 'applyGradients'>;

/**
 * Applies `grads` (keyed by variable name) with every variable of `variables` present, in that order:
 * optimisers key their slots by position, so a variable without a gradient gets zeros rather than
 * being left out. Does not dispose `grads`.
 */
export function applyInOrder(optimizer: GradientApplier, variables: tf.Variable[], grads: tf.NamedTensorMap): void {
  const ordered: tf.NamedTensorMap = {};
  const fillers: tf.Tensor[] = [];
  for (const v of variables) {
    let g = grads[v.name];
    if (!g) {
      g = tf.zerosLike(v);
      fillers.push(g);
    }
    ordered[v.name] = g;
  }
  optimizer.applyGradients(ordered);
  tf.dispose(fillers);
}

/** Runs one step and returns the loss value (NaN/Infinity are returned, not thrown). */
export async function trainStep(method: SslMethod, optimizer: GradientApplier, batch: MethodBatch): Promise<number> {
  const variables = method.trainableVariables();
  const { value, grads } = tf.variableGrads(() => tf.tidy(() => method.loss(batch)), variables);
  applyInOrder(optimizer, variables, grads);
  // Read asynchronously: GPU backends (webgpu) have no synchronous readback in Node.
  const loss = (await value.data())[0] ?? NaN;
  tf.dispose([value, ...Object.values(grads)]);
  method.afterStep(batch, { loss });
  return loss;
}
