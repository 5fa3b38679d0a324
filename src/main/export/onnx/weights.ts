/**
 * Layer weights read into plain arrays, re-laid-out for ONNX, with BatchNorm folded into the
 * preceding convolution or dense layer:
 *   scale = γ / √(σ² + ε),  W'[o] = W[o]·scale[o],  b'[o] = (b[o] − μ[o])·scale[o] + β[o]
 * which is exactly tfjs's inference-mode BN, `(x − μ)·γ/√(σ² + ε) + β`, applied to the layer output.
 */
import type { tf } from '../../compute/tf';

export interface WeightArray {
  shape: number[];
  values: Float32Array;
}

/** Weights keyed by their role ('kernel', 'bias', 'gamma', 'moving_mean', …). */
export function namedWeights(layer: tf.layers.Layer): Map<string, WeightArray> {
  const out = new Map<string, WeightArray>();
  for (const weight of layer.weights) {
    const role = weight.originalName.slice(weight.originalName.lastIndexOf('/') + 1);
    // read() hands back the variable itself (not a copy): copy its data, never dispose it.
    const values = Float32Array.from(weight.read().dataSync());
    out.set(role, { shape: [...weight.shape] as number[], values });
  }
  return out;
}

export function requireWeight(weights: Map<string, WeightArray>, role: string, layerName: string): WeightArray {
  const weight = weights.get(role);
  if (!weight) throw new Error(`layer "${layerName}" has no "${role}" weight`);
  return weight;
}

/** Per-channel affine form of an inference-mode BatchNormalization: y = x·scale + shift. */
export interface ChannelAffine {
  scale: Float64Array;
  shift: Float64Array;
}

export function batchNormAffine(layer: tf.layers.Layer): ChannelAffine {
  const config = layer.getConfig();
  const epsilon = Number(config['epsilon'] ?? 1e-3);
  const weights = namedWeights(layer);
  const mean = requireWeight(weights, 'moving_mean', layer.name).values;
  const variance = requireWeight(weights, 'moving_variance', layer.name).values;
  const gamma = weights.get('gamma')?.values;
  const beta = weights.get('beta')?.values;
  const channels = mean.length;
  const scale = new Float64Array(channels);
  const shift = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    scale[c] = (gamma?.[c] ?? 1) / Math.sqrt((variance[c] ?? 1) + epsilon);
    shift[c] = (beta?.[c] ?? 0) - (mean[c] ?? 0) * (scale[c] ?? 1);
  }
  return { scale, shift };
}

/** tfjs conv kernel [kh, kw, in, out] (HWIO) → ONNX [out, in, kh, kw] (OIHW), optionally scaled per output. */
export function convKernelToOihw(kernel: WeightArray, outScale?: Float64Array): WeightArray {
  const [kh = 0, kw = 0, ci = 0, co = 0] = kernel.shape;
  const values = new Float32Array(kernel.values.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let i = 0; i < ci; i++) {
        for (let o = 0; o < co; o++) {
          const v = kernel.values[((y * kw + x) * ci + i) * co + o] ?? 0;
          values[((o * ci + i) * kh + y) * kw + x] = outScale ? v * (outScale[o] ?? 1) : v;
        }
      }
    }
  }
  return { shape: [co, ci, kh, kw], values };
}

/** Dense kernel [in, out] with each output column scaled (Gemm keeps the [in, out] layout). */
export function scaleColumns(kernel: WeightArray, outScale: Float64Array): WeightArray {
  const [rows = 0, cols = 0] = kernel.shape;
  const values = new Float32Array(kernel.values.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) values[r * cols + c] = (kernel.values[r * cols + c] ?? 0) * (outScale[c] ?? 1);
  }
  return { shape: [rows, cols], values };
}

/** Bias after folding: b' = b·scale + shift (b = 0 when the layer had none). */
export function foldBias(bias: Float32Array | undefined, affine: ChannelAffine): Float32Array {
  return Float32Array.from(affine.scale, (s, c) => (bias?.[c] ?? 0) * s + (affine.shift[c] ?? 0));
}
