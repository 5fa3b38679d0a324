import { DatasetImportError } from '../errors';

/**
 * CIFAR-10 binary version: records of 1 label byte + 3072 pixel bytes, the pixels stored as three
 * 32×32 planes (R, G, B), row-major. https://www.cs.toronto.edu/~kriz/cifar.html
 */
export const CIFAR10_CLASSES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
] as const;

const SIDE = 32;
const PLANE = SIDE * SIDE;
const RECORD = 1 + 3 * PLANE;

export interface CifarBatch {
  labels: Uint8Array;
  /** [N, 32, 32, 3] interleaved (HWC), the layout of the tensor cache. */
  pixels: Uint8Array;
}

export function parseCifar10(buf: Uint8Array, name = 'CIFAR-10 file'): CifarBatch {
  if (buf.byteLength === 0 || buf.byteLength % RECORD !== 0)
    throw new DatasetImportError(
      'bad-format',
      `${name} is not a CIFAR-10 binary batch: ${buf.byteLength} bytes is not a multiple of the ${RECORD}-byte record`,
    );
  const n = buf.byteLength / RECORD;
  const labels = new Uint8Array(n);
  const pixels = new Uint8Array(n * 3 * PLANE);
  for (let i = 0; i < n; i++) {
    const rec = i * RECORD;
    const label = buf[rec] as number;
    if (label >= CIFAR10_CLASSES.length)
      throw new DatasetImportError(
        'bad-format',
        `${name}: record ${i} has label ${label}, CIFAR-10 has 10 classes`,
      );
    labels[i] = label;
    const out = i * 3 * PLANE;
    for (let p = 0; p < PLANE; p++) {
      pixels[out + 3 * p] = buf[rec + 1 + p] as number;
      pixels[out + 3 * p + 1] = buf[rec + 1 + PLANE + p] as number;
      pixels[out + 3 * p + 2] = buf[rec + 1 + 2 * PLANE + p] as number;
    }
  }
  return { labels, pixels };
}

/** Class names from `batches.meta.txt` (one per line), when present next to the batches. */
export function parseCifarMeta(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}
