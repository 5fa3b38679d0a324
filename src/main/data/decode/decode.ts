import sharp from 'sharp';
import { ImageRejected } from '../image-rejected';
import { decodeErrorReason } from '../reasons';

export interface DecodeOptions {
  /** Output side S: every image becomes S×S (scaled to cover, centre-cropped). */
  size: number;
  channels: 1 | 3;
  maxPixels: number;
}

/**
 * Fully decodes an image (so truncated or corrupt pixel data is caught, not only a bad header),
 * applies EXIF orientation, drops alpha, converts to grey or sRGB and resizes to cover S×S.
 * Returns HWC uint8 pixels, length S·S·C. Runs inside the decode worker.
 */
export async function decodeToTensor(bytes: Uint8Array, opts: DecodeOptions): Promise<Uint8Array> {
  try {
    let img = sharp(bytes, {
      limitInputPixels: opts.maxPixels,
      failOn: 'error',
      autoOrient: true,
    }).removeAlpha();
    img = opts.channels === 1 ? img.greyscale() : img.toColourspace('srgb');
    const { data, info } = await img
      .resize(opts.size, opts.size, { fit: 'cover', position: 'centre' })
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (
      info.channels !== opts.channels ||
      data.byteLength !== opts.size * opts.size * opts.channels
    )
      throw new ImageRejected(
        `decoder produced ${info.channels} channels, expected ${opts.channels}`,
      );
    // A copy we own: sharp's buffer may be external memory that cannot be transferred.
    return new Uint8Array(data);
  } catch (err) {
    if (err instanceof ImageRejected) throw err;
    // Decoding runs after a successful probe: the header is an image's, the pixel data is not.
    throw new ImageRejected(decodeErrorReason(err, true));
  }
}
