/**
 * Saving and restoring a run's full state through checkpoint files: method state (weights,
 * BatchNorm statistics, banks, queues, counters), optimiser slots and the loop position.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SslMethod } from '../ssl/methods/types';
import { readCheckpoint, writeCheckpoint, type Checkpoint, type CheckpointPosition, type NamedArray } from './checkpoints';
import type { TrainingOptimizer } from '../ssl/optimizers';
import type { CheckpointEvent } from './protocol';
import { tf } from '../compute/tf';

export function checkpointFile(dir: string, step: number): string {
  return join(dir, `step-${String(step).padStart(9, '0')}.cwbckpt`);
}

export async function saveCheckpoint(
  dir: string,
  position: CheckpointPosition,
  method: SslMethod,
  optimizer: TrainingOptimizer,
  extra: Record<string, unknown>,
): Promise<CheckpointEvent> {
  mkdirSync(dir, { recursive: true });
  const state = await method.getState();
  const methodArrays: NamedArray[] = Object.entries(state).map(([name, s]) => ({ name, shape: s.shape, data: s.data }));
  const weights = await optimizer.getWeights();
  const optimizerArrays: NamedArray[] = [];
  for (const w of weights) {
    optimizerArrays.push({ name: w.name, shape: w.tensor.shape, data: Float32Array.from(await w.tensor.data()) });
  }
  const path = checkpointFile(dir, position.step);
  const bytes = writeCheckpoint(path, { position, method: methodArrays, optimizer: optimizerArrays, extra });
  return { path, step: position.step, epoch: position.epoch, bytes };
}

/** Restore `method` (and `optimizer` when given) from a checkpoint file; returns its position. */
export async function loadCheckpointInto(file: string, method: SslMethod, optimizer?: TrainingOptimizer): Promise<Checkpoint> {
  const checkpoint = readCheckpoint(file);
  method.setState(Object.fromEntries(checkpoint.method.map((a) => [a.name, { shape: a.shape, data: a.data }])));
  if (optimizer && checkpoint.optimizer.length > 0) {
    const tensors = checkpoint.optimizer.map((a) => ({ name: a.name, tensor: tf.tensor(a.data, a.shape) }));
    try {
      await optimizer.setWeights(tensors);
    } finally {
      // setWeights copies into the optimiser's own variables; the "iter" scalar is read, not kept.
      tf.dispose(tensors.map((t) => t.tensor));
    }
  }
  return checkpoint;
}
