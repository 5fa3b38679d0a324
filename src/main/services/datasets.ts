/**
 * Datasets: import a folder (read-only) into the record, list them, page through their images.
 * The scanning, decoding and caching are the data layer's; this service records the outcome in one
 * transaction so a failed import leaves nothing half-written.
 */
import { createHash } from 'node:crypto';
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { WorkbenchError } from '../../shared/errors';
import type { CallParams, CallReply, CallRequest } from '../../shared/api';
import { ImportDatasetRequestSchema } from '../../shared/schemas/datasets';
import { parseOrThrow } from '../../shared/validate';
import type { Dataset } from '../../shared/schemas/datasets';
import { DatasetImportError } from '../data/errors';
import { duplicatesReport } from '../data/duplicates';
import { fsErrorReason } from '../data/reasons';
import { importImageFolder } from '../data/import/folder';
import type { ImportedImage, PreviousFileInfo, SkippedFile } from '../data/types';
import { detectStandardFormatFolder } from '../data/formats/detect';
import { writeDemoShapes } from '../data/demo-shapes';
import { importStandardFormatFolder } from './standard-format-import';
import type { DatasetWithCounts } from '../store/repositories/datasets';
import type { ServiceContext } from './context';

function toDataset(row: DatasetWithCounts): Dataset {
  return {
    id: row.id,
    name: row.name,
    rootPath: row.root_path,
    kind: row.kind,
    imageSize: row.image_size,
    channels: row.channels,
    numImages: row.num_images,
    numSkipped: row.num_skipped,
    classes: JSON.parse(row.classes_json) as string[],
    valFraction: row.val_fraction,
    seed: row.seed,
    createdAt: row.created_at,
  };
}

const IMPORT_ERROR_CODES: Record<DatasetImportError['code'], 'NOT_FOUND' | 'INVALID_INPUT' | 'CANCELLED'> = {
  'not-found': 'NOT_FOUND',
  'not-a-directory': 'INVALID_INPUT',
  unreadable: 'INVALID_INPUT',
  empty: 'INVALID_INPUT',
  'no-valid-images': 'INVALID_INPUT',
  'cache-inside-dataset': 'INVALID_INPUT',
  aborted: 'CANCELLED',
  'bad-format': 'INVALID_INPUT',
};

/**
 * The labels CSV must be a readable file. Checked before any image is read, and said about the
 * form's `labelsCsv` field (`details.issues`, as a schema error would be) so the UI shows it there.
 */
function checkLabelsCsv(file: string): void {
  const refuse = (code: 'NOT_FOUND' | 'INVALID_INPUT', problem: string): never => {
    throw new WorkbenchError(code, `labels CSV ${file}: ${problem}`, { issues: [{ path: 'labelsCsv', message: problem }] });
  };
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    return refuse(missing ? 'NOT_FOUND' : 'INVALID_INPUT', missing ? 'no such file' : fsErrorReason(err, 'file'));
  }
  if (!isFile) refuse('INVALID_INPUT', 'is a folder, not a CSV file');
  try {
    accessSync(file, fsConstants.R_OK);
  } catch {
    refuse('INVALID_INPUT', 'permission denied (cannot read this file)');
  }
}

/**
 * What an import reports: images imported, skips, duplicates. A folder import counts the images recorded
 * for training (exact duplicates not counted); a standard-format import (IDX, CIFAR) counts every record
 * it read (`--limit N` imports N), as it always has — its duplicates are reported beside it.
 */
function importReply(datasetId: number, images: readonly ImportedImage[], skipped: readonly SkippedFile[], count: 'unique' | 'records' = 'unique'): CallReply<'datasets:import'> {
  const imported = count === 'records' ? images.length : images.filter((image) => !image.duplicateOf).length;
  return { datasetId, imported, skipped: [...skipped], duplicates: duplicatesReport(images) };
}

export class DatasetsService {
  constructor(private readonly ctx: ServiceContext) {}

  list(): Dataset[] {
    return this.ctx.store.datasets.list().map(toDataset);
  }

