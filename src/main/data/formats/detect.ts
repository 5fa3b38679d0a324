/**
 * Recognising a folder of a standard dataset format: MNIST / Fashion-MNIST IDX files
 * (`train-images-idx3-ubyte[.gz]` + labels, `t10k-…` for the test split) or CIFAR-10 binary batches
 * (`data_batch_N.bin`, `test_batch.bin`).
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

export type StandardFormatFolder =
  | { kind: 'idx'; splits: { split: 'train' | 'val'; images: string; labels: string | null }[]; fashion: boolean }
  | { kind: 'cifar'; splits: { split: 'train' | 'val'; files: string[] }[] };

export function detectStandardFormatFolder(dir: string): StandardFormatFolder | null {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return null;
  }
  const idxImages = names.filter((n) => /-images-idx3-ubyte(\.gz)?$/.test(n));
  if (idxImages.length > 0) {
    const splits = idxImages.map((images) => {
      const prefix = images.replace(/-images-idx3-ubyte(\.gz)?$/, '');
      const labels = names.find((n) => n.startsWith(`${prefix}-labels-idx1-ubyte`)) ?? null;
      return {
        split: /^(t10k|test)/.test(prefix) ? ('val' as const) : ('train' as const),
        images: join(dir, images),
        labels: labels === null ? null : join(dir, labels),
      };
    });
    return { kind: 'idx', splits, fashion: /fashion/i.test(basename(dir)) || /fashion/i.test(dir) };
  }
  const train = names.filter((n) => /^data_batch_\d+\.bin$/.test(n)).map((n) => join(dir, n));
  const test = names.filter((n) => n === 'test_batch.bin').map((n) => join(dir, n));
  if (train.length + test.length > 0) {
    return {
      kind: 'cifar',
      splits: [
        ...(train.length ? [{ split: 'train' as const, files: train }] : []),
        ...(test.length ? [{ split: 'val' as const, files: test }] : []),
      ],
    };
  }
  return null;
}
