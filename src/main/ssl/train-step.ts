/**
 * One optimisation step of any SSL method, the tfjs-examples pattern:
 * `variableGrads(() => tidy(loss))` → `applyGradients` → dispose → `afterStep` (EMA, queues, banks).
 * The tensor count is flat across steps (asserted in tests), so the trainer can loop forever.
 */
import { tf } from '../engine/tf';
import type { MethodBatch, SslMethod } from './methods/types';

/** Runs one step and returns the loss value (NaN/Infinity are returned, not thrown). */
/** Anything that applies a map of gradients: a tfjs optimiser, or the trainer's weight-decay wrapper. */
export type GradientApplier = Pick<tf.Optimizer, 'applyGradients'>;

export async function trainStep(method: SslMethod, optimizer: GradientApplier, batch: MethodBatch): Promise<number> {
  const variables = method.trainableVariables();
  const { value, grads } = tf.variableGrads(() => tf.tidy(() => method.loss(batch)), variables);
  // Optimisers key their slots by position, so every variable gets a gradient, in a fixed order.
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
  // Read asynchronously: GPU backends (webgpu) have no synchronous readback in Node.
  const loss = (await value.data())[0] ?? NaN;
  tf.dispose([value, ...Object.values(grads), ...fillers]);
  method.afterStep(batch, { loss });
  return loss;
}
