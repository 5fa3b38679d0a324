/**
 * The Embeddings view's data: project a run's features of (a seeded sample of) its dataset to 2-D,
 * keep the projection and the features, and answer nearest-neighbour questions from them.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkbenchError } from '../../shared/errors';
import type { Projection } from '../../shared/schemas/embeddings';
import { sampleIndices } from '../random/index';
import { nearestNeighbours } from '../ssl/eval/projection';
import type { ServiceContext } from './context';
import type { DatasetsService } from './datasets';
import type { ExperimentsService } from './experiments';
import type { RunsService } from './runs';
import { runInputs, runModelRequest } from './run-model';

export class EmbeddingsService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly experiments: ExperimentsService,
    private readonly runs: RunsService,
    private readonly datasets: DatasetsService,
  ) {}

  async project(runId: number, algorithm: 'pca' | 'umap', limit: number, signal?: AbortSignal): Promise<Projection> {
    const { experiment, resolved, data, checkpoint } = await runInputs(this.ctx, this.experiments, this.datasets, this.runs.get(runId));
    const all = [...data.train, ...data.val];
    const ids = [...data.trainImageIds, ...data.valImageIds];
    const chosen = sampleIndices(all.length, limit, experiment.seed);
    const items = chosen.map((i) => all[i]!);
    const imageIds = chosen.map((i) => ids[i]!);
    const dir = join(this.ctx.home, 'embeddings');
    mkdirSync(dir, { recursive: true });
    const featuresPath = join(dir, `run-${runId}-${Date.now()}.f32`);
    const { coords, dim } = await this.ctx.engine.call(
      'project',
      { model: runModelRequest(resolved, data, { checkpoint }), items, algorithm, featuresFile: featuresPath },
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
