/**
 * Export a run's encoder from the engine worker: rebuild the method, load the checkpoint, then write
 * a tfjs LayersModel, a verified ONNX model or the dataset's embeddings (src/main/export).
 */
import { exportEncoder } from '../export/index';
import { embedItems } from '../ssl/eval/evaluate';
import type { EngineResult, ExportRunRequest, HandlerContext } from './protocol';
import { openRunModel } from './run-model';

export async function exportRun(req: ExportRunRequest, ctx: HandlerContext<'exportRun'>): Promise<EngineResult<'exportRun'>> {
  const { cache, method, close } = await openRunModel(req.model);
  try {
    let embeddings;
    if (req.format === 'embeddings') {
      if (!req.embeddings) throw new Error('embeddings export needs the images to embed');
      ctx.emit('progress', { phase: 'embed', done: 0, total: req.embeddings.items.length });
      const { features, dim } = await embedItems((images) => method.embed(images), cache, req.embeddings.items, req.model.imageSize, ctx.signal);
      embeddings = { features, dim, labels: req.embeddings.labels, paths: req.embeddings.paths };
    }
    const result = await exportEncoder({
      encoder: method.encoder,
      format: req.format,
      outDir: req.outDir,
      force: req.force,
      metadata: req.metadata,
      inputSize: [req.model.imageSize, req.model.imageSize],
      ...(embeddings ? { embeddings } : {}),
    });
    return { outDir: result.outDir, files: result.files, maxAbsDiff: result.verification?.maxAbsDiff ?? null };
  } finally {
    await close();
  }
}
