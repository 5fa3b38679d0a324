/**
 * Experiments: validate a design, resolve it against its dataset and the presets (method defaults,
 * augmentation spec, image size) and refuse what cannot train — before any tensor exists.
 */
import { WorkbenchError } from '../../shared/errors';
import { AugmentSpecError, parseAugmentSpec, type AugmentSpec } from '../../shared/schemas/augment';
import { DEFAULT_AUGMENT_PRESET, ExperimentSchema, type Estimate, type Experiment, type ExperimentInput, type ExperimentSummary } from '../../shared/schemas/experiment';
import { mergeMethodConfig, type MethodConfig } from '../../shared/schemas/method';
import { parseOrThrow } from '../../shared/validate';
import type { ExperimentWarning, TrainingViewGroup } from '../../shared/schemas/experiment-warnings';
import { resolveViewSize } from '../specs/view-size';
import { fitAugmentToMethod, viewsNeeded } from '../specs/views';
import type { ServiceContext } from './context';
import { experimentWarnings } from './experiment-warnings';
import { loadMethodPreset, resolveAugmentPreset } from './presets';

export interface ResolvedExperiment {
  experiment: Experiment;
  method: MethodConfig;
  augment: AugmentSpec;
  imageSize: number;
}

/**
 * The method config an experiment trains with: its method's preset with `methodOverrides` laid over
 * it, the top-level encoder name going into `methodOverrides.encoder` (its other fields —
 * widthMultiplier, batchNormMomentum — are kept; a shallow spread used to drop them silently).
 */
export function resolveMethodConfig(experiment: Experiment): MethodConfig {
  try {
    const own = experiment.methodOverrides['encoder'];
    const ownEncoder = typeof own === 'object' && own !== null && !Array.isArray(own) ? own : {};
    const overrides = experiment.encoder
      ? { ...experiment.methodOverrides, encoder: { ...ownEncoder, name: experiment.encoder } }
      : experiment.methodOverrides;
    return mergeMethodConfig(loadMethodPreset(experiment.method), overrides);
  } catch (err) {
    if (err instanceof WorkbenchError) throw err;
    const issues = (err as { issues?: { path: PropertyKey[]; message: string }[] }).issues ?? [];
    const text = issues.map((i) => `methodOverrides.${i.path.map(String).join('.')}: ${i.message}`).join('; ');
    throw new WorkbenchError('INVALID_INPUT', `invalid experiment: ${text || (err as Error).message}`);
  }
}

/**
 * The augmentation spec as training builds it: fitted to the method's view needs (SwAV's large and
 * small crop counts and small-crop size come from the method config, not the multi-crop preset).
 * The run preview uses this too, so preview, designer and training show the same crops.
 */
export function trainingAugment(resolved: ResolvedExperiment): AugmentSpec {
  return fitAugmentToMethod(resolved.augment, viewsNeeded(resolved.method, resolved.imageSize), resolved.imageSize);
}

export class ExperimentsService {
  constructor(private readonly ctx: ServiceContext) {}

  validate(input: unknown): Experiment {
    return parseOrThrow(ExperimentSchema, input, 'experiment');
  }

  create(input: ExperimentInput | Experiment): { id: number; experiment: Experiment } {
    const experiment = this.validate(input);
    this.resolve(experiment);
    const name = experiment.name ?? `${experiment.method} on dataset ${experiment.datasetId}`;
    // The same design saved, then started (or started twice) is one experiment with several runs, not two of one name.
    const config = JSON.stringify(experiment);
    const same = this.ctx.store.experiments.list().find((row) => row.name === name && row.config_json === config);
    if (same) return { id: same.id, experiment };
    const id = this.ctx.store.experiments.insert(name, experiment.datasetId, experiment);
    return { id, experiment };
  }

  /** `experiments:save`: an experiment kept for later (a run, or a PyTorch project export) without running it, with its warnings. */
  save(input: ExperimentInput | Experiment): { id: number; warnings: ExperimentWarning[] } {
    const { id, experiment } = this.create(input);
    return { id, warnings: this.warnings(experiment) };
  }

  /** What will waste a run of `input` on its dataset (the run can still start); invalid input throws as `create` does. */
  warnings(input: ExperimentInput | Experiment): ExperimentWarning[] {
    return this.check(input).warnings;
  }

  /** `experiments:warnings`: the warnings, and the views training will build per image. */
  check(input: ExperimentInput | Experiment): { warnings: ExperimentWarning[]; views: TrainingViewGroup[] } {
    const experiment = this.validate(input);
    const resolved = this.resolve(experiment);
    const dataset = this.ctx.store.datasets.get(experiment.datasetId)!;
    const trainImages = this.ctx.store.images.classBalance(dataset.id).reduce((n, c) => n + c.train, 0);
    const warnings = experimentWarnings(resolved, { numImages: dataset.num_images, trainImages, channels: dataset.channels, imageSize: dataset.image_size });
    const views = trainingAugment(resolved).views.map((g) => ({ name: g.name, count: g.count, size: resolveViewSize(g.size, resolved.imageSize, resolved.imageSize).height }));
    return { warnings, views };
  }

