/** Shared fixtures for export tests: encoders with non-trivial BatchNorm state, temp folders, metadata. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../../../src/main/compute/tf';
import type { ExportMetadataInput } from '../../../src/main/export/export-encoder';

/**
 * Gives every BatchNormalization random γ, β, moving mean and moving variance, so inference-mode BN is
 * far from the identity and folding it into the convolution is really exercised.
 */
export function randomizeBatchNorm(model: tf.LayersModel, seed: number): void {
  let s = seed;
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const next = layer.weights.map((w) => {
      const role = w.originalName.slice(w.originalName.lastIndexOf('/') + 1);
      const [lo, hi] = role === 'gamma' || role === 'moving_variance' ? [0.5, 1.5] : [-0.3, 0.3];
      return tf.randomUniform(w.shape as number[], lo, hi, 'float32', s++);
    });
    layer.setWeights(next);
    tf.dispose(next);
  }
}

/** Moves every weight away from its initial value (kernels are random already; biases start at 0). */
export function randomizeBiases(model: tf.LayersModel, seed: number): void {
  let s = seed;
  for (const layer of model.layers) {
    const weights = layer.getWeights();
    if (!layer.weights.some((w) => w.originalName.endsWith('/bias'))) continue;
    const next = layer.weights.map((w, i) =>
      w.originalName.endsWith('/bias') ? tf.randomUniform(w.shape as number[], -0.2, 0.2, 'float32', s++) : tf.clone(weights[i]!),
    );
    layer.setWeights(next);
    tf.dispose(next);
  }
}

export const METADATA: ExportMetadataInput = {
  architecture: 'small',
  widthMultiplier: 0.25,
  normalization: { mean: [0.5], std: [0.25] },
  training: {
    method: 'simclr',
    runId: 7,
    experiment: { id: 3, name: 'tiny simclr', config: { temperature: 0.5 } },
    dataset: { id: 2, name: 'digits', contentHash: 'sha256:0123abcd' },
    metrics: { loss: 1.25, knnAccuracy: 0.5 },
  },
};

export function metadataFor(channels: number, architecture = 'small'): ExportMetadataInput {
  const mean = channels === 1 ? [0.5] : [0.485, 0.456, 0.406];
  const std = channels === 1 ? [0.25] : [0.229, 0.224, 0.225];
  return { ...METADATA, architecture, normalization: { mean, std } };
}

/** A fresh temp folder; `cleanup` removes it. */
export async function tempRoot(): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'cwb-export-test-'));
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** Features of `model` on NHWC images, as a plain array. */
export function tfjsFeatures(model: tf.LayersModel, images: Float32Array, shape: [number, number, number, number]): Float32Array {
  return tf.tidy(() => Float32Array.from((model.predict(tf.tensor4d(images, shape)) as tf.Tensor).dataSync()));
}

export function seededImages(count: number, h: number, w: number, c: number, seed: number, lo = 0, hi = 1): Float32Array {
  return tf.tidy(() => Float32Array.from(tf.randomUniform([count, h, w, c], lo, hi, 'float32', seed).dataSync()));
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] ?? NaN) - (b[i] ?? NaN)));
  return worst;
}
