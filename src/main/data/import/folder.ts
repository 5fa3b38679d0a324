import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { assignGroups } from '../groups';
import { DatasetImportError, throwIfAborted } from '../errors';
import { findDuplicates } from '../duplicates';
import { decodeOriginals, probeFiles, type FileFacts } from './phases';
import { resolveOptions, type ImportFolderOptions } from './options';
import { folderLabel, labelsFromCsv } from '../labels';
import { DecodePool } from '../decode/pool';
import { fsErrorReason } from '../reasons';
import { scanFolder, type ScanResult } from '../scan';
import { assignSplits } from '../split';
import { buildStats } from '../stats';
import type { ImportedImage, ImportStats, SkippedFile } from '../types';

export type { ImportFolderOptions } from './options';

export interface ImportFolderResult {
  images: ImportedImage[];
  skipped: SkippedFile[];
  stats: ImportStats;
  /** The tensor cache written (when `cacheFile` was given): record i holds `hashes[i]`. */
  cache: { file: string; size: number; channels: 1 | 3; hashes: string[] } | null;
}

/**
 * Imports an image folder without ever writing to it: scan → hash + header (worker pool) →
 * duplicates → full decode (worker pool, optional tensor cache) → labels, groups, split.
 * Bad files are skipped with a reason; the import is refused (`DatasetImportError`) only for a
 * missing/non-folder/unreadable root, a folder with no images, or when no image survives.
 */
export async function importImageFolder(
  dir: string,
  opts: ImportFolderOptions = {},
): Promise<ImportFolderResult> {
  const started = performance.now();
  const o = resolveOptions(opts);
  const rootAbs = path.resolve(dir);
  const cacheFile = opts.cacheFile === undefined ? undefined : path.resolve(opts.cacheFile);
  if (cacheFile !== undefined && isInside(rootAbs, cacheFile))
    throw new DatasetImportError(
      'cache-inside-dataset',
      `the tensor cache must not be written inside the dataset folder: ${cacheFile}`,
    );
  const csvPath = opts.labelsCsv === undefined ? undefined : path.resolve(opts.labelsCsv);
  const csvText = csvPath === undefined ? undefined : await readLabelsCsv(csvPath);

  const scan = await scanFolder(rootAbs, {
    exclude: csvPath === undefined ? undefined : new Set([csvPath]),
    signal: opts.signal,
    onFolder: (done, total) => opts.onProgress?.({ phase: 'scan', done, total }),
  });
  if (scan.files.length === 0) throw emptyFolderError(rootAbs, scan);
  const skipped: SkippedFile[] = [...scan.skipped];

  const pool = opts.pool ?? new DecodePool();
  try {
    const probed = await probeFiles(
      scan.files,
      pool,
      o.maxPixels,
      opts.previous,
      skipped,
      opts.signal,
      opts.onProgress,
    );
    probed.sort((a, b) => (a.relPath < b.relPath ? -1 : 1));
    const channels =
      o.channels === 'auto'
        ? probed.length > 0 && probed.every((f) => f.grey)
          ? 1
          : 3
        : o.channels;
    const duplicateOf = findDuplicates(probed);
    const originals = probed.filter((f) => !duplicateOf.has(f.relPath));
    const phase = await decodeOriginals(
      originals,
      pool,
      { size: o.size, channels, maxPixels: o.maxPixels },
      cacheFile,
      opts.signal,
      opts.onProgress,
    );
    const good: FileFacts[] = [];
    for (const f of probed) {
      const reason = phase.failed.get(f.hash);
      if (reason === undefined) good.push(f);
      else skipped.push({ path: f.path, reason });
    }
    if (good.length === 0) throw noValidImagesError(rootAbs, scan.files.length + scan.skipped.length, skipped);

    throwIfAborted(opts.signal);
    const csv =
      csvText === undefined || csvPath === undefined
        ? null
        : labelsFromCsv(
            csvText,
            csvPath,
            rootAbs,
            new Set(good.map((f) => f.relPath)),
            new Set(skipped.map((s) => s.path)),
          );
    if (csv) skipped.push(...csv.skipped);
    const groups = assignGroups(
      good.map((f) => f.relPath),
      o.groups,
    );
    const images: ImportedImage[] = good.map((f) => {
      const g = groups.get(f.relPath);
      return {
        path: f.path,
        relPath: f.relPath,
        hash: f.hash,
        bytes: f.size,
        mtimeMs: f.mtimeMs,
        width: f.width,
        height: f.height,
        channels: f.channels,
        format: f.format,
        label: csv ? (csv.labels.get(f.relPath) ?? null) : folderLabel(f.relPath, o.groups),
        split: 'train',
        group: g?.group ?? null,
        frameIndex: g?.frameIndex ?? null,
        duplicateOf: duplicateOf.get(f.relPath) ?? null,
      };
    });
    applySplits(images, o.valFraction, o.seed);
    opts.onProgress?.({ phase: 'split', done: images.length, total: images.length });

    const stats = buildStats(images, skipped, {
      filesSeen: scan.filesSeen,
      hiddenIgnored: scan.hiddenIgnored,
      unchanged: probed.filter((f) => f.reused).length,
      decoded: phase.decoded,
      cacheHits: phase.cacheHits,
      size: o.size,
      channels,
      elapsedMs: performance.now() - started,
    });
    const cache = phase.cache
      ? { file: phase.cache.file, size: o.size, channels, hashes: phase.cache.hashes }
      : null;
    return { images, skipped, stats, cache };
  } finally {
    if (opts.pool === undefined) await pool.close();
  }
}

