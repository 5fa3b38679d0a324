/**
 * External ONNX encoders in the engine worker: inspect one (input size, layout, feature width) and
 * score it with the same weighted kNN as the workbench's own runs.
 */
import { TensorCache } from '../data/cache';
import type { LoaderItem } from '../data/loader';
import { loadOnnxEncoder } from '../export/import-encoder';
import { accuracy, knnPredict } from '../ssl/eval/knn';
import { WorkbenchError } from '../../shared/errors';
import { readImages } from '../data/cache-images';
import { initBackend, tf } from '../compute/tf';
import type { OnnxInspection } from './protocol';

export async function inspectOnnx(params: { path: string }): Promise<OnnxInspection> {
  let encoder;
  try {
    encoder = await loadOnnxEncoder(params.path);
  } catch (err) {
    throw new WorkbenchError('INVALID_INPUT', `${params.path} is not a usable ONNX image encoder: ${(err as Error).message}`);
  }
  try {
    const { height, width, channels } = encoder.inputSize;
    const features = await encoder.embed(new Float32Array(height * width * channels).fill(0.5));
    return { height, width, channels, layout: encoder.layout, outputDim: encoder.outputDim ?? features.length };
  } finally {
    await encoder.dispose();
  }
}

async function embedAll(embed: (x: Float32Array) => Promise<Float32Array>, cache: TensorCache, items: readonly LoaderItem[], size: number): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let start = 0; start < items.length; start += 64) {
    const images = await readImages(cache, items.slice(start, start + 64).map((i) => i.cacheIndex), size);
    const data = (await images.data()) as Float32Array;
    images.dispose();
    out.push(await embed(data));
  }
  return out;
}

export async function evalKnnOnnx(params: {
  path: string;
  cacheFile: string;
  train: LoaderItem[];
  val: LoaderItem[];
  numClasses: number;
  k: number;
  temperature: number;
}): Promise<{ accuracy: number; k: number }> {
  await initBackend();
  const encoder = await loadOnnxEncoder(params.path);
  const cache = await TensorCache.open(params.cacheFile);
  try {
    if (encoder.inputSize.channels !== cache.channels) {
      throw new WorkbenchError('INVALID_INPUT', `the encoder takes ${encoder.inputSize.channels}-channel images, the dataset has ${cache.channels}`);
    }
    if (encoder.inputSize.height !== encoder.inputSize.width) throw new WorkbenchError('INVALID_INPUT', 'only square encoder inputs are supported');
    const train = params.train.filter((i) => i.label >= 0);
    const val = params.val.filter((i) => i.label >= 0);
    if (train.length === 0 || val.length === 0) throw new WorkbenchError('INVALID_INPUT', 'kNN needs labels and a validation split');
    const embed = (x: Float32Array) => encoder.embed(x);
    const size = encoder.inputSize.height;
    const concat = (parts: Float32Array[]) => {
      const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) {
        all.set(p, o);
        o += p.length;
      }
      return all;
    };
    const a = concat(await embedAll(embed, cache, train, size));
    const b = concat(await embedAll(embed, cache, val, size));
    const dim = a.length / train.length;
    const k = Math.min(params.k, train.length);
    const trainF = tf.tensor2d(a, [train.length, dim]);
    const valF = tf.tensor2d(b, [val.length, dim]);
    try {
      const prediction = knnPredict(trainF, Int32Array.from(train, (i) => i.label), valF, params.numClasses, k, params.temperature);
      return { accuracy: accuracy(prediction.labels, Array.from(val, (i) => i.label)), k };
    } finally {
      tf.dispose([trainF, valF]);
    }
  } finally {
    await encoder.dispose();
    await cache.close();
  }
}