  get(datasetId: number): Dataset {
    const row = this.ctx.store.datasets.get(datasetId);
    if (!row) throw new WorkbenchError('NOT_FOUND', `no dataset with id ${datasetId}`);
    return toDataset(row);
  }

  /** Import a folder; `request` is validated here too, so in-process callers get the defaults. */
  async import(request: CallRequest<'datasets:import'>, signal?: AbortSignal): Promise<CallReply<'datasets:import'>> {
    const params = parseOrThrow(ImportDatasetRequestSchema, request, 'dataset import');
    const dir = resolve(params.dir);
    const cacheFile = this.cacheFileFor(dir, params.size);
    const standard = detectStandardFormatFolder(dir);
    if (standard) {
      // Standard formats (IDX, CIFAR-10) keep their native size and their own train/test split.
      const result = await importStandardFormatFolder(standard, {
        cacheFile: this.cacheFileFor(dir, 0),
        seed: params.seed,
        ...(params.limit !== undefined ? { limit: params.limit } : {}),
        onProgress: (done, total) => this.ctx.emit('datasets:import-progress', { phase: 'decode', done, total, dir }),
      });
      const datasetId = this.record(params, dir, standard.kind, result.images, [], {
        size: result.size,
        channels: result.channels,
        classes: result.classes,
        cacheFile: result.cacheFile,
      });
      return importReply(datasetId, result.images, [], 'records');
    }
    if (params.labelsCsv) checkLabelsCsv(resolve(params.labelsCsv));
    const previous = this.previousImport(dir);
    let result: Awaited<ReturnType<typeof importImageFolder>>;
    try {
      result = await importImageFolder(dir, {
        size: params.size,
        valFraction: params.valFraction,
        seed: params.seed,
        groups: params.groups,
        cacheFile,
        ...(previous.size > 0 ? { previous } : {}),
        ...(params.labelsCsv ? { labelsCsv: resolve(params.labelsCsv) } : {}),
        ...(signal ? { signal } : {}),
        onProgress: (p) => this.ctx.emit('datasets:import-progress', { ...p, dir }),
      });
    } catch (err) {
      if (err instanceof DatasetImportError) {
        throw new WorkbenchError(IMPORT_ERROR_CODES[err.code], err.message, err.skipped.length ? { skipped: err.skipped } : undefined);
      }
      throw err;
    }
    const { images, skipped, stats } = result;
    const datasetId = this.record(params, dir, 'folder', images, skipped, {
      size: params.size,
      channels: stats.channels,
      classes: Object.keys(stats.classes).sort(),
      cacheFile: result.cache?.file ?? null,
    });
    return importReply(datasetId, images, skipped);
  }

  /**
   * The demo dataset offered on first start: generated colour shapes in the workspace (never a user
   * folder), imported like any folder. Importing it again returns the existing dataset.
   */
  async importDemo(): Promise<CallReply<'datasets:import'>> {
    const dir = join(this.ctx.home, 'samples', 'colour-shapes');
    const existing = this.ctx.store.datasets.findByRoot(dir);
    if (existing) return { datasetId: existing.id, imported: this.ctx.store.images.count(existing.id), skipped: [], duplicates: duplicatesReport([]) };
    await writeDemoShapes(dir);
    return this.import({ dir, name: 'Colour shapes (demo)', size: 32, valFraction: 0.25, seed: 0 });
  }

