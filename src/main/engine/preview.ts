/**
 * Augmentation previews in the engine worker: the same `buildViews` code path as training, on cached
 * images, encoded as PNGs plus the labelled grid the CLI writes and the UI shows.
 */
import { previewAugmentations } from '../augment/preview';
import { renderPreviewGrid } from '../augment/preview/grid';
import { TensorCache } from '../data/cache';
import { readImages } from '../data/cache-images';
import { initBackend } from '../compute/tf';
import type { PreviewReply, PreviewRequestParams } from './protocol';

export async function preview(req: PreviewRequestParams): Promise<PreviewReply> {
  await initBackend(req.backend);
  const cache = await TensorCache.open(req.cacheFile);
  try {
    const images = await readImages(cache, req.cacheIndices, req.imageSize);
    try {
      const result = await previewAugmentations({
        images,
        spec: req.spec,
        seed: req.seed,
        pairs: req.pairs,
        stepByStep: req.stepByStep,
        imageKeys: req.imageKeys,
      });
      const grid = await renderPreviewGrid(result, { labels: true, steps: false });
      return { grid, items: result.items, params: result.params, viewNames: result.viewNames, viewSizes: result.viewSizes };
    } finally {
      images.dispose();
    }
  } finally {
    await cache.close();
  }
}