/**
 * A clip, a view group and a set of identical files must never straddle train and val (that
 * would leak the validation images into training), so the split unit is the group, or the hash.
 */
function applySplits(images: ImportedImage[], valFraction: number, seed: number): void {
  const unitKey = (img: ImportedImage): string =>
    img.group !== null ? `g:${img.group}` : `h:${img.hash}`;
  const splits = assignSplits(
    images.map((img) => ({ key: unitKey(img), label: img.label })),
    valFraction,
    seed,
  );
  for (const img of images) img.split = splits.get(unitKey(img)) ?? 'train';
}

async function readLabelsCsv(csvPath: string): Promise<string> {
  try {
    return await readFile(csvPath, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DatasetImportError(
      code === 'ENOENT' ? 'not-found' : 'unreadable',
      `labels CSV ${csvPath}: ${fsErrorReason(err, 'file')}`,
    );
  }
}

/** Every file was rejected: the count, and the reasons (most common first) in the one line. */
function noValidImagesError(rootAbs: string, total: number, skipped: readonly SkippedFile[]): DatasetImportError {
  const byReason = new Map<string, number>();
  for (const s of skipped) byReason.set(s.reason, (byReason.get(s.reason) ?? 0) + 1);
  const reasons = [...byReason.entries()].sort((a, b) => b[1] - a[1]);
  const shown = reasons.slice(0, 3).map(([reason, n]) => `${n} × ${reason}`);
  if (reasons.length > 3) shown.push(`${reasons.length - 3} other reason(s)`);
  return new DatasetImportError(
    'no-valid-images',
    `none of the ${total} file(s) in ${rootAbs} could be imported: ${shown.join('; ')}`,
    skipped,
  );
}

function emptyFolderError(rootAbs: string, scan: ScanResult): DatasetImportError {
  if (scan.filesSeen === 0 && scan.skipped.length === 0)
    return new DatasetImportError('empty', `the folder is empty: ${rootAbs}`);
  return new DatasetImportError(
    'empty',
    `no images found in ${rootAbs} (${scan.filesSeen} other file(s); supported: JPEG, PNG, WebP, GIF, TIFF, AVIF)`,
    scan.skipped,
  );
}

function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
