/**
 * Encoder weights crossing between the engines, in the engine worker:
 * - `adoptTorchEncoder`: a PyTorch run's encoder.safetensors (keyed like the generated project's
 *   models.ResNet) loaded into the run's tfjs method, checked on the fixed probe input against the
 *   features PyTorch computed (max |diff| ≤ 1e-4 · max(1, max |feature|), else an error), and written as a workbench
 *   checkpoint, so kNN, linear probe, embeddings and every export read it like a tfjs run's.
 * - `exportSafetensors`: a run's tfjs encoder as safetensors keyed like models.ResNet (for
 *   `train.py --init-from`).
 * The encoder travels, and the tensors a method's later views read (the autoencoder's head and
 * decoder, for its reconstruction preview) when train.py wrote them; other heads, banks, queues
 * and prototypes of the tfjs method keep their initial values (nothing downstream reads them).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { WorkbenchError } from '../../shared/errors';
import { tf } from '../compute/tf';
import { encoderPlan } from '../export/pytorch/plan';
import { torchToTfjsMethod } from '../export/pytorch/method-weights';
import { tfjsToTorchEncoder, torchToTfjsEncoder } from '../export/pytorch/weights';
import { encodeSafetensors, readSafetensors, type NamedTensor } from '../export/safetensors';
import { writeCheckpoint } from './checkpoints';
import type { AdoptTorchEncoderRequest, ExportSafetensorsRequest } from './protocol';
import { openRunModel } from './run-model';

/** Largest |tfjs − PyTorch| feature difference accepted on the probe input, times max(1, largest |feature|). */
export const ROUND_TRIP_TOLERANCE = 1e-4;

/** x[n, h, w, c] = ((7n + 13c + 3h + 5w) mod 17) / 16 — workbench.probe_input in NHWC. */
export function probeInput(count: number, size: number, channels: number): tf.Tensor4D {
  const data = new Float32Array(count * size * size * channels);
  let i = 0;
  for (let n = 0; n < count; n++) for (let h = 0; h < size; h++) for (let w = 0; w < size; w++) for (let c = 0; c < channels; c++) data[i++] = ((7 * n + 13 * c + 3 * h + 5 * w) % 17) / 16;
  return tf.tensor4d(data, [count, size, size, channels]);
}

export async function adoptTorchEncoder(req: AdoptTorchEncoderRequest): Promise<{ path: string; bytes: number; maxAbsDiff: number }> {
  const { method, cache, close } = await openRunModel(req.model);
  try {
    const weights = torchToTfjsEncoder(readSafetensors(req.weightsFile).tensors, encoderPlan(req.model.method));
    const state = await method.getState();
    let replaced = 0;
    for (const key of Object.keys(state)) {
      const m = /^(.*)\/encoder\/(.+)$/.exec(key);
      const w = m ? weights[m[2]!] : undefined;
      if (!m) continue;
      if (!w) throw new WorkbenchError('INVALID_INPUT', `${req.weightsFile} has no weight for the encoder's ${m[2]}`);
      const have = state[key]!.shape;
      if (have.length !== w.shape.length || have.some((d, i) => d !== w.shape[i])) {
        throw new WorkbenchError('INVALID_INPUT', `${req.weightsFile}: ${m[2]} has shape [${w.shape.join(', ')}], the encoder's is [${have.join(', ')}]`);
      }
      state[key] = { shape: w.shape, data: w.data };
      replaced++;
    }
    if (replaced === 0) throw new Error(`the ${req.model.method.method} method has no encoder state to load PyTorch weights into`);
    if (req.methodWeightsFile) {
      const others = torchToTfjsMethod(readSafetensors(req.methodWeightsFile).tensors, state, req.model.method);
      for (const [key, t] of Object.entries(others)) if (!key.includes('/encoder/')) state[key] = t;
    }
    method.setState(state);
    const x = probeInput(req.probe.count, req.model.imageSize, cache.channels);
    const features = tf.tidy(() => method.embed(x));
    const got = await features.data();
    tf.dispose([x, features]);
    if (got.length !== req.probe.features.length) throw new Error(`encoder round trip: tfjs gives ${got.length} feature values, PyTorch ${req.probe.features.length}`);
    let maxAbsDiff = 0;
    let scale = 1;
    got.forEach((v, i) => {
      maxAbsDiff = Math.max(maxAbsDiff, Math.abs(v - req.probe.features[i]!));
      scale = Math.max(scale, Math.abs(req.probe.features[i]!));
    });
    // 1e-4 absolute for features up to 1 in size, relative beyond (float32 sums over wide layers).
    if (!(maxAbsDiff <= ROUND_TRIP_TOLERANCE * scale)) {
      throw new Error(`encoder round trip PyTorch → tfjs differs by ${maxAbsDiff.toExponential(2)} (> ${ROUND_TRIP_TOLERANCE} × ${scale.toPrecision(3)}) on the probe input`);
    }
    const after = await method.getState();
    mkdirSync(dirname(req.outFile), { recursive: true });
    const bytes = writeCheckpoint(req.outFile, {
      position: req.position,
      method: Object.entries(after).map(([name, s]) => ({ name, shape: s.shape, data: s.data })),
      optimizer: [],
      extra: { ...req.extra, engine: 'pytorch', roundTripMaxAbsDiff: maxAbsDiff, roundTripScale: scale },
    });
    return { path: req.outFile, bytes, maxAbsDiff };
  } finally {
    await close();
  }
}

export async function exportSafetensors(req: ExportSafetensorsRequest): Promise<{ path: string; tensors: number }> {
  const { method, close } = await openRunModel(req.model);
  try {
    const named: Record<string, NamedTensor> = {};
    for (const w of method.encoder.weights) named[w.originalName] = { shape: [...w.shape] as number[], data: Float32Array.from(await w.read().data()) };
    const torch = tfjsToTorchEncoder(named, encoderPlan(req.model.method));
    mkdirSync(dirname(req.outFile), { recursive: true });
    writeFileSync(req.outFile, encodeSafetensors(torch, { format: 'cwb-torch-encoder', ...req.metadata }));
    return { path: req.outFile, tensors: Object.keys(torch).length };
  } finally {
    await close();
  }
}
