/**
 * Augmentation previews: sample a few images of a dataset, run the training view builder on them in
 * the engine worker, keep the grid in SQLite (per dataset, and per run at its start).
 */
import { WorkbenchError } from '../../shared/errors';
import type { AugmentSpec } from '../../shared/schemas/augment';
import type { PreviewReply, PreviewRequestSchema } from '../../shared/schemas/previews';
import type { z } from 'zod';
import { listAllAugmentPresets, resolveAugmentPreset } from './presets';
import { parseAugmentSpec } from '../../shared/schemas/augment';
import type { ServiceContext } from './context';
import type { DatasetsService } from './datasets';
import { trainDataFor } from './training-data';

const dataUrl = (png: Uint8Array): string => `data:image/png;base64,${Buffer.from(png).toString('base64')}`;

export class PreviewsService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly datasets: DatasetsService,
  ) {}

  spec(augment: string | unknown): AugmentSpec {
    try {
      return typeof augment === 'string' ? resolveAugmentPreset(this.ctx.home, augment) : parseAugmentSpec(augment);
    } catch (err) {
      if (err instanceof WorkbenchError) throw err;
      throw new WorkbenchError('INVALID_INPUT', `augment: ${(err as Error).message}`);
    }
  }

  /** Preview `spec` on `pairs` training images of the dataset, spread evenly, and record it. */
  async create(params: z.output<typeof PreviewRequestSchema>, runId: number | null = null): Promise<PreviewReply & { png: Uint8Array }> {
    const spec = this.spec(params.augment);
    const data = await trainDataFor(this.ctx, this.datasets, params.datasetId);
    const pool = data.train.length > 0 ? data.train : data.val;
    if (pool.length === 0) throw new WorkbenchError('INVALID_INPUT', `dataset ${params.datasetId} has no images to preview`);
    const count = Math.min(params.pairs, pool.length);
    const positions = Array.from({ length: count }, (_, i) => Math.floor((i * pool.length) / count));
    const reply = await this.ctx.engine.call('preview', {
      cacheFile: data.cacheFile,
      cacheIndices: positions.map((p) => pool[p]!.cacheIndex),
      imageKeys: positions,
      spec,
      seed: params.seed,
      pairs: count,
      stepByStep: params.stepByStep,
      imageSize: data.imageSize,
    });
    const previewId = this.ctx.store.previews.insert({
      dataset_id: params.datasetId,
      run_id: runId,
      kind: runId === null ? 'augment' : 'run-start',
      spec_json: JSON.stringify(spec),
      seed: params.seed,
      params_json: JSON.stringify(reply.params),
      png: Buffer.from(reply.grid),
    });
    return {
      previewId,
      png: reply.grid,
      grid: dataUrl(reply.grid),
      viewNames: reply.viewNames,
      viewSizes: reply.viewSizes,
      items: reply.items.map((item) => ({
        original: dataUrl(item.original),
        views: item.views.map(dataUrl),
        ...(item.steps ? { steps: item.steps.map((s) => ({ view: s.view, op: s.op, params: s.params, png: dataUrl(s.png) })) } : {}),
      })),
      params: reply.params,
    };
  }

  list(filter: { datasetId?: number; runId?: number }) {
    return this.ctx.store.previews.list(filter).map((row) => ({
      id: row.id,
      datasetId: row.dataset_id,
      runId: row.run_id,
      kind: row.kind,
      seed: row.seed,
      createdAt: row.created_at,
      grid: dataUrl(this.ctx.store.previews.get(row.id)!.png),
    }));
  }

  presets(): { augment: { name: string; spec: unknown; user: boolean }[] } {
    return { augment: listAllAugmentPresets(this.ctx.home) };
  }
}
