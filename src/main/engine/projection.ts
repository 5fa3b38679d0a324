/**
 * Embeddings for inspection: a run's encoder features of some dataset images (written to a float32
 * file for neighbour queries) and their 2-D PCA or UMAP projection.
 */
import { writeFileAtomicSync } from '../files/atomic-file';
import { pca2d, umap2d } from '../ssl/eval/projection';
import { embedItems } from '../ssl/eval/evaluate';
import type { EngineResult, HandlerContext, ProjectRequest } from './protocol';
import { openRunModel } from './run-model';

export async function project(req: ProjectRequest, ctx: HandlerContext<'project'>): Promise<EngineResult<'project'>> {
  const { cache, method, close } = await openRunModel(req.model);
  try {
    ctx.emit('progress', { phase: 'embed', done: 0, total: req.items.length });
    const { features, dim } = await embedItems((images) => method.embed(images), cache, req.items, req.model.imageSize, ctx.signal);
    writeFileAtomicSync(req.featuresFile, new Uint8Array(features.buffer, features.byteOffset, features.byteLength));
    ctx.emit('progress', { phase: req.algorithm, done: 0, total: req.items.length });
    const coords = req.algorithm === 'pca' ? pca2d(features, req.items.length, dim) : umap2d(features, req.items.length, dim, req.model.seed);
    return { coords, dim };
  } finally {
    await close();
  }
}
