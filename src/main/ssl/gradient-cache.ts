/**
 * Gradient caching: a contrastive step over a batch too large to back-propagate at once.
 * Gao, Zhang, Han & Callan 2021, "Scaling Deep Contrastive Learning Batch Size under Memory Limited
 * Setup", https://arxiv.org/abs/2101.06983.
 *
 * The loss L(z) couples all R rows of the batch but depends on the weights θ only through the
 * embeddings z [R, D], so dL/dθ = Σ_k (∂z_k/∂θ)ᵀ · dL/dz_k over chunks k of rows:
 *   1. forward every chunk without a gradient tape, keep only z_k;
 *   2. L and g = dL/dz over the whole batch (cheap: R×R similarities);
 *   3. per chunk, forward again under the tape and back-propagate the surrogate Σ z_k ⊙ g_k
 *      (its gradient w.r.t. z_k is exactly g_k), adding the weight gradients up;
 *   4. apply the sum once, as `trainStep` does.
 * Peak activation memory is that of one chunk; the price is a second forward of every view.
 *
 * BatchNorm normalises each chunk with the chunk's own statistics (per-device BN without SyncBN), so
 * the step is exact for that per-chunk-BN network, not for one that normalises the whole batch. The
 * moving statistics are updated once per chunk, by the first pass; the recompute restores them.
 * Nothing in the forward is random (the views are built before the step), so both passes compute
 * the same z_k. Details in docs/ssl.md.
 */
import { tf } from '../compute/tf';
import type { EmbeddingLoss, MethodBatch, SslMethod } from './methods/types';
import { applyInOrder, type GradientApplier } from './train-step';

export interface CachedGradients {
  /** The batch loss, computed from the first pass's embeddings. */
  loss: tf.Scalar;
  /** Summed weight gradients keyed by variable name (a variable no chunk reaches is absent). */
  grads: tf.NamedTensorMap;
}

function splitOf(method: SslMethod): EmbeddingLoss {
  if (!method.embeddingLoss) {
    throw new RangeError(
      `gradient caching applies to end-to-end methods (simclr) only; ${method.name}'s loss is not a function of the batch's embeddings alone`,
    );
  }
  return method.embeddingLoss;
}

function checkChunk(rows: number, chunkSize: number): void {
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > rows || rows % chunkSize !== 0) {
    throw new RangeError(`gradient caching: chunkSize ${chunkSize} must be an integer dividing the ${rows} views of the batch`);
  }
}

/** Runs `fn` and puts every BatchNorm moving mean / variance of `models` back as it was before. */
function withoutMovingStatisticUpdates<T>(models: tf.LayersModel[], fn: () => T): T {
  const weights = models.flatMap((m) => m.nonTrainableWeights);
  const saved = weights.map((w) => w.read().clone());
  try {
    return fn();
  } finally {
    weights.forEach((w, i) => w.write(saved[i]!));
    tf.dispose(saved);
  }
}

/**
 * The loss and weight gradients of one batch, `chunkSize` rows at a time (rows: `embeddingLoss.rows`,
 * 2N for SimCLR). With chunkSize = all rows it is the plain step's gradient. Call outside any tape;
 * the caller disposes `loss` and `grads`.
 */
export function cachedGradients(method: SslMethod, batch: MethodBatch, chunkSize: number): CachedGradients {
  const split = splitOf(method);
  const variables = method.trainableVariables();
  const rows = split.rows(batch);
  try {
    const total = rows.shape[0];
    checkChunk(total, chunkSize);
    const chunks = total / chunkSize;
    const chunkOf = (t: tf.Tensor, k: number): tf.Tensor => {
      const begin = t.shape.map((_, axis) => (axis === 0 ? k * chunkSize : 0));
      const size = t.shape.map((_, axis) => (axis === 0 ? chunkSize : -1));
      return tf.slice(t, begin, size);
    };

    // 1. No tape: each chunk's activations are freed as soon as its embeddings exist. This pass is
    //    the one that moves the BatchNorm statistics (once per chunk).
    const z = tf.tidy(() =>
      tf.concat(Array.from({ length: chunks }, (_, k) => split.project(chunkOf(rows, k) as tf.Tensor4D)), 0),
    );
    // 2. The loss over the whole batch and its gradient w.r.t. the embeddings only.
    let loss: tf.Scalar;
    let dz: tf.Tensor2D;
    try {
      const result = tf.valueAndGrad((e: tf.Tensor2D) => split.fromEmbeddings(e, batch))(z);
      loss = result.value;
      dz = result.grad as tf.Tensor2D;
    } finally {
      z.dispose();
    }

    // 3. Recompute each chunk under the tape; Σ z_k ⊙ g_k back-propagates exactly g_k into the network.
    const sums: (tf.Tensor | undefined)[] = variables.map(() => undefined);
    try {
      withoutMovingStatisticUpdates(split.models(), () => {
        for (let k = 0; k < chunks; k += 1) {
          const { value, grads } = tf.variableGrads(
            () =>
              tf.tidy(() => {
                const zk = split.project(chunkOf(rows, k) as tf.Tensor4D);
                return tf.sum(tf.mul(zk, chunkOf(dz, k)));
              }),
            variables,
          );
          value.dispose();
          variables.forEach((v, i) => {
            const g = grads[v.name];
            if (!g) return;
            const before = sums[i];
            sums[i] = before ? tf.add(before, g) : g;
            if (before) tf.dispose([before, g]);
          });
        }
      });
    } catch (err) {
      tf.dispose([loss, ...sums.filter((s): s is tf.Tensor => s !== undefined)]);
      throw err;
    } finally {
      dz.dispose();
    }
    const grads: tf.NamedTensorMap = {};
    variables.forEach((v, i) => {
      const s = sums[i];
      if (s) grads[v.name] = s;
    });
    return { loss, grads };
  } finally {
    rows.dispose();
  }
}

/** `trainStep` with gradient caching: the same update, activation memory of one chunk. */
export async function cachedTrainStep(
  method: SslMethod,
  optimizer: GradientApplier,
  batch: MethodBatch,
  chunkSize: number,
): Promise<number> {
  const { loss, grads } = cachedGradients(method, batch, chunkSize);
  try {
    applyInOrder(optimizer, method.trainableVariables(), grads, method.frozenVariables?.());
    // Read asynchronously: GPU backends (webgpu) have no synchronous readback in Node.
    const value = (await loss.data())[0] ?? NaN;
    method.afterStep(batch, { loss: value });
    return value;
  } finally {
    tf.dispose([loss, ...Object.values(grads)]);
  }
}
