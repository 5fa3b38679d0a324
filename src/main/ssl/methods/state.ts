/**
 * Converting method state (model weights, BatchNorm statistics, banks, queues, counters) to and from
 * plain typed arrays, the only thing that crosses the engine-worker boundary and goes to checkpoints.
 */
import { tf } from '../../compute/tf';
import type { MethodState, TensorState } from './types';

/** Asynchronous read: GPU backends (webgpu) cannot read tensors synchronously in Node. */
export async function tensorState(t: tf.Tensor): Promise<TensorState> {
  return { shape: [...t.shape], data: Float32Array.from(await t.data()) };
}

export function scalarState(value: number): TensorState {
  return { shape: [], data: Float32Array.of(value) };
}

/** A uint32 (PRNG position) as two exact 16-bit halves: float32 cannot hold 32 bits. */
export function uint32State(value: number): TensorState {
  return { shape: [2], data: Float32Array.of(Math.floor(value / 65536), value % 65536) };
}

export function restoreUint32(state: MethodState, key: string): number {
  const [hi = 0, lo = 0] = requireState(state, key, [2]).data;
  return hi * 65536 + lo;
}

/** The entry `key` of `state`, checked against the expected shape. */
export function requireState(state: MethodState, key: string, shape?: number[]): TensorState {
  const entry = state[key];
  if (!entry) throw new RangeError(`setState: missing entry "${key}"`);
  if (
    shape &&
    (entry.shape.length !== shape.length || entry.shape.some((d, i) => d !== shape[i]))
  ) {
    throw new RangeError(
      `setState: "${key}" has shape [${entry.shape.join(', ')}], expected [${shape.join(', ')}]`,
    );
  }
  const size = entry.shape.reduce((a, b) => a * b, 1);
  if (entry.data.length !== size)
    throw new RangeError(
      `setState: "${key}" holds ${entry.data.length} values for shape [${entry.shape.join(', ')}]`,
    );
  return entry;
}

export function restoreTensor(state: MethodState, key: string, shape: number[]): tf.Tensor {
  const entry = requireState(state, key, shape);
  return tf.tensor(entry.data, shape, 'float32');
}

export function restoreScalar(state: MethodState, key: string): number {
  return requireState(state, key, []).data[0] ?? 0;
}

/** Every weight of `model` (trainable and BatchNorm moving statistics) under `prefix/`. */
export async function modelState(prefix: string, model: tf.LayersModel): Promise<MethodState> {
  const out: MethodState = {};
  for (const w of model.weights) out[`${prefix}/${w.originalName}`] = await tensorState(w.read());
  return out;
}

export function loadModelState(prefix: string, model: tf.LayersModel, state: MethodState): void {
  for (const w of model.weights) {
    const t = restoreTensor(state, `${prefix}/${w.originalName}`, [...w.shape] as number[]);
    w.write(t);
    t.dispose();
  }
}

/** The tf.Variables behind a model's trainable weights, in a fixed order. */
export function trainableVariablesOf(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}
