/**
 * kNN baselines for a run's chart: chance, the randomly initialised encoder (`cwb train --epochs 0`
 * without training) and raw pixels — computed in the engine once per dataset × encoder × k and cached.
 */
import type { RunBaselines } from '../../shared/schemas/run-records';
import type { BaselineKind } from '../store/repositories/baselines';
import type { ServiceContext } from './context';
import type { DatasetsService } from './datasets';
import type { ExperimentsService } from './experiments';
import type { RunsService } from './runs';
import { runModelRequest, splitsOf } from './run-model';
import { trainDataFor } from './training-data';

export class BaselinesService {
  /** One computation per key at a time: concurrent chart loads share it. */
  private readonly inFlight = new Map<string, Promise<number | null>>();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly experiments: ExperimentsService,
    private readonly runs: RunsService,
    private readonly datasets: DatasetsService,
  ) {}

  async forRun(runId: number): Promise<RunBaselines> {
    const run = this.runs.get(runId);
    const experiment = this.experiments.get(run.experiment_id);
    const resolved = this.experiments.resolve(experiment);
    const dataset = this.ctx.store.datasets.get(experiment.datasetId)!;
    const classes = (JSON.parse(dataset.classes_json) as string[]).length;
    const { encoder: enc } = resolved.method;
    const encoder = `${enc.name}×${enc.widthMultiplier}@${resolved.imageSize}px`;
    const k = experiment.evaluation.knnK;
    const base = { runId, classes, encoder, k, chance: classes >= 2 ? 1 / classes : null };
    if (classes < 2) return { ...base, randomInit: null, rawPixels: null };
    const compute = async (kind: BaselineKind, key: string): Promise<number | null> => {
      const cached = this.ctx.store.baselines.get(dataset.id, kind, key, k);
      if (cached !== undefined) return cached;
      const flightKey = `${dataset.id}/${kind}/${key}/${k}`;
      let pending = this.inFlight.get(flightKey);
      if (!pending) {
        pending = (async () => {
          const data = await trainDataFor(this.ctx, this.datasets, dataset.id);
          const reply = await this.ctx.engine.call('evalKnn', {
            model: runModelRequest(resolved, data),
            data: splitsOf(data),
            k,
            temperature: experiment.evaluation.knnTemperature,
            ...(kind === 'raw-pixels' ? { rawPixels: true } : {}),
          });
          if (reply.accuracy !== null) this.ctx.store.baselines.put(dataset.id, kind, key, k, reply.accuracy);
          return reply.accuracy;
        })().finally(() => this.inFlight.delete(flightKey));
        this.inFlight.set(flightKey, pending);
      }
      return pending;
    };
    const randomInit = await compute('random-init', encoder);
    const rawPixels = await compute('raw-pixels', `pixels@${resolved.imageSize}px`);
    return { ...base, randomInit, rawPixels };
  }
}
