/**
 * The Embeddings view's data: project a run's features of (a seeded sample of) its dataset to 2-D,
 * keep the projection and the features, and answer nearest-neighbour questions from them.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkbenchError } from '../../shared/errors';
import type { Projection } from '../../shared/schemas/embeddings';
import { nearestNeighbours } from '../ssl/eval/projection';
import type { ServiceContext } from './context';
import type { DatasetsService } from './datasets';
import type { ExperimentsService } from './experiments';
import type { RunsService } from './runs';
import { trainDataFor } from './training-data';

export function sample(n: number, limit: number, seed: number): number[] {
  if (n <= limit) return Array.from({ length: n }, (_, i) => i);
  // Seeded partial Fisher–Yates, then sorted so the sample reads the cache in order.
  const order = Array.from({ length: n }, (_, i) => i);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < limit; i += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const j = i + ((state >>> 0) % (n - i));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order.slice(0, limit).sort((a, b) => a - b);
}

export class EmbeddingsService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly experiments: ExperimentsService,
    private readonly runs: RunsService,
    private readonly datasets: DatasetsService,
  ) {}

  async project(runId: number, algorithm: 'pca' | 'umap', limit: number, signal?: AbortSignal): Promise<Projection> {
    const run = this.runs.get(runId);
    const experiment = this.experiments.get(run.experiment_id);
    const resolved = this.experiments.resolve(experiment);
    const data = await trainDataFor(this.ctx, this.datasets, experiment.datasetId);
    const all = [...data.train, ...data.val];
    const ids = [...data.trainImageIds, ...data.valImageIds];
    const chosen = sample(all.length, limit, experiment.seed);
    const items = chosen.map((i) => all[i]!);
    const imageIds = chosen.map((i) => ids[i]!);
    const dir = join(this.ctx.home, 'embeddings');
    mkdirSync(dir, { recursive: true });
    const featuresPath = join(dir, `run-${runId}-${Date.now()}.f32`);
    const checkpoint = this.ctx.store.checkpoints.latest(runId);
    const { coords, dim } = await this.ctx.engine.call(
      'project',
      {
        method: resolved.method,
        imageSize: resolved.imageSize,
        seed: experiment.seed,
        ...(checkpoint ? { checkpoint: checkpoint.path } : {}),
        cacheFile: data.cacheFile,
        items,
        datasetSize: data.train.length,
        algorithm,
        featuresFile: featuresPath,
      },
      signal ? { signal } : {},
    );
    const projectionId = this.ctx.store.projections.insert({ runId, algorithm, imageIds, coords, featuresPath, dim });
    const meta = new Map(this.ctx.store.images.byIds(imageIds).map((r) => [r.id, r]));
    const valIds = new Set(data.valImageIds);
    return {
      projectionId,
      runId,
      algorithm,
      dim,
      points: imageIds.map((imageId, i) => ({
        imageId,
        x: coords[2 * i] ?? 0,
        y: coords[2 * i + 1] ?? 0,
        label: meta.get(imageId)?.label ?? null,
        split: valIds.has(imageId) ? ('val' as const) : ('train' as const),
      })),
    };
  }

  neighbours(projectionId: number, imageId: number, k: number): { imageId: number; similarity: number; label: string | null }[] {
    const row = this.ctx.store.projections.get(projectionId);
    if (!row) throw new WorkbenchError('NOT_FOUND', `no projection with id ${projectionId}`);
    const imageIds = JSON.parse(row.image_ids_json) as number[];
    const query = imageIds.indexOf(imageId);
    if (query < 0) throw new WorkbenchError('NOT_FOUND', `image ${imageId} is not in projection ${projectionId}`);
    let bytes: Buffer;
    try {
      bytes = readFileSync(row.features_path);
    } catch {
      throw new WorkbenchError('UNAVAILABLE', `the features of projection ${projectionId} are gone (${row.features_path}); project again`);
    }
    const features = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const found = nearestNeighbours(features, imageIds.length, row.dim, query, k);
    const labels = new Map(this.ctx.store.images.byIds(found.map((f) => imageIds[f.index]!)).map((r) => [r.id, r.label]));
    return found.map((f) => ({ imageId: imageIds[f.index]!, similarity: f.similarity, label: labels.get(imageIds[f.index]!) ?? null }));
  }
}
