/**
 * Embeddings for inspection: a run's encoder features of some dataset images (written to a float32
 * file for neighbour queries) and their 2-D PCA or UMAP projection.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { pca2d, umap2d } from '../ssl/eval/projection';
import { embedItems } from '../ssl/eval/evaluate';
import type { ProjectRequest, HandlerContext } from './protocol';
import { openRunModel } from './run-model';

export async function project(req: ProjectRequest, ctx: HandlerContext): Promise<{ coords: Float32Array; dim: number }> {
  const { cache, method, close } = await openRunModel(req);
  try {
    ctx.emit('progress', { phase: 'embed', done: 0, total: req.items.length });
    const { features, dim } = await embedItems((images) => method.embed(images), cache, req.items, req.imageSize, ctx.signal);
    const tmp = `${req.featuresFile}.tmp-${process.pid}`;
    writeFileSync(tmp, new Uint8Array(features.buffer, features.byteOffset, features.byteLength));
    renameSync(tmp, req.featuresFile);
    ctx.emit('progress', { phase: req.algorithm, done: 0, total: req.items.length });
    const coords = req.algorithm === 'pca' ? pca2d(features, req.items.length, dim) : umap2d(features, req.items.length, dim, req.seed);
    return { coords, dim };
  } finally {
    await close();
  }
}
