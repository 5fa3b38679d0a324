/**
 * Getting images into a float batch and back out as PNG (sharp), for previews and benchmarks.
 * Batches are [N, H, W, C] float32 in [0, 1]; 8-bit pixels map to v / 255 and back to round(255·x).
 */
import sharp from 'sharp';
import { tf } from '../compute/tf';

/** Decoded 8-bit pixels, row-major, interleaved channels (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA). */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

export type ImagesInput =
  | tf.Tensor4D
  | { data: Float32Array; shape: [number, number, number, number] }
  | readonly RawImage[];

function rawToTensor(image: RawImage, channels: 1 | 3): tf.Tensor3D {
  const { data, width, height, channels: c } = image;
  if (![1, 2, 3, 4].includes(c) || data.length !== width * height * c) {
    throw new Error(
      `preview: raw image ${width}×${height}×${c} does not match its ${data.length} bytes`,
    );
  }
  const out = new Float32Array(width * height * channels);
  const colour = c >= 3;
  for (let p = 0; p < width * height; p++) {
    for (let k = 0; k < channels; k++)
      out[p * channels + k] = (data[p * c + (colour ? k : 0)] ?? 0) / 255;
  }
  return tf.tensor3d(out, [height, width, channels]);
}

/**
 * A float batch the caller owns. Tensors are cloned; raw images become RGB when any is colour (gray
 * otherwise), alpha is dropped, and every image is resized (bilinear) to `size` (default the first
 * image's height × width).
 */
export function toImageBatch(
  images: ImagesInput,
  size?: { height: number; width: number },
): tf.Tensor4D {
  if (images instanceof tf.Tensor)
    return tf.tidy(() => resizeTo(tf.cast(images, 'float32') as tf.Tensor4D, size));
  if (!Array.isArray(images)) {
    const { data, shape } = images as {
      data: Float32Array;
      shape: [number, number, number, number];
    };
    return tf.tidy(() => resizeTo(tf.tensor4d(data, shape), size));
  }
  const raws = images as readonly RawImage[];
  const first = raws[0];
  if (!first) throw new Error('preview: no images');
  const channels = raws.some((r) => r.channels >= 3) ? 3 : 1;
  const target = size ?? { height: first.height, width: first.width };
  return tf.tidy(
    () =>
      tf.stack(
        raws.map((r) =>
          resizeTo(rawToTensor(r, channels).expandDims(0) as tf.Tensor4D, target).squeeze([0]),
        ),
      ) as tf.Tensor4D,
  );
}

function resizeTo(batch: tf.Tensor4D, size?: { height: number; width: number }): tf.Tensor4D {
  if (!size || (batch.shape[1] === size.height && batch.shape[2] === size.width))
    return batch.clone();
  return tf.image.resizeBilinear(batch, [size.height, size.width], false, true);
}

/** One PNG per image of the batch (values clamped to [0, 1]). */
export async function batchToPngs(images: tf.Tensor4D): Promise<Buffer[]> {
  const [n, h, w, c] = images.shape;
  const data = await images.data();
  const pngs: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const bytes = Buffer.alloc(h * w * c);
    const offset = i * h * w * c;
    for (let j = 0; j < bytes.length; j++)
      bytes[j] = Math.round(Math.min(1, Math.max(0, data[offset + j] ?? 0)) * 255);
    const image = sharp(bytes, { raw: { width: w, height: h, channels: c as 1 | 3 } });
    // Without an explicit colourspace sharp writes one-band input as an RGB PNG.
    pngs.push(await (c === 1 ? image.toColourspace('b-w') : image).png().toBuffer());
  }
  return pngs;
}
