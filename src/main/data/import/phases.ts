import { DatasetImportError, throwIfAborted } from '../errors';
import { TensorCache, TensorCacheWriter } from '../cache';
import { ImageRejected } from '../image-rejected';
import type { DecodePool } from '../decode/pool';
import type { ImageFormat } from '../image-types';
import type { ScannedFile } from '../scan';
import type { ImportProgress, PreviousFileInfo, SkippedFile } from '../types';

/** A scanned file plus what its header and bytes told us. */
export interface FileFacts extends ScannedFile {
  hash: string;
  width: number;
  height: number;
  channels: number;
  format: ImageFormat;
  grey: boolean;
  /** Taken from `previous` without opening the file. */
  reused: boolean;
}

type Progress = ((p: ImportProgress) => void) | undefined;

/** Reason for a per-file failure, or rethrows when the whole import must stop (cancel). */
function reasonOrThrow(err: unknown): string {
  if (err instanceof DatasetImportError) throw err;
  if (err instanceof ImageRejected) return err.message;
  return `internal error while reading this file: ${err instanceof Error ? err.message : String(err)}`;
}

/**
 * Hash + header of every file, in the worker pool. Files whose size and mtime match `previous`
 * (with full facts) are not opened at all. Files that fail go to `skipped`.
 */
export async function probeFiles(
  files: readonly ScannedFile[],
  pool: DecodePool,
  maxPixels: number,
  previous: Map<string, PreviousFileInfo> | undefined,
  skipped: SkippedFile[],
  signal: AbortSignal | undefined,
  onProgress: Progress,
): Promise<FileFacts[]> {
  let done = 0;
  const tick = (): void => onProgress?.({ phase: 'hash', done: ++done, total: files.length });
  const results = await Promise.all(
    files.map(async (file): Promise<FileFacts | null> => {
      const prev = previous?.get(file.relPath);
      if (
        prev &&
        prev.size === file.size &&
        prev.mtimeMs === file.mtimeMs &&
        prev.width !== undefined &&
        prev.height !== undefined &&
        prev.channels !== undefined &&
        prev.format !== undefined &&
        prev.format !== 'idx' &&
        prev.format !== 'cifar' &&
        prev.width * prev.height <= maxPixels
      ) {
        tick();
        const { hash, width, height, channels, format } = prev;
        return {
          ...file,
          hash,
          width,
          height,
          channels,
          format,
          grey: channels <= 2,
          reused: true,
        };
      }
      try {
        const probe = await pool.probe(file.path, maxPixels, signal);
        return { ...file, ...probe, reused: false };
      } catch (err) {
        skipped.push({ path: file.path, reason: reasonOrThrow(err) });
        return null;
      } finally {
        tick();
      }
    }),
  );
  throwIfAborted(signal);
  return results.filter((r): r is FileFacts => r !== null);
}

export interface DecodePhaseResult {
  /** hash → reason for originals that failed to decode (their duplicates fail too). */
  failed: Map<string, string>;
  decoded: number;
  cacheHits: number;
  cache: { file: string; hashes: string[] } | null;
}

/**
 * Fully decodes one file per unique hash (catching truncated/corrupt pixel data) and, with a
 * cache file, stores the S×S×C tensors. Hashes already in the existing cache are copied from it
 * instead of decoded; without a cache, files reused from `previous` are trusted as already valid.
 */
export async function decodeOriginals(
  originals: readonly FileFacts[],
  pool: DecodePool,
  shape: { size: number; channels: 1 | 3; maxPixels: number },
  cacheFile: string | undefined,
  signal: AbortSignal | undefined,
  onProgress: Progress,
): Promise<DecodePhaseResult> {
  const failed = new Map<string, string>();
  const oldCache = cacheFile ? await TensorCache.tryOpen(cacheFile, shape) : null;
  const writer = cacheFile ? await TensorCacheWriter.create(cacheFile, shape) : null;
  let decoded = 0;
  let cacheHits = 0;
  let done = 0;
  const tick = (): void => onProgress?.({ phase: 'decode', done: ++done, total: originals.length });
  try {
    // Copy hits first, sequentially, so the old file can be closed before the rename.
    const toDecode: FileFacts[] = [];
    for (const file of originals) {
      const at = oldCache?.indexOf(file.hash) ?? -1;
      if (oldCache && writer && at >= 0) {
        writer.add(file.hash, await oldCache.read(at));
        cacheHits++;
        tick();
      } else if (!writer && file.reused) tick();
      else toDecode.push(file);
    }
    await oldCache?.close();
    await Promise.all(
      toDecode.map(async (file) => {
        try {
          const { pixels } = await pool.decode(
            file.path,
            {
              size: shape.size,
              channels: shape.channels,
              maxPixels: shape.maxPixels,
              expectHash: file.hash,
            },
            signal,
          );
          decoded++;
          writer?.add(file.hash, pixels);
        } catch (err) {
          failed.set(file.hash, reasonOrThrow(err));
        } finally {
          tick();
        }
      }),
    );
    throwIfAborted(signal);
    const cache = writer
      ? await writer.commit((done, total) => onProgress?.({ phase: 'cache', done, total }))
      : null;
    return { failed, decoded, cacheHits, cache };
  } catch (err) {
    await oldCache?.close().catch(() => undefined);
    await writer?.abort();
    throw err;
  }
}
