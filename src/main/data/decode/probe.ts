import sharp, { type Metadata } from 'sharp';
import { sha256Hex } from '../hash';
import { acceptedFormat, type ImageFormat } from '../image-types';
import { ImageRejected } from '../image-rejected';
import { decodeErrorReason } from '../reasons';

export interface ProbeResult {
  hash: string;
  bytes: number;
  /** After EXIF orientation. */
  width: number;
  height: number;
  channels: number;
  format: ImageFormat;
  /** Single-band (with or without alpha): decodes losslessly to 1 channel. */
  grey: boolean;
}

/**
 * Hashes the bytes and reads the image header (no pixel decoding). Rejects unsupported formats and
 * images whose header claims more than `maxPixels` pixels (decompression bombs), with a reason.
 * Runs inside the decode worker.
 */
export async function probeImage(bytes: Uint8Array, maxPixels: number): Promise<ProbeResult> {
  let meta: Metadata;
  try {
    // The header is read without the pixel limit so the reason can quote the claimed size.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw new ImageRejected(decodeErrorReason(err));
  }
  const format = acceptedFormat(meta.format, meta.compression);
  if (format === null) throw new ImageRejected(`unsupported image format (${meta.format})`);
  const { width, height } = meta.autoOrient ?? meta;
  if (!(width > 0 && height > 0))
    throw new ImageRejected('image has no pixels (zero width or height)');
  if (width * height > maxPixels)
    throw new ImageRejected(
      `image too large: ${width}×${height} = ${(width * height).toLocaleString('en')} pixels exceeds the limit of ${maxPixels.toLocaleString('en')}`,
    );
  return {
    hash: sha256Hex(bytes),
    bytes: bytes.byteLength,
    width,
    height,
    channels: meta.channels,
    format,
    grey: meta.channels <= 2 && meta.space !== 'cmyk',
  };
}