  get(id: number): Experiment {
    const row = this.ctx.store.experiments.get(id);
    if (!row) throw new WorkbenchError('NOT_FOUND', `no experiment with id ${id}`);
    return this.validate(JSON.parse(row.config_json));
  }

  /** Every saved experiment with its run count (rows that no longer validate are skipped, not fatal). */
  list(): ExperimentSummary[] {
    const runs = this.ctx.store.runs.countsByExperiment();
    return this.ctx.store.experiments.list().flatMap((row) => {
      const parsed = ExperimentSchema.safeParse(JSON.parse(row.config_json));
      if (!parsed.success) return [];
      return [{ id: row.id, name: row.name, method: parsed.data.method, datasetId: parsed.data.datasetId, runs: runs.get(row.id) ?? 0, createdAt: row.created_at }];
    });
  }

  /** Method config, augmentation spec and image size, checked against the dataset. */
  resolve(experiment: Experiment): ResolvedExperiment {
    const dataset = this.ctx.store.datasets.get(experiment.datasetId);
    if (!dataset) throw new WorkbenchError('NOT_FOUND', `datasetId: no dataset with id ${experiment.datasetId}`);
    const imageSize = experiment.imageSize ?? dataset.image_size;
    const method = resolveMethodConfig(experiment);
    const augment = this.augmentFor(experiment, dataset.channels);
    if (experiment.epochs > 0) {
      // Training steps draw from the training split only: a batch larger than it can never fill one step.
      const trainImages = this.ctx.store.images.classBalance(dataset.id).reduce((n, c) => n + c.train, 0);
      if (experiment.batchSize > trainImages) {
        throw new WorkbenchError(
          'INVALID_INPUT',
          `invalid experiment: batchSize: ${experiment.batchSize} is larger than the training split (${trainImages} of the dataset's ${dataset.num_images} images; the rest are held out for validation)`,
        );
      }
    }
    if (experiment.method === 'pirl' && imageSize < 3 * 4) {
      throw new WorkbenchError('INVALID_INPUT', `invalid experiment: imageSize: ${imageSize} px is too small for a jigsaw grid`);
    }
    return { experiment, method, augment, imageSize };
  }

  /** Time per epoch and memory of an experiment, from two timed steps (after one warm-up) on synthetic images. */
  async estimate(input: unknown): Promise<Estimate> {
    const experiment = this.validate(input);
    const resolved = this.resolve(experiment);
    const dataset = this.ctx.store.datasets.get(experiment.datasetId)!;
    const trainImages = this.ctx.store.images.classBalance(dataset.id).reduce((n, c) => n + c.train, 0);
    const r = await this.ctx.engine.call('benchTrain', {
      method: resolved.method,
      augment: resolved.augment,
      batchSize: experiment.batchSize,
      imageSize: resolved.imageSize,
      channels: dataset.channels,
      steps: 2,
      warmupSteps: 1,
      seed: experiment.seed,
      ...(experiment.gradientCache ? { gradientCache: experiment.gradientCache } : {}),
    });
    const stepsPerEpoch = Math.min(Math.floor(trainImages / experiment.batchSize), experiment.maxStepsPerEpoch ?? Number.POSITIVE_INFINITY);
    return {
      backend: r.backend,
      secondsPerStep: r.secondsPerStep,
      imagesPerSecond: r.imagesPerSecond,
      stepsPerEpoch,
      secondsPerEpoch: stepsPerEpoch * r.secondsPerStep,
      tensorMB: r.tensorMB,
      peakRssMB: r.peakRssMB,
      gradientCacheChunk: experiment.gradientCache?.chunkSize ?? null,
    };
  }

  private augmentFor(experiment: Experiment, channels: number): AugmentSpec {
    const chosen = experiment.augment;
    try {
      if (chosen !== undefined && typeof chosen !== 'string') return parseAugmentSpec(chosen);
      let preset = chosen ?? DEFAULT_AUGMENT_PRESET[experiment.method];
      // Hue and saturation mean nothing on grey images.
      if (chosen === undefined && channels === 1 && preset === 'simclr') preset = 'grayscale-safe';
      return resolveAugmentPreset(this.ctx.home, preset);
    } catch (err) {
      if (err instanceof AugmentSpecError) throw new WorkbenchError('INVALID_INPUT', `augment: ${err.message}`);
      if (err instanceof WorkbenchError) throw new WorkbenchError(err.code, `augment: ${err.message}`);
      throw new WorkbenchError('INVALID_INPUT', `augment: ${(err as Error).message}`);
    }
  }
}
