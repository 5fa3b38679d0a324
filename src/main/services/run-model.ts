/**
 * The one place the main side builds what an engine request about a run's model carries (train,
 * kNN, linear probe, projection, export): the run's experiment resolved against its dataset, the
 * dataset's splits and tensor cache, and the last checkpoint — turned into `RunModelRequest`.
 */
import type { Experiment } from '../../shared/schemas/experiment';
import type { RunModelRequest, Splits } from '../engine/protocol';
import type { CheckpointRow } from '../store/repositories/checkpoints';
import type { RunRow } from '../store/repositories/runs';
import type { ServiceContext } from './context';
import type { DatasetsService } from './datasets';
import type { ExperimentsService, ResolvedExperiment } from './experiments';
import { trainDataFor, type DatasetTrainData } from './training-data';

/** Everything a request about one run is built from. */
export interface RunInputs {
  experiment: Experiment;
  resolved: ResolvedExperiment;
  data: DatasetTrainData;
  /** The run's last checkpoint, if it wrote one. */
  checkpoint: CheckpointRow | undefined;
}

export async function runInputs(ctx: ServiceContext, experiments: ExperimentsService, datasets: DatasetsService, run: RunRow): Promise<RunInputs> {
  const experiment = experiments.get(run.experiment_id);
  const resolved = experiments.resolve(experiment);
  const data = await trainDataFor(ctx, datasets, experiment.datasetId);
  return { experiment, resolved, data, checkpoint: ctx.store.checkpoints.latest(run.id) };
}

/** The model half of an engine request: method, image size and seed of the run, its dataset's cache. */
export function runModelRequest(
  resolved: ResolvedExperiment,
  data: Pick<DatasetTrainData, 'cacheFile' | 'train'>,
  options: { checkpoint?: CheckpointRow | undefined; backend?: string | undefined } = {},
): RunModelRequest {
  return {
    method: resolved.method,
    imageSize: resolved.imageSize,
    seed: resolved.experiment.seed,
    cacheFile: data.cacheFile,
    datasetSize: data.train.length,
    ...(options.checkpoint ? { checkpoint: options.checkpoint.path } : {}),
    ...(options.backend ? { backend: options.backend } : {}),
  };
}

/** Only the splits cross to the worker (not the image ids and class names kept on this side). */
export function splitsOf(data: DatasetTrainData): Splits {
  return { train: data.train, val: data.val, numClasses: data.numClasses };
}
