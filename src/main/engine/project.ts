/**
 * Embeddings for inspection: a run's encoder features of some dataset images (written to a float32
 * file for neighbour queries) and their 2-D PCA or UMAP projection.
 */
import { renameSync, writeFileSync } from 'node:fs';
import type { LoaderItem } from '../data/loader';
import { pca2d, umap2d } from '../ssl/eval/projection';
import type { MethodConfig } from '../../shared/schemas/method';
import { embedItems } from './evaluate';
import type { HandlerContext } from './handlers';
import { openRunModel } from './run-model';

export interface ProjectRequest {
  method: MethodConfig;
  imageSize: number;
  seed: number;
  checkpoint?: string;
  cacheFile: string;
  items: LoaderItem[];
  datasetSize: number;
  algorithm: 'pca' | 'umap';
  featuresFile: string;
  backend?: string;
}

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
