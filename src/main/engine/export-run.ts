/**
 * Export a run's encoder from the engine worker: rebuild the method, load the checkpoint, then write
 * a tfjs LayersModel, a verified ONNX model or the dataset's embeddings (src/main/export).
 */
import { TensorCache } from '../data/cache';
import type { LoaderItem } from '../data/loader';
import { exportEncoder, type ExportMetadataInput } from '../export/index';
import { createMethod } from '../ssl/methods/index';
import type { MethodConfig } from '../../shared/schemas/method';
import { embedItems } from './evaluate';
import { loadCheckpointInto } from './run-state';
import type { HandlerContext } from './handlers';
import { initBackend } from './tf';

export interface ExportRunRequest {
  method: MethodConfig;
  imageSize: number;
  seed: number;
  checkpoint?: string;
  format: 'tfjs' | 'onnx' | 'embeddings';
  outDir: string;
  force: boolean;
  metadata: ExportMetadataInput;
  /** Images whose embeddings are written (format 'embeddings'). */
  embeddings?: { cacheFile: string; items: LoaderItem[]; labels: (string | null)[]; paths: string[] };
  datasetSize: number;
  channels: 1 | 3;
  backend?: string;
}

export async function exportRun(req: ExportRunRequest, ctx: HandlerContext): Promise<{ outDir: string; files: string[]; maxAbsDiff: number | null }> {
  await initBackend(req.backend);
  const method = createMethod(req.method.method, req.method, {
    imageSize: req.imageSize,
    channels: req.channels,
    datasetSize: Math.max(1, req.datasetSize),
    seed: req.seed,
  });
  try {
    if (req.checkpoint) await loadCheckpointInto(req.checkpoint, method);
    let embeddings;
    if (req.format === 'embeddings') {
      if (!req.embeddings) throw new Error('embeddings export needs the images to embed');
      const cache = await TensorCache.open(req.embeddings.cacheFile);
      try {
        ctx.emit('progress', { phase: 'embed', done: 0, total: req.embeddings.items.length });
        const { features, dim } = await embedItems((images) => method.embed(images), cache, req.embeddings.items, req.imageSize, ctx.signal);
        embeddings = { features, dim, labels: req.embeddings.labels, paths: req.embeddings.paths };
      } finally {
        await cache.close();
      }
    }
    const result = await exportEncoder({
      encoder: method.encoder,
      format: req.format,
      outDir: req.outDir,
      force: req.force,
      metadata: req.metadata,
      inputSize: [req.imageSize, req.imageSize],
      ...(embeddings ? { embeddings } : {}),
    });
    return { outDir: result.outDir, files: result.files, maxAbsDiff: result.verification?.maxAbsDiff ?? null };
  } finally {
    method.dispose();
  }
}
