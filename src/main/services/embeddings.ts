/**
 * The Embeddings view's data: project a run's features of (a seeded sample of) its dataset to 2-D,
 * keep the projection and the features, and answer nearest-neighbour questions from them. Each
 * point carries what the view colours by: label, split, the SwAV prototype of the run's last stored
 * assignments, and (validation points) whether the run's kNN classifies it right.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkbenchError } from '../../shared/errors';
import type { Projection } from '../../shared/schemas/embeddings';
import type { Experiment } from '../../shared/schemas/experiment';
import type { LoaderItem } from '../data/loader';
import type { KnnRows } from '../ssl/eval/evaluate';
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
    const isVal = chosen.map((i) => i >= data.train.length);
    const knn = knnRowsOf(items, isVal, data.numClasses, experiment.evaluation);
    const dir = join(this.ctx.home, 'embeddings');
    mkdirSync(dir, { recursive: true });
    const featuresPath = join(dir, `run-${runId}-${Date.now()}.f32`);
    const result = await this.ctx.engine.call(
      'project',
      { model: runModelRequest(resolved, data, { checkpoint }), items, algorithm, featuresFile: featuresPath, ...(knn ? { knn } : {}) },
      signal ? { signal } : {},
    );
    const { coords, dim } = result;
    const projectionId = this.ctx.store.projections.insert({ runId, algorithm, imageIds, coords, featuresPath, dim });
    const meta = new Map(this.ctx.store.images.byIds(imageIds).map((r) => [r.id, r]));
    const predicted = new Map((knn?.queries ?? []).map((row, q) => [row, result.knnPredictions?.[q]]));
    const prototypeEpoch = this.ctx.store.prototypeAssignments.epochs(runId).at(-1) ?? null;
    const prototypes = new Map(
      prototypeEpoch === null ? [] : this.ctx.store.prototypeAssignments.byImage(runId, prototypeEpoch).map((a) => [a.imageId, a.prototype]),
    );
    return {
      projectionId,
      runId,
      algorithm,
      dim,
      points: imageIds.map((imageId, i) => {
        const prediction = predicted.get(i);
        return {
          imageId,
          x: coords[2 * i] ?? 0,
          y: coords[2 * i + 1] ?? 0,
          label: meta.get(imageId)?.label ?? null,
          split: isVal[i] ? ('val' as const) : ('train' as const),
          prototype: prototypes.get(imageId) ?? null,
          knnCorrect: prediction === undefined ? null : prediction === items[i]!.label,
          knnPrediction: prediction === undefined ? null : (data.classes[prediction] ?? null),
        };
      }),
      ...(result.varianceRatio ? { varianceExplained: result.varianceRatio } : {}),
      knn: knn ? { k: Math.min(knn.k, knn.bank.rows.length), temperature: knn.temperature, bankSize: knn.bank.rows.length, queries: knn.queries.length } : null,
      prototypeEpoch,
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

/**
 * The "kNN correctness" colouring: each labelled validation image of the sample is classified by
 * the run's weighted kNN (its k and τ) with the sample's labelled training images as the bank —
 * every image of a small dataset, a seeded subset of a large one. Undefined when either side is empty.
 */
export function knnRowsOf(
  items: readonly LoaderItem[],
  isVal: readonly boolean[],
  numClasses: number,
  evaluation: Experiment['evaluation'],
): KnnRows | undefined {
  const bank = { rows: [] as number[], labels: [] as number[] };
  const queries: number[] = [];
  items.forEach((item, row) => {
    if (item.label < 0) return;
    if (isVal[row]) queries.push(row);
    else {
      bank.rows.push(row);
      bank.labels.push(item.label);
    }
  });
  if (numClasses < 2 || bank.rows.length === 0 || queries.length === 0) return undefined;
  return { bank, queries, numClasses, k: evaluation.knnK, temperature: evaluation.knnTemperature };
}