  /** Record a dataset, its images and skipped files in one transaction: all of it or nothing. */
  private record(
    params: CallParams<'datasets:import'>,
    dir: string,
    kind: 'folder' | 'idx' | 'cifar',
    images: readonly ImportedImage[],
    skipped: readonly SkippedFile[],
    shape: { size: number; channels: 1 | 3; classes: string[]; cacheFile: string | null },
  ): number {
    const store = this.ctx.store;
    return store.transaction(() => {
      const id = store.datasets.insert({
        name: params.name ?? dir.split(/[\\/]/).filter(Boolean).pop() ?? dir,
        root_path: dir,
        kind,
        image_size: shape.size,
        channels: shape.channels,
        classes_json: JSON.stringify(shape.classes),
        val_fraction: kind === 'folder' ? params.valFraction : 0,
        seed: params.seed,
        content_hash: null,
        cache_path: shape.cacheFile,
      });
      store.images.insertMany(
        images.map((image) => ({
          dataset_id: id,
          rel_path: image.relPath,
          abs_path: image.path,
          hash: image.hash,
          bytes: image.bytes,
          mtime_ms: image.mtimeMs,
          width: image.width,
          height: image.height,
          channels: image.channels,
          format: image.format,
          label: image.label,
          split: image.split,
          group_key: image.group,
          frame_index: image.frameIndex,
          status: image.duplicateOf ? 'duplicate' : 'ok',
        })),
      );
      store.skippedFiles.insertMany(id, skipped);
      return id;
    });
  }

  /**
   * Rebuild a dataset's tensor cache (deleted or moved workspace files) by decoding its folder again
   * at the recorded size; returns the new cache file. The user's folder is only read.
   */
  async rebuildCache(datasetId: number): Promise<string> {
    const row = this.ctx.store.datasets.get(datasetId);
    if (!row) throw new WorkbenchError('NOT_FOUND', `no dataset with id ${datasetId}`);
    const cacheFile = this.cacheFileFor(row.root_path, row.image_size);
    const result = await importImageFolder(row.root_path, {
      size: row.image_size,
      valFraction: row.val_fraction,
      seed: row.seed,
      channels: row.channels,
      cacheFile,
      previous: this.previousImport(row.root_path),
    }).catch((err: unknown) => {
      throw new WorkbenchError('UNAVAILABLE', `the tensor cache of dataset ${datasetId} is missing or damaged and could not be rebuilt from ${row.root_path}: ${(err as Error).message}`);
    });
    const file = result.cache?.file ?? cacheFile;
    this.ctx.store.datasets.setCachePath(datasetId, file);
    return file;
  }

  private cacheFileFor(dir: string, size: number): string {
    // In the workspace, keyed by folder and size; records inside are keyed by content hash.
    const folderKey = createHash('sha256').update(dir).digest('hex').slice(0, 16);
    return join(this.ctx.home, 'cache', `folder-${folderKey}-s${size}.cwbcache`);
  }

  /** Re-importing a folder only re-reads files whose size or mtime changed since its last import. */
  private previousImport(dir: string): Map<string, PreviousFileInfo> {
    const last = this.ctx.store.datasets.findByRoot(dir);
    const map = new Map<string, PreviousFileInfo>();
    if (!last) return map;
    for (const row of this.ctx.store.images.fingerprints(last.id)) {
      map.set(row.rel_path, {
        hash: row.hash,
        mtimeMs: row.mtime_ms,
        size: row.bytes,
        width: row.width,
        height: row.height,
        channels: row.channels,
        format: row.format as PreviousFileInfo['format'],
      });
    }
    return map;
  }

  images(params: CallParams<'datasets:images'>): CallReply<'datasets:images'> {
    this.get(params.datasetId);
    const filter = {
      ...(params.label !== undefined ? { label: params.label } : {}),
      ...(params.split !== undefined ? { split: params.split } : {}),
    };
    const rows = this.ctx.store.images.page(params.datasetId, params.offset, params.limit, filter);
    return {
      total: this.ctx.store.images.count(params.datasetId, filter),
      images: rows.map((r) => ({ id: r.id, relPath: r.rel_path, label: r.label, split: r.split, width: r.width, height: r.height })),
    };
  }

  classBalance(datasetId: number): CallReply<'datasets:class-balance'> {
    this.get(datasetId);
    return this.ctx.store.images.classBalance(datasetId);
  }

  skipped(datasetId: number): CallReply<'datasets:skipped'> {
    this.get(datasetId);
    return this.ctx.store.skippedFiles.list(datasetId);
  }
}
