import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { TensorCacheWriter } from '../cache';
import { findDuplicates } from '../duplicates';
import { DatasetImportError } from '../errors';
import { CIFAR10_CLASSES, parseCifar10, parseCifarMeta } from '../formats/cifar';
import { parseIdx } from '../formats/idx';
import { sha256Hex } from '../hash';
import { fsErrorReason } from '../reasons';
import { buildStats } from '../stats';
import type { ImportedImage, ImportStats, SkippedFile, Split } from '../types';

/** Class names of Fashion-MNIST, label 0..9 (https://github.com/zalandoresearch/fashion-mnist). */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

export interface ArrayImportOptions {
  /** Split of every image; default from the file name (`t10k…`, `test…` → val, else train). */
  split?: Split;
  /** Names for label 0..K-1; default the digits (IDX) or CIFAR-10's names. */
  classNames?: readonly string[];
  /** Also write the tensor cache here (records deduplicated by hash). */
  cacheFile?: string;
}

export interface ArrayImportResult {
  images: ImportedImage[];
  /** [N, S, S, C] uint8, image i at offset i·S·S·C (duplicates included). */
  pixels: Uint8Array;
  size: number;
  channels: 1 | 3;
  skipped: SkippedFile[];
  stats: ImportStats;
  cache: { file: string; size: number; channels: 1 | 3; hashes: string[] } | null;
}

/** MNIST / Fashion-MNIST: an IDX image file [N, H, W] (H = W) and an optional IDX label file [N]. */
export async function importIdx(
  imagesFile: string,
  labelsFile: string | null,
  opts: ArrayImportOptions = {},
): Promise<ArrayImportResult> {
  const started = performance.now();
  const imagesAbs = path.resolve(imagesFile);
  const idx = parseIdx(await readInput(imagesAbs), path.basename(imagesAbs));
  const [n, h, w] = idx.dims;
  if (idx.dims.length !== 3 || n === undefined || h === undefined || w === undefined || h !== w)
    throw new DatasetImportError(
      'bad-format',
      `${imagesAbs}: expected square images [N, S, S], found [${idx.dims.join(', ')}]`,
    );
  let labels: Uint8Array | null = null;
  if (labelsFile !== null) {
    const labelsAbs = path.resolve(labelsFile);
    const lab = parseIdx(await readInput(labelsAbs), path.basename(labelsAbs));
    if (lab.dims.length !== 1 || lab.dims[0] !== n)
      throw new DatasetImportError(
        'bad-format',
        `${labelsAbs}: expected ${n} labels, found [${lab.dims.join(', ')}]`,
      );
    labels = lab.data;
  }
  const { mtimeMs } = await stat(imagesAbs);
  const records = {
    file: imagesAbs,
    mtimeMs,
    n,
    size: h,
    channels: 1 as const,
    pixels: idx.data,
    labels,
    split: opts.split ?? splitFromName(imagesAbs),
  };
  return finish(records, 'idx', opts.classNames ?? null, opts.cacheFile, started);
}

/** CIFAR-10 binary batches (`data_batch_1.bin` … `test_batch.bin`), in the given order. */
export async function importCifar(
  files: readonly string[],
  opts: ArrayImportOptions = {},
): Promise<ArrayImportResult> {
  const started = performance.now();
  if (files.length === 0) throw new DatasetImportError('empty', 'no CIFAR-10 batch files given');
  const parts: ArrayImportResult[] = [];
  for (const file of files) {
    const abs = path.resolve(file);
    const batch = parseCifar10(await readInput(abs), path.basename(abs));
    const classNames =
      opts.classNames ?? (await readCifarMeta(path.dirname(abs))) ?? CIFAR10_CLASSES;
    const { mtimeMs } = await stat(abs);
    const records = {
      file: abs,
      mtimeMs,
      n: batch.labels.length,
      size: 32,
      channels: 3 as const,
      pixels: batch.pixels,
      labels: batch.labels,
      split: opts.split ?? splitFromName(abs),
    };
    parts.push(await finish(records, 'cifar', classNames, undefined, started));
  }
  const images = parts.flatMap((p) => p.images);
  // Duplicates are judged across all batches (the first batch given wins).
  const duplicateOf = findDuplicates(images);
  for (const img of images) img.duplicateOf = duplicateOf.get(img.relPath) ?? null;
  const pixels = concat(parts.map((p) => p.pixels));
  const cache = opts.cacheFile ? await writeCache(opts.cacheFile, images, pixels, 32, 3) : null;
  const stats = buildStats(images, [], statsExtra(images.length, 32, 3, started));
  return { images, pixels, size: 32, channels: 3, skipped: [], stats, cache };
}

