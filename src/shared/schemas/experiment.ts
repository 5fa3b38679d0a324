/**
 * An experiment: dataset + method (preset + overrides) + encoder + augmentations + optimiser +
 * schedule + sizes + seed + evaluation. JSON files (`cwb train --config`), SQLite rows and the UI's
 * designer all validate with this one schema; every message names its field.
 */
import { z } from 'zod';
import { AugmentSpec } from './augment';
import { IdSchema } from './common';
import { EncoderNameSchema, MethodNameSchema, type MethodName } from './method';

const positive = (label: string) => z.number({ error: `${label} must be a number` }).positive({ error: `${label} must be > 0` });
const nonNegative = (label: string) => z.number({ error: `${label} must be a number` }).min(0, { error: `${label} must be ≥ 0` });
const int = (label: string, min: number, max: number) =>
  z
    .number({ error: `${label} must be a number` })
    .int({ error: `${label} must be an integer` })
    .min(min, { error: `${label} must be ≥ ${min}` })
    .max(max, { error: `${label} must be ≤ ${max}` });

export const OptimizerSchema = z.discriminatedUnion(
  'name',
  [
    z.strictObject({
      name: z.literal('sgd'),
      learningRate: positive('optimizer.learningRate'),
      momentum: nonNegative('optimizer.momentum').max(1).default(0.9),
      weightDecay: nonNegative('optimizer.weightDecay').default(5e-4),
    }),
    z.strictObject({
      name: z.literal('adam'),
      learningRate: positive('optimizer.learningRate'),
      weightDecay: nonNegative('optimizer.weightDecay').default(0),
    }),
    z.strictObject({
      name: z.literal('adamw'),
      learningRate: positive('optimizer.learningRate'),
      weightDecay: nonNegative('optimizer.weightDecay').default(1e-4),
    }),
    z.strictObject({
      name: z.literal('lars'),
      learningRate: positive('optimizer.learningRate'),
      momentum: nonNegative('optimizer.momentum').max(1).default(0.9),
      weightDecay: nonNegative('optimizer.weightDecay').default(1e-6),
      trustCoefficient: positive('optimizer.trustCoefficient').default(0.001),
    }),
  ],
  { error: 'optimizer.name must be one of sgd, adam, adamw, lars' },
);
export type OptimizerConfig = z.infer<typeof OptimizerSchema>;

export const ScheduleSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('constant') }),
    z.strictObject({
      kind: z.literal('cosine'),
      warmupEpochs: nonNegative('schedule.warmupEpochs').default(0),
      minLearningRateFraction: nonNegative('schedule.minLearningRateFraction').max(1).default(0),
    }),
    z.strictObject({
      kind: z.literal('step'),
      milestones: z.array(positive('schedule.milestones[]')).default([]),
      gamma: positive('schedule.gamma').max(1).default(0.1),
    }),
  ],
  { error: 'schedule.kind must be one of constant, cosine, step' },
);
export type ScheduleConfig = z.infer<typeof ScheduleSchema>;

export const EvaluationSchema = z.strictObject({
  knnK: int('evaluation.knnK', 1, 10_000).default(200),
  knnTemperature: positive('evaluation.knnTemperature').default(0.1),
  /** Evaluate every this many epochs (and always after the last). */
  everyEpochs: int('evaluation.everyEpochs', 1, 10_000).default(1),
});

/** Methods whose step gradient caching can split: one network, a loss that sees the batch only through its embeddings. */
export const GRADIENT_CACHE_METHODS: readonly MethodName[] = ['simclr'];

/**
 * Gradient caching (Gao et al. 2021, https://arxiv.org/abs/2101.06983): the 2N views of a step go
 * through the network `chunkSize` at a time, so activation memory scales with the chunk, not the
 * batch. BatchNorm then normalises each chunk with its own statistics (docs/ssl.md).
 */
export const GradientCacheSchema = z.strictObject({
  /** Views per forward/backward chunk; must divide 2 × batchSize. */
  chunkSize: int('gradientCache.chunkSize', 2, 131_072),
});
export type GradientCacheConfig = z.infer<typeof GradientCacheSchema>;

/**
 * Why gradient caching with `chunkSize` cannot split a step of `method` over `batchSize` images
 * (path + message), or null when it can. Shared by the experiment schema and `cwb bench train`.
 */
