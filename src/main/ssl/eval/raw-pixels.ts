/**
 * Raw pixels as the "encoder" of every downstream protocol's no-learning reference (issue 19): the
 * kNN, linear-probe and fine-tune scores of a run are read against the same protocol on the
 * flattened images. As the kNN baseline of Wu et al. 2018 (arXiv:1805.01978, Table 1 "pixels").
 *
 * Shapes: images [B, S, S, C] → features [B, S·S·C]; no trainable weights, so fine-tuning it trains
 * only the linear head — logistic regression on pixels with the same labels, flips and epochs.
 */
import { tf } from '../../compute/tf';

/** Images [B, S, S, C] → [B, S·S·C] (cosine kNN and the probe normalise as they do for features). */
export function flattenPixels(images: tf.Tensor4D): tf.Tensor2D {
  return tf.reshape(images, [images.shape[0], -1]);
}

/** A weightless LayersModel [S, S, C] → [S·S·C] for protocols that take an encoder model; dispose it after use. */
export function rawPixelEncoder(imageSize: number, channels: number): tf.LayersModel {
  if (!Number.isInteger(imageSize) || imageSize < 1 || !Number.isInteger(channels) || channels < 1)
    throw new RangeError(
      `rawPixelEncoder: imageSize and channels must be positive integers, got ${imageSize}, ${channels}`,
    );
  return tf.sequential({
    layers: [tf.layers.flatten({ inputShape: [imageSize, imageSize, channels] })],
  });
}
