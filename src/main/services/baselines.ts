/**
 * Baselines of a run's scores: for its kNN chart chance, the randomly initialised encoder (`cwb train
 * --epochs 0` without training) and raw pixels — computed in the engine once per dataset × encoder ×
 * k and cached; for its linear-probe and fine-tune scores the same protocol on the random-init
 * encoder and on raw pixels, cached per dataset × protocol settings × encoder.
 */
import type { RunBaselines } from '../../shared/schemas/run-records';
import type { BaselineKind } from '../store/repositories/baselines';
import type { ServiceContext } from './context';
import type { DatasetsService } from './datasets';
import type { ExperimentsService } from './experiments';
import type { RunsService } from './runs';
import { runModelRequest, splitsOf } from './run-model';
import { trainDataFor } from './training-data';

/** A downstream protocol other than kNN and what its score depends on besides the encoder. */
export type EvaluationBaselineRequest =
  | { protocol: 'linear'; epochs: number; backend?: string | undefined }
  | { protocol: 'finetune'; epochs: number; labelFraction: number; backend?: string | undefined };

/** The two references of one linear-probe or fine-tune score (validation accuracy, null without labels). */
export interface EvaluationBaselines {
  randomInit: number | null;
  rawPixels: number | null;
}

export class BaselinesService {
  /** One computation per key at a time: concurrent chart loads share it. */
  private readonly inFlight = new Map<string, Promise<number | null>>();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly experiments: ExperimentsService,
    private readonly runs: RunsService,
    private readonly datasets: DatasetsService,
  ) {}

  /** Cached in the baselines table (per dataset × kind × key × k), computed once even when asked twice at once. */
  private cached(datasetId: number, kind: BaselineKind, key: string, k: number, compute: () => Promise<number | null>): Promise<number | null> {
    const stored = this.ctx.store.baselines.get(datasetId, kind, key, k);
    if (stored !== undefined) return Promise.resolve(stored);
    const flightKey = `${datasetId}/${kind}/${key}/${k}`;
    let pending = this.inFlight.get(flightKey);
    if (!pending) {
      pending = compute()
        .then((accuracy) => {
          if (accuracy !== null) this.ctx.store.baselines.put(datasetId, kind, key, k, accuracy);
          return accuracy;
        })
        .finally(() => this.inFlight.delete(flightKey));
      this.inFlight.set(flightKey, pending);
    }
    return pending;
  }

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
    const compute = (kind: BaselineKind, key: string): Promise<number | null> =>
      this.cached(dataset.id, kind, key, k, async () => {
        const data = await trainDataFor(this.ctx, this.datasets, dataset.id);
        const reply = await this.ctx.engine.call('evalKnn', {
          model: runModelRequest(resolved, data),
          data: splitsOf(data),
          k,
          temperature: experiment.evaluation.knnTemperature,
          ...(kind === 'raw-pixels' ? { rawPixels: true } : {}),
        });
        return reply.accuracy;
      });
    const randomInit = await compute('random-init', encoder);
    const rawPixels = await compute('raw-pixels', `pixels@${resolved.imageSize}px`);
    return { ...base, randomInit, rawPixels };
  }

  /**
   * The references of a run's linear-probe or fine-tune score: the same protocol (same epochs, label
   * fraction and seed) on the run's randomly initialised encoder and on raw pixels. Cached in the
   * kNN baselines' table with the protocol and its settings in the key and k = 0 (no kNN).
   */
  async forEvaluation(runId: number, req: EvaluationBaselineRequest): Promise<EvaluationBaselines> {
    const run = this.runs.get(runId);
    const experiment = this.experiments.get(run.experiment_id);
    const resolved = this.experiments.resolve(experiment);
    const datasetId = experiment.datasetId;
    const { encoder: enc } = resolved.method;
    const settings = req.protocol === 'linear' ? `linear e${req.epochs}` : `finetune f${req.labelFraction} e${req.epochs}`;
    const compute = (kind: BaselineKind, model: string): Promise<number | null> =>
      this.cached(datasetId, kind, `${settings} seed${experiment.seed} ${model}@${resolved.imageSize}px`, 0, async () => {
        const data = await trainDataFor(this.ctx, this.datasets, datasetId);
        const common = {
          model: runModelRequest(resolved, data, { backend: req.backend }),
          data: splitsOf(data),
          epochs: req.epochs,
          ...(kind === 'raw-pixels' ? { rawPixels: true } : {}),
        };
        return req.protocol === 'linear'
          ? (await this.ctx.engine.call('evalLinear', common)).testAccuracy
          : (await this.ctx.engine.call('evalFinetune', { ...common, labelFraction: req.labelFraction })).accuracy;
      });
    const randomInit = await compute('random-init', `${enc.name}×${enc.widthMultiplier}`);
    const rawPixels = await compute('raw-pixels', 'pixels');
    return { randomInit, rawPixels };
  }
}
