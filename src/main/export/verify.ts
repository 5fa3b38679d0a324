/**
 * Proof that an ONNX export computes what the tfjs encoder computes: both run on the same images
 * (onnxruntime-node on CPU, tfjs in inference mode) and the largest absolute difference of their
 * outputs is reported. The export contract is maxAbsDiff < 1e-4.
 */
import * as ort from 'onnxruntime-node';
import { tf } from '../compute/tf';
import { nhwcToNchw, type ImageSize } from './image-layout';
import { exportInputShape, ONNX_FEATURES_NAME, ONNX_INPUT_NAME, ONNX_PROJECTION_NAME } from './onnx/writer';
import { tfSeed } from '../random/index';

export const ONNX_TOLERANCE = 1e-4;

export interface VerifyOnnxOptions {
  encoder: tf.LayersModel;
  head?: tf.LayersModel;
  /** The .onnx bytes or a path to the file. */
  onnx: Uint8Array | string;
  /** Normalised images, NHWC float32 [N, H, W, C]; default `count` seeded N(0, 1) images. */
  images?: Float32Array;
  count?: number;
  seed?: number;
  inputSize?: [number, number];
  /** Layout the ONNX graph's input was written with (default NCHW). */
  inputLayout?: 'NCHW' | 'NHWC';
  tolerance?: number;
}

export interface OnnxVerification {
  maxAbsDiff: number;
  /** Per output (`features`, and `projection` with a head). */
  perOutput: Record<string, number>;
  /** Largest |tfjs output|: puts maxAbsDiff in scale (float32 rounding grows with it). */
  maxAbsReference: number;
  tolerance: number;
  images: number;
  passed: boolean;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`output sizes differ: tfjs ${a.length}, onnxruntime ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] ?? NaN) - (b[i] ?? NaN));
    // NaN anywhere is a failure, not a silent 0.
    worst = Number.isNaN(d) ? Infinity : Math.max(worst, d);
  }
  return worst;
}

/** tfjs outputs for NHWC images, as plain arrays (no tensors survive the call). */
function tfjsOutputs(encoder: tf.LayersModel, head: tf.LayersModel | undefined, images: Float32Array, shape: number[]): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.tensor4d(images, shape as [number, number, number, number]);
    const features = encoder.predict(x) as tf.Tensor;
    const outs = [features.dataSync() as Float32Array];
    if (head) outs.push((head.predict(features) as tf.Tensor).dataSync() as Float32Array);
    return outs.map((o) => Float32Array.from(o));
  });
}

export async function verifyOnnx(opts: VerifyOnnxOptions): Promise<OnnxVerification> {
  const [height, width, channels] = exportInputShape(opts.encoder, opts.inputSize);
  const size: ImageSize = { height, width, channels };
  const count = opts.count ?? 4;
  const images =
    opts.images ??
    tf.tidy(() => Float32Array.from(tf.randomNormal([count, height, width, channels], 0, 1, 'float32', tfSeed(opts.seed ?? 1234)).dataSync()));
  const n = images.length / (height * width * channels);
  if (!Number.isInteger(n) || n < 1) throw new Error(`verifyOnnx: ${images.length} values are not whole ${height}×${width}×${channels} images`);
  const expected = tfjsOutputs(opts.encoder, opts.head, images, [n, height, width, channels]);
  const layout = opts.inputLayout ?? 'NCHW';
  const input =
    layout === 'NCHW'
      ? new ort.Tensor('float32', nhwcToNchw(images, size), [n, channels, height, width])
      : new ort.Tensor('float32', images, [n, height, width, channels]);
  const session = await (typeof opts.onnx === 'string' ? ort.InferenceSession.create(opts.onnx) : ort.InferenceSession.create(opts.onnx));
  try {
    const names = opts.head ? [ONNX_FEATURES_NAME, ONNX_PROJECTION_NAME] : [ONNX_FEATURES_NAME];
    const results = await session.run({ [ONNX_INPUT_NAME]: input }, names);
    const perOutput: Record<string, number> = {};
    names.forEach((name, i) => {
      const actual = results[name]?.data;
      if (!(actual instanceof Float32Array)) throw new Error(`verifyOnnx: the ONNX model returned no float32 "${name}"`);
      perOutput[name] = maxAbsDiff(expected[i]!, actual);
    });
    const worst = Math.max(...Object.values(perOutput));
    const maxAbsReference = Math.max(...expected.map((values) => values.reduce((m, v) => Math.max(m, Math.abs(v)), 0)));
    const tolerance = opts.tolerance ?? ONNX_TOLERANCE;
    return { maxAbsDiff: worst, perOutput, maxAbsReference, tolerance, images: n, passed: worst < tolerance };
  } finally {
    await session.release();
  }
}
