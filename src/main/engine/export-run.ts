/**
 * Export a run's encoder from the engine worker: rebuild the method, load the checkpoint, then write
 * a tfjs LayersModel, a verified ONNX model or the dataset's embeddings (src/main/export).
 */
import { exportEncoder } from '../export/index';
import { embedItems } from '../ssl/eval/evaluate';
import type { ExportRunRequest, HandlerContext } from './protocol';
import { openRunModel } from './run-model';

export async function exportRun(req: ExportRunRequest, ctx: HandlerContext): Promise<{ outDir: string; files: string[]; maxAbsDiff: number | null }> {
  const { cache, method, close } = await openRunModel({
    method: req.method,
    imageSize: req.imageSize,
    seed: req.seed,
    cacheFile: req.cacheFile,
    datasetSize: req.datasetSize,
    ...(req.checkpoint ? { checkpoint: req.checkpoint } : {}),
    ...(req.backend ? { backend: req.backend } : {}),
  });
  try {
    let embeddings;
    if (req.format === 'embeddings') {
      if (!req.embeddings) throw new Error('embeddings export needs the images to embed');
      ctx.emit('progress', { phase: 'embed', done: 0, total: req.embeddings.items.length });
      const { features, dim } = await embedItems((images) => method.embed(images), cache, req.embeddings.items, req.imageSize, ctx.signal);
      embeddings = { features, dim, labels: req.embeddings.labels, paths: req.embeddings.paths };
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
    await close();
  }
}
