import { createHash } from 'node:crypto';

/** sha256 of some bytes as lower-case hex: the content key of images and cache entries. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
