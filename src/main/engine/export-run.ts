/**
 * Export a run's encoder from the engine worker: rebuild the method, load the checkpoint, then write
 * a tfjs LayersModel, a verified ONNX model or the dataset's embeddings (src/main/export).
 */
import type { LoaderItem } from '../data/loader';
import { exportEncoder, type ExportMetadataInput } from '../export/index';
import type { MethodConfig } from '../../shared/schemas/method';
import { embedItems } from './evaluate';
import type { HandlerContext } from './handlers';
import { openRunModel } from './run-model';

export interface ExportRunRequest {
  method: MethodConfig;
  imageSize: number;
  seed: number;
  checkpoint?: string;
  format: 'tfjs' | 'onnx' | 'embeddings';
  outDir: string;
  force: boolean;
  metadata: ExportMetadataInput;
  /** The dataset's tensor cache (channels, and the images of an embeddings export). */
  cacheFile: string;
  /** Images whose embeddings are written (format 'embeddings'). */
  embeddings?: { items: LoaderItem[]; labels: (string | null)[]; paths: string[] };
  datasetSize: number;
  backend?: string;
}

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
