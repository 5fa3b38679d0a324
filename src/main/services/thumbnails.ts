/**
 * Thumbnails for the UI, drawn from the dataset's tensor cache (the pixels training sees), so they
 * work for image folders and standard formats (IDX, CIFAR-10) alike and never touch the user's files.
 */
import sharp from 'sharp';
import { WorkbenchError } from '../../shared/errors';
import { TensorCache } from '../data/cache';
import type { ServiceContext } from './context';

export async function thumbnails(ctx: ServiceContext, imageIds: readonly number[], side = 64): Promise<{ imageId: number; url: string }[]> {
  const rows = ctx.store.images.byIds(imageIds);
  const byDataset = new Map<number, typeof rows>();
  for (const row of rows) byDataset.set(row.dataset_id, [...(byDataset.get(row.dataset_id) ?? []), row]);
  const out: { imageId: number; url: string }[] = [];
  for (const [datasetId, images] of byDataset) {
    const dataset = ctx.store.datasets.get(datasetId);
    if (!dataset?.cache_path) throw new WorkbenchError('UNAVAILABLE', `dataset ${datasetId} has no tensor cache yet`);
    const cache = await TensorCache.open(dataset.cache_path);
    try {
      for (const image of images) {
        const index = cache.indexOf(image.hash);
        if (index < 0) continue;
        const pixels = await cache.read(index);
        const png = await sharp(pixels, { raw: { width: cache.size, height: cache.size, channels: cache.channels } })
          .resize(side, side, { kernel: cache.size < side ? 'nearest' : 'lanczos3' })
          .png()
          .toBuffer();
        out.push({ imageId: image.id, url: `data:image/png;base64,${png.toString('base64')}` });
      }
    } finally {
      await cache.close();
    }
  }
  return out;
}
