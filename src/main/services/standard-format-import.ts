/**
 * Importing a standard-format folder (IDX, CIFAR-10) through the same record and tensor cache as a
 * folder of images, so these datasets train through exactly the user's path. `limit` keeps a seeded
 * random subset of each split (quick experiments on 70 000 images).
 */
import { FASHION_MNIST_CLASSES, importCifar, importIdx, type ArrayImportResult } from '../data/import/standard-format';
import type { StandardFormatFolder } from '../data/formats/detect';
import { TensorCacheWriter } from '../data/cache';
import type { ImportedImage } from '../data/types';

export interface StandardFormatImport {
  images: ImportedImage[];
  classes: string[];
  size: number;
  channels: 1 | 3;
  cacheFile: string;
}

export function seededOrder(n: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  let state = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = n - 1; i > 0; i -= 1) {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    const j = state % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

export async function importStandardFormatFolder(
  folder: StandardFormatFolder,
  options: { cacheFile: string; limit?: number; seed: number; onProgress?: (done: number, total: number) => void },
): Promise<StandardFormatImport> {
  const parts: ArrayImportResult[] = [];
  const total = folder.splits.length;
  if (folder.kind === 'idx') {
    for (const [i, split] of folder.splits.entries()) {
      options.onProgress?.(i, total);
      parts.push(await importIdx(split.images, split.labels, { split: split.split, ...(folder.fashion ? { classNames: FASHION_MNIST_CLASSES } : {}) }));
    }
  } else {
    for (const [i, split] of folder.splits.entries()) {
      options.onProgress?.(i, total);
      parts.push(await importCifar(split.files, { split: split.split }));
    }
  }
  options.onProgress?.(total, total);
  const first = parts[0]!;
  const writer = await TensorCacheWriter.create(options.cacheFile, { size: first.size, channels: first.channels });
  const images: ImportedImage[] = [];
  const classes = new Set<string>();
  try {
    for (const part of parts) {
      const record = part.size * part.size * part.channels;
      const order = options.limit !== undefined && options.limit < part.images.length ? seededOrder(part.images.length, options.seed).slice(0, options.limit).sort((a, b) => a - b) : part.images.map((_, i) => i);
      for (const i of order) {
        const image = part.images[i]!;
        writer.add(image.hash, part.pixels.subarray(i * record, (i + 1) * record));
        images.push(image);
        if (image.label !== null) classes.add(image.label);
      }
    }
    const committed = await writer.commit();
    return { images, classes: [...classes].sort(), size: first.size, channels: first.channels, cacheFile: committed.file };
  } catch (err) {
    await writer.abort();
    throw err;
  }
}
