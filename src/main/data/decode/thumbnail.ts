import sharp from 'sharp';
import { ImageRejected } from '../image-rejected';
import { decodeErrorReason } from '../reasons';

export interface ThumbnailOptions {
  /** Longest side in pixels (never enlarged). */
  maxSide?: number;
  format?: 'webp' | 'jpeg';
  quality?: number;
  maxPixels: number;
}

/** A small JPEG or WebP for the UI, oriented and fitted inside maxSide×maxSide. Runs in the worker. */
export async function makeThumbnail(
  bytes: Uint8Array,
  opts: ThumbnailOptions,
): Promise<Uint8Array> {
  const side = opts.maxSide ?? 128;
  const quality = opts.quality ?? 75;
  try {
    const img = sharp(bytes, {
      limitInputPixels: opts.maxPixels,
      failOn: 'error',
      autoOrient: true,
    }).resize(side, side, {
      fit: 'inside',
      withoutEnlargement: true,
    });
    const out =
      opts.format === 'jpeg'
        ? await img.flatten({ background: '#ffffff' }).jpeg({ quality }).toBuffer()
        : await img.webp({ quality }).toBuffer();
    return new Uint8Array(out);
  } catch (err) {
    throw new ImageRejected(decodeErrorReason(err));
  }
}