export function gradientCacheProblem(
  method: MethodName,
  batchSize: number,
  chunkSize: number,
): { path: string[]; message: string } | null {
  if (!GRADIENT_CACHE_METHODS.includes(method)) {
    return {
      path: ['gradientCache'],
      message: `gradientCache applies to the end-to-end method (${GRADIENT_CACHE_METHODS.join(', ')}) only, not ${method}: its loss does not see the batch only through the embeddings`,
    };
  }
  const views = 2 * batchSize;
  const path = ['gradientCache', 'chunkSize'];
  if (chunkSize > views) {
    return { path, message: `gradientCache.chunkSize ${chunkSize} is larger than the ${views} views of a step (2 × batchSize ${batchSize})` };
  }
  if (views % chunkSize !== 0) {
    const divisors = Array.from({ length: views - 1 }, (_, i) => i + 2).filter((d) => views % d === 0);
    const below = divisors.filter((d) => d < chunkSize).at(-1);
    const above = divisors.find((d) => d > chunkSize);
    const hint = [below, above].filter((d) => d !== undefined).join(' or ');
    return {
      path,
      message: `gradientCache.chunkSize ${chunkSize} must divide the ${views} views of a step (2 × batchSize ${batchSize}), so every chunk has the same BatchNorm batch; try ${hint}`,
    };
  }
  return null;
}

/** Training engines: tfjs in the engine worker, or PyTorch (a Python process running the run's project). */
export const ENGINE_NAMES = ['tfjs', 'pytorch'] as const;
export const EngineNameSchema = z.enum(ENGINE_NAMES, { error: `engine must be one of ${ENGINE_NAMES.join(', ')}` });
export type EngineName = z.infer<typeof EngineNameSchema>;

export const ExperimentSchema = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  datasetId: IdSchema,
  method: MethodNameSchema,
  /** Partial method config laid over `resources/presets/methods/<method>.json`. */
  methodOverrides: z.record(z.string(), z.unknown()).default({}),
  encoder: EncoderNameSchema.optional(),
  /** An augmentation preset name from `resources/presets/augment/`, or a full spec. Default: the method's. */
  augment: z.union([z.string().min(1), AugmentSpec]).optional(),
  optimizer: OptimizerSchema.default({ name: 'adam', learningRate: 1e-3, weightDecay: 0 }),
  schedule: ScheduleSchema.default({ kind: 'cosine', warmupEpochs: 0, minLearningRateFraction: 0 }),
  batchSize: int('batchSize', 2, 65_536).default(64),
  imageSize: int('imageSize', 8, 1024).optional(),
  epochs: int('epochs', 0, 100_000).default(10),
  seed: int('seed', 0, 2 ** 31 - 1).default(0),
  evaluation: EvaluationSchema.default({ knnK: 200, knnTemperature: 0.1, everyEpochs: 1 }),
  /** Checkpoint every this many steps (and at every epoch end). */
  checkpointEverySteps: int('checkpointEverySteps', 1, 1_000_000).default(200),
  /** Stop each epoch after this many steps (quick looks at large datasets). */
  maxStepsPerEpoch: int('maxStepsPerEpoch', 1, 10_000_000).optional(),
  /** Off when absent: the whole step in one forward/backward. */
  gradientCache: GradientCacheSchema.optional(),
  /** Which engine trains it: the built-in tfjs one, or PyTorch through the run's generated project (docs/pytorch-engine.md). */
  engine: EngineNameSchema.default('tfjs'),
}).superRefine((experiment, ctx) => {
  if (!experiment.gradientCache) return;
  const problem = gradientCacheProblem(experiment.method, experiment.batchSize, experiment.gradientCache.chunkSize);
  if (problem) ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
});
export type Experiment = z.infer<typeof ExperimentSchema>;
export type ExperimentInput = z.input<typeof ExperimentSchema>;

/** The augmentation preset each method trains with unless the experiment says otherwise. */
export const DEFAULT_AUGMENT_PRESET: Record<MethodName, string> = {
  simclr: 'simclr',
  'memory-bank': 'simclr',
  moco: 'moco-v2',
  swav: 'swav-multicrop',
  pirl: 'pirl-jigsaw',
  triplet: 'simclr',
  'margin-contrastive': 'simclr',
  byol: 'byol-asymmetric',
  simsiam: 'simclr',
  'barlow-twins': 'byol-asymmetric',
  vicreg: 'byol-asymmetric',
  dino: 'swav-multicrop',
  autoencoder: 'simclr',
};

/** One saved experiment, as the Export view lists them (a pytorch-project needs no run). */
export const ExperimentSummarySchema = z.object({
  id: IdSchema,
  name: z.string(),
  method: MethodNameSchema,
  datasetId: IdSchema,
  /** Runs started from it; 0 when it was saved without one. */
  runs: z.number().int().min(0),
  createdAt: z.string(),
});
export type ExperimentSummary = z.infer<typeof ExperimentSummarySchema>;

/** What the designer shows before a run starts, measured with a few real steps on synthetic images. */
export const EstimateSchema = z.object({
  backend: z.string(),
  secondsPerStep: z.number(),
  imagesPerSecond: z.number(),
  stepsPerEpoch: z.number().int(),
  secondsPerEpoch: z.number(),
  /** Tensor memory after the steps: weights, optimiser slots, method state. */
  tensorMB: z.number(),
  /** Peak resident memory of the process so far. */
  peakRssMB: z.number(),
  /** Views per chunk when the steps were measured with gradient caching, else null. */
  gradientCacheChunk: z.number().int().nullable(),
});
export type Estimate = z.infer<typeof EstimateSchema>;
