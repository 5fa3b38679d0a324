/**
 * Embeddings for inspection: a run's encoder features of some dataset images (written to a float32
 * file for neighbour queries), their 2-D PCA or UMAP projection, and optionally the kNN prediction
 * of some of them against others (the Embeddings view's "kNN correctness" colouring).
 */
import { writeFileAtomicSync } from '../files/atomic-file';
import { pcaProjection, umap2d } from '../ssl/eval/projection';
import { embedItems, knnPredictRows } from '../ssl/eval/evaluate';
import type { EngineResult, HandlerContext, ProjectRequest } from './protocol';
import { openRunModel } from './run-model';

export async function project(req: ProjectRequest, ctx: HandlerContext<'project'>): Promise<EngineResult<'project'>> {
  const { cache, method, close } = await openRunModel(req.model);
  try {
    ctx.emit('progress', { phase: 'embed', done: 0, total: req.items.length });
    const { features, dim } = await embedItems((images) => method.embed(images), cache, req.items, req.model.imageSize, ctx.signal);
    writeFileAtomicSync(req.featuresFile, new Uint8Array(features.buffer, features.byteOffset, features.byteLength));
    ctx.emit('progress', { phase: req.algorithm, done: 0, total: req.items.length });
    const n = req.items.length;
    const projected = req.algorithm === 'pca' ? pcaProjection(features, n, dim) : { coords: umap2d(features, n, dim, req.model.seed) };
    const knnPredictions = req.knn ? await knnPredictRows(features, dim, req.knn) : undefined;
    return { ...projected, dim, ...(knnPredictions ? { knnPredictions } : {}) };
  } finally {
    await close();
  }
}
