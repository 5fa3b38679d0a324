/**
 * Cached uint8 pixels → the float tensors the models see: [B, S, S, C] in [0, 1], resized to the
 * training image size when the cache was built at another size.
 */
import type { TensorCache } from './cache';
import { tf } from '../compute/tf';

export function toFloatImages(pixels: Uint8Array, count: number, cacheSize: number, channels: number, imageSize: number): tf.Tensor4D {
  return tf.tidy(() => {
    const raw = tf.tensor4d(Float32Array.from(pixels), [count, cacheSize, cacheSize, channels]).div(255) as tf.Tensor4D;
    return imageSize === cacheSize ? raw : tf.image.resizeBilinear(raw, [imageSize, imageSize], true);
  });
}

/** Read cache records `cacheIndices` as a float batch. */
export async function readImages(cache: TensorCache, cacheIndices: readonly number[], imageSize: number): Promise<tf.Tensor4D> {
  const out = new Uint8Array(cacheIndices.length * cache.recordBytes);
  await cache.readMany(cacheIndices, out);
  return toFloatImages(out, cacheIndices.length, cache.size, cache.channels, imageSize);
}
