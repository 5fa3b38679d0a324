/**
 * Exports of trained encoders: resolve the run (experiment, last checkpoint, dataset), let the engine
 * write the files atomically, and record the export. A run without a checkpoint, an unknown run and a
 * non-empty folder (without force) are refused before anything is written.
 */
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { WorkbenchError } from '../../shared/errors';
import type { ExportReply, ExportRequestSchema } from '../../shared/schemas/exports';
import type { z } from 'zod';
import { TensorCache } from '../data/cache';
import { checkOutputDir } from '../files/atomic-dir';
import { writePytorchProject } from '../export/pytorch/index';
import { appVersion } from '../version';
import type { ServiceContext } from './context';
import type { DatasetsService } from './datasets';
import type { ExperimentsService } from './experiments';
import type { RunsService } from './runs';
import { runModelRequest } from './run-model';
import { trainDataFor } from './training-data';

export class ExportsService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly experiments: ExperimentsService,
    private readonly runs: RunsService,
    private readonly datasets: DatasetsService,
  ) {}

  /** sha256 over the dataset's sorted image hashes: identifies its content, not its location. */
  private contentHash(datasetId: number): string {
    const hashes = this.ctx.store.images
      .page(datasetId, 0, Number.MAX_SAFE_INTEGER)
      .map((r) => r.hash)
      .sort();
    return createHash('sha256').update(hashes.join('\n')).digest('hex');
  }

  async create(params: z.output<typeof ExportRequestSchema>, signal?: AbortSignal): Promise<ExportReply> {
    if (params.runId === undefined) {
      // The schema allows an experiment only for pytorch-project; say so again for direct callers.
      if (params.experimentId === undefined || params.format !== 'pytorch-project') {
        throw new WorkbenchError('INVALID_INPUT', `invalid export options: ${params.format} exports a trained encoder and needs a run (runId)`);
      }
      this.experiments.get(params.experimentId); // NOT_FOUND: "no experiment with id …"
      return this.createPytorchProject(null, params.experimentId, params);
    }
    const run = this.runs.get(params.runId);
    if (params.format === 'pytorch-project') return this.createPytorchProject(run.id, run.experiment_id, params);
    const checkpoint = this.ctx.store.checkpoints.latest(run.id);
    if (!checkpoint) throw new WorkbenchError('CONFLICT', `run ${run.id} has no checkpoint to export; train it first (cwb train)`);
    const outDir = resolve(params.outDir);
    await checkOutputDir(outDir, { force: params.force });
    const experiment = this.experiments.get(run.experiment_id);
    const resolved = this.experiments.resolve(experiment);
    const dataset = this.ctx.store.datasets.get(experiment.datasetId);
    if (!dataset) throw new WorkbenchError('NOT_FOUND', `the run's dataset ${experiment.datasetId} no longer exists`);
    const summary = JSON.parse(run.summary_json) as Record<string, unknown>;
    const metrics: Record<string, number> = {};
    for (const key of ['finalLoss', 'knnAccuracy', 'imagesPerSecond']) if (typeof summary[key] === 'number') metrics[key] = summary[key];
    const data = await trainDataFor(this.ctx, this.datasets, experiment.datasetId);
    if (params.format === 'safetensors') {
      // The encoder keyed like the generated project's models.ResNet: `train.py --init-from` reads it.
      const reply = await this.ctx.engine.call('exportSafetensors', {
        model: runModelRequest(resolved, data, { checkpoint }),
        outFile: join(outDir, 'encoder.safetensors'),
        metadata: { runId: String(run.id), method: experiment.method, encoder: resolved.method.encoder.name, widthMultiplier: String(resolved.method.encoder.widthMultiplier), imageSize: String(resolved.imageSize), channels: String(dataset.channels) },
      });
      const files = ['encoder.safetensors'];
      const exportId = this.ctx.store.exports.insert({ runId: run.id, format: params.format, outDir, files, metadata: { tensors: reply.tensors } });
      return { runId: run.id, experimentId: run.experiment_id, format: params.format, outDir, files, exportId, maxAbsDiff: null };
    }
    let embeddings;
    if (params.format === 'embeddings') {
      const rows = this.ctx.store.images.page(experiment.datasetId, 0, Number.MAX_SAFE_INTEGER);
      const byHash = new Map(rows.map((r) => [r.hash, r]));
      const items = [...data.train, ...data.val];
      // Loader items carry cache indices; map back to paths and labels through the image hashes.
      const cache = await TensorCache.open(data.cacheFile);
      const hashOf = (i: number): string => cache.hashes[i] ?? '';
      const labels = items.map((it) => byHash.get(hashOf(it.cacheIndex))?.label ?? null);
      const paths = items.map((it) => byHash.get(hashOf(it.cacheIndex))?.abs_path ?? '');
      await cache.close();
      embeddings = { items, labels, paths };
    }
    const reply = await this.ctx.engine.call(
      'exportRun',
      {
        model: runModelRequest(resolved, data, { checkpoint }),
        format: params.format,
        outDir,
        force: params.force,
        metadata: {
          architecture: resolved.method.encoder.name,
          widthMultiplier: resolved.method.encoder.widthMultiplier,
          normalization: { mean: new Array<number>(dataset.channels).fill(0), std: new Array<number>(dataset.channels).fill(1) },
          pixelRange: [0, 1],
          training: {
            method: experiment.method,
            runId: run.id,
            experiment: { id: run.experiment_id, name: this.ctx.store.experiments.get(run.experiment_id)?.name ?? '', config: experiment },
            dataset: { id: dataset.id, name: dataset.name, contentHash: this.contentHash(dataset.id) },
            metrics,
          },
        },
        ...(embeddings ? { embeddings } : {}),
      },
      signal ? { signal } : {},
    );
    const exportId = this.ctx.store.exports.insert({ runId: run.id, format: params.format, outDir: reply.outDir, files: reply.files, metadata: { maxAbsDiff: reply.maxAbsDiff } });
    return { runId: run.id, experimentId: run.experiment_id, format: params.format, outDir: reply.outDir, files: reply.files, exportId, maxAbsDiff: reply.maxAbsDiff };
  }

  /**
   * A Python project that retrains the experiment (a run's, or one given directly) with PyTorch DDP:
   * no checkpoint, no engine call.
   */
  private async createPytorchProject(runId: number | null, experimentId: number, params: z.output<typeof ExportRequestSchema>): Promise<ExportReply> {
    const experiment = this.experiments.get(experimentId);
    const resolved = this.experiments.resolve(experiment);
    const dataset = this.ctx.store.datasets.get(experiment.datasetId);
    if (!dataset) throw new WorkbenchError('NOT_FOUND', `the experiment's dataset ${experiment.datasetId} no longer exists`);
    const images = this.ctx.store.images.page(dataset.id, 0, Number.MAX_SAFE_INTEGER);
    const files = await writePytorchProject(
      resolve(params.outDir),
      {
        resolved,
        dataset: {
          id: dataset.id,
          name: dataset.name,
          rootPath: dataset.root_path,
          kind: dataset.kind,
          imageSize: dataset.image_size,
          channels: dataset.channels,
          classes: JSON.parse(dataset.classes_json) as string[],
        },
        valPaths: images.filter((i) => i.split === 'val').map((i) => i.rel_path.replace(/\\/g, '/')),
        source: { runId, experimentId, experimentName: this.ctx.store.experiments.get(experimentId)?.name ?? `experiment ${experimentId}`, workbenchVersion: appVersion() },
      },
      { force: params.force },
    );
    const outDir = resolve(params.outDir);
    const exportId = this.ctx.store.exports.insert({ runId, format: params.format, outDir, files, metadata: { maxAbsDiff: null, experimentId } });
    return { runId, experimentId, format: params.format, outDir, files, exportId, maxAbsDiff: null };
  }

  list(runId?: number) {
    return this.ctx.store.exports.list(runId).map((r) => ({
      id: r.id,
      runId: r.run_id,
      experimentId: r.experiment_id,
      format: r.format,
      outDir: r.out_dir,
      files: JSON.parse(r.files_json) as string[],
      createdAt: r.created_at,
    }));
  }
}