interface Records {
  file: string;
  mtimeMs: number;
  n: number;
  size: number;
  channels: 1 | 3;
  pixels: Uint8Array;
  labels: Uint8Array | null;
  split: Split;
}

async function finish(
  r: Records,
  format: 'idx' | 'cifar',
  classNames: readonly string[] | null,
  cacheFile: string | undefined,
  started: number,
): Promise<ArrayImportResult> {
  const recordBytes = r.size * r.size * r.channels;
  const base = path.basename(r.file);
  const images: ImportedImage[] = [];
  for (let i = 0; i < r.n; i++) {
    const raw = r.labels?.[i];
    images.push({
      path: `${r.file}#${i}`,
      relPath: `${base}#${i}`,
      hash: sha256Hex(r.pixels.subarray(i * recordBytes, (i + 1) * recordBytes)),
      bytes: recordBytes,
      mtimeMs: r.mtimeMs,
      width: r.size,
      height: r.size,
      channels: r.channels,
      format,
      label: raw === undefined ? null : (classNames?.[raw] ?? String(raw)),
      split: r.split,
      group: null,
      frameIndex: null,
      duplicateOf: null,
    });
  }
  const duplicateOf = findDuplicates(images);
  for (const img of images) img.duplicateOf = duplicateOf.get(img.relPath) ?? null;
  const cache = cacheFile
    ? await writeCache(cacheFile, images, r.pixels, r.size, r.channels)
    : null;
  const stats = buildStats(images, [], statsExtra(r.n, r.size, r.channels, started));
  return {
    images,
    pixels: r.pixels,
    size: r.size,
    channels: r.channels,
    skipped: [],
    stats,
    cache,
  };
}

async function writeCache(
  file: string,
  images: readonly ImportedImage[],
  pixels: Uint8Array,
  size: number,
  channels: 1 | 3,
): Promise<{ file: string; size: number; channels: 1 | 3; hashes: string[] }> {
  const writer = await TensorCacheWriter.create(path.resolve(file), { size, channels });
  const recordBytes = size * size * channels;
  try {
    images.forEach((img, i) =>
      writer.add(img.hash, pixels.subarray(i * recordBytes, (i + 1) * recordBytes)),
    );
  } catch (err) {
    await writer.abort();
    throw err;
  }
  const { hashes } = await writer.commit();
  return { file: writer.file, size, channels, hashes };
}

function statsExtra(
  n: number,
  size: number,
  channels: 1 | 3,
  started: number,
): Parameters<typeof buildStats>[2] {
  return {
    filesSeen: n,
    hiddenIgnored: 0,
    unchanged: 0,
    decoded: n,
    cacheHits: 0,
    size,
    channels,
    elapsedMs: performance.now() - started,
  };
}

function splitFromName(file: string): Split {
  const name = path.basename(file).toLowerCase();
  return name.startsWith('t10k') || name.includes('test') ? 'val' : 'train';
}

async function readInput(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DatasetImportError(
      code === 'ENOENT' ? 'not-found' : 'unreadable',
      `${file}: ${fsErrorReason(err, 'file')}`,
    );
  }
}

async function readCifarMeta(dir: string): Promise<string[] | null> {
  try {
    const names = parseCifarMeta(await readFile(path.join(dir, 'batches.meta.txt'), 'utf8'));
    return names.length >= CIFAR10_CLASSES.length ? names : null;
  } catch {
    return null;
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1 && parts[0]) return parts[0];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}
