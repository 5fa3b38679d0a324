/**
 * From a dataset's record to what the engine trains on: the tensor cache file (rebuilt when it was
 * deleted, is truncated or fails its checksums — said in one line) and loader items for the train
 * and validation splits, with class indices.
 */
import { existsSync } from 'node:fs';
import { WorkbenchError } from '../../shared/errors';
import { TensorCache, TensorCacheFormatError } from '../data/cache';
import type { LoaderItem } from '../data/loader';
import type { TrainData } from '../engine/train-types';
import type { DatasetsService } from './datasets';
import { notice, type ServiceContext } from './context';

export interface DatasetTrainData extends TrainData {
  /** Image row id of each training item (for per-image records such as SwAV assignments). */
  trainImageIds: number[];
  valImageIds: number[];
  classes: string[];
  channels: 1 | 3;
  imageSize: number;
}

export async function trainDataFor(ctx: ServiceContext, datasets: DatasetsService, datasetId: number): Promise<DatasetTrainData> {
  const row = ctx.store.datasets.get(datasetId);
  if (!row) throw new WorkbenchError('NOT_FOUND', `no dataset with id ${datasetId}`);
  let cacheFile = row.cache_path;
  if (!cacheFile || !existsSync(cacheFile)) cacheFile = await datasets.rebuildCache(datasetId);
  let cache = await openVerified(cacheFile);
  if (typeof cache === 'string') {
    notice(ctx, `the tensor cache of dataset ${datasetId} is damaged (${cache}); rebuilding it from ${row.root_path}`);
    cacheFile = await datasets.rebuildCache(datasetId);
    cache = await TensorCache.open(cacheFile);
  }
  try {
    const classes = JSON.parse(row.classes_json) as string[];
    const classIndex = new Map(classes.map((c, i) => [c, i]));
    const groups = new Map<string, number>();
    const train: LoaderItem[] = [];
    const val: LoaderItem[] = [];
    const trainImageIds: number[] = [];
    const valImageIds: number[] = [];
    for (const image of ctx.store.images.page(datasetId, 0, Number.MAX_SAFE_INTEGER)) {
      const cacheIndex = cache.indexOf(image.hash);
      if (cacheIndex < 0) continue;
      let group = -1;
      if (image.group_key !== null) {
        if (!groups.has(image.group_key)) groups.set(image.group_key, groups.size);
        group = groups.get(image.group_key) ?? -1;
      }
      const item: LoaderItem = {
        cacheIndex,
        label: image.label === null ? -1 : (classIndex.get(image.label) ?? -1),
        group,
        frameIndex: image.frame_index ?? -1,
      };
      if (image.split === 'val') {
        val.push(item);
        valImageIds.push(image.id);
      } else {
        train.push(item);
        trainImageIds.push(image.id);
      }
    }
    return { cacheFile, train, val, numClasses: classes.length, trainImageIds, valImageIds, classes, channels: cache.channels, imageSize: cache.size };
  } finally {
    await cache.close();
  }
}

/** The cache opened and checked chunk by chunk, or why it cannot be used (truncated, checksum mismatch). */
async function openVerified(file: string): Promise<TensorCache | string> {
  let cache: TensorCache;
  try {
    cache = await TensorCache.open(file);
  } catch (err) {
    if (err instanceof TensorCacheFormatError) return err.message;
    throw err;
  }
  const damage = await cache.verify();
  if (!damage) return cache;
  await cache.close();
  return damage.message;
}
