/**
 * SSL method contract: encoder names, projection-head blocks and every method's hyper-parameters
 * (issue 3). Pure TypeScript (no node:, tfjs or DOM imports) so presets, the CLI, the renderer and the
 * engine validate a method config with the same rules. Defaults live in
 * `resources/presets/methods/<method>.json`, not here; `mergeMethodConfig` lays user overrides on a
 * preset and validates the result.
 */
import { z } from 'zod';

export const ENCODER_NAMES = [
  'small',
  'resnet18',
  'resnet18-cifar',
  'resnet34',
  'resnet50',
] as const;
export const METHOD_NAMES = [
  'simclr',
  'memory-bank',
  'moco',
  'swav',
  'pirl',
  'triplet',
  'margin-contrastive',
  'byol',
  'simsiam',
  'barlow-twins',
  'vicreg',
  'dino',
  'autoencoder',
] as const;

export const EncoderNameSchema = z.enum(ENCODER_NAMES, {
  error: `encoder must be one of ${ENCODER_NAMES.join(', ')}`,
});
export const MethodNameSchema = z.enum(METHOD_NAMES, {
  error: `method must be one of ${METHOD_NAMES.join(', ')}`,
});

const positive = (label: string) =>
  z.number({ error: `${label} must be a number` }).positive({ error: `${label} must be > 0` });
const int = (label: string, min: number, max: number) =>
  z
    .number({ error: `${label} must be a number` })
    .int({ error: `${label} must be an integer` })
    .min(min, { error: `${label} must be ≥ ${min}` })
    .max(max, { error: `${label} must be ≤ ${max}` });
const fraction = (label: string) =>
  z
    .number({ error: `${label} must be a number` })
    .min(0, { error: `${label} must be ≥ 0` })
    .max(1, { error: `${label} must be ≤ 1` });

export const EncoderConfigSchema = z.strictObject({
  name: EncoderNameSchema,
  widthMultiplier: positive('encoder.widthMultiplier').max(8, {
    error: 'encoder.widthMultiplier must be ≤ 8',
  }),
  /** tfjs convention: moving = momentum·moving + (1 − momentum)·batch (PyTorch's 0.1 is 0.9 here). */
  batchNormMomentum: fraction('encoder.batchNormMomentum'),
});

/** One block of a projection head: Dense(units, bias) → optional BatchNorm → activation. */
export const HeadBlockSchema = z.strictObject({
  units: int('head.units', 1, 65536),
  batchNorm: z.boolean(),
  activation: z.enum(['relu', 'linear']),
  bias: z.boolean(),
});
export const HeadSchema = z
  .array(HeadBlockSchema)
  .min(1, { error: 'head needs at least one block' });

const common = {
  encoder: EncoderConfigSchema,
  head: HeadSchema,
};
const temperature = positive('temperature');

export const SimclrConfigSchema = z.strictObject({
  method: z.literal('simclr'),
  ...common,
  temperature,
});

export const MemoryBankConfigSchema = z.strictObject({
  method: z.literal('memory-bank'),
  ...common,
  temperature,
  /** Bank entries sampled as negatives per step (NPID: 4096). */
  negatives: int('negatives', 1, 1_000_000),
  /** v ← normalise(m·v + (1 − m)·f) after each step (NPID: 0.5). */
  bankMomentum: fraction('bankMomentum'),
});

export const MocoConfigSchema = z.strictObject({
  method: z.literal('moco'),
  ...common,
  temperature,
  /** K keys in the FIFO queue (MoCo: 65536). */
  queueSize: int('queueSize', 1, 1_000_000),
  /** Key encoder EMA: θk ← m·θk + (1 − m)·θq (MoCo: 0.999). */
  momentum: fraction('momentum'),
});

export const SwavConfigSchema = z.strictObject({
  method: z.literal('swav'),
  ...common,
  temperature,
  prototypes: int('prototypes', 2, 100_000),
  sinkhornEpsilon: positive('sinkhornEpsilon'),
  sinkhornIterations: int('sinkhornIterations', 0, 100),
  largeCrops: int('largeCrops', 1, 8),
  smallCrops: int('smallCrops', 0, 16),
  /** Side of a small crop as a fraction of the image size (SwAV: 96 / 224). */
  smallCropScale: z
    .number()
    .gt(0, { error: 'smallCropScale must be > 0' })
    .max(1, { error: 'smallCropScale must be ≤ 1' }),
  /** Prototypes get zero gradient for this many steps (SwAV: the first epoch). */
  freezePrototypesSteps: int('freezePrototypesSteps', 0, 10_000_000),
  /** Features kept per large crop to stabilise Sinkhorn with small batches; 0 disables the queue. */
  queueSize: int('queueSize', 0, 1_000_000),
});

export const PirlConfigSchema = z.strictObject({
  method: z.literal('pirl'),
  ...common,
  temperature,
  negatives: int('negatives', 1, 1_000_000),
  bankMomentum: fraction('bankMomentum'),
  /** λ of L = λ·L(m_I, g(v_It)) + (1 − λ)·L(m_I, f(v_I)) (PIRL: 0.5). */
  lambda: fraction('lambda'),
  jigsaw: z.strictObject({
    grid: int('jigsaw.grid', 2, 4),
    /** Per-tile projection width before the tiles are concatenated. */
    tileUnits: int('jigsaw.tileUnits', 1, 65536),
  }),
});

export const TripletConfigSchema = z.strictObject({
  method: z.literal('triplet'),
  ...common,
  margin: z.number().min(0, { error: 'margin must be ≥ 0' }),
  /** Negatives: a random other image of the batch, or FaceNet's semi-hard negative. */
  mining: z.enum(['random', 'semi-hard']),
  /** L2-normalise embeddings before distances (FaceNet does). */
  normalize: z.boolean(),
});

export const MarginContrastiveConfigSchema = z.strictObject({
  method: z.literal('margin-contrastive'),
  ...common,
  margin: positive('margin'),
  normalize: z.boolean(),
});

/** Predictor q of BYOL / SimSiam: the same block list as a head, from the head's output width. */
const predictor = HeadSchema;

export const ByolConfigSchema = z.strictObject({
  method: z.literal('byol'),
  ...common,
  predictor,
  /** Target network EMA: ξ ← τ·ξ + (1 − τ)·θ (BYOL: 0.996, raised to 1 by a cosine over training). */
  momentum: fraction('momentum'),
});

export const SimsiamConfigSchema = z.strictObject({
  method: z.literal('simsiam'),
  ...common,
  predictor,
});

export const BarlowTwinsConfigSchema = z.strictObject({
  method: z.literal('barlow-twins'),
  ...common,
  /** Off-diagonal weight λ of the cross-correlation loss (Barlow Twins: 5e-3). */
  lambda: z.number({ error: 'lambda must be a number' }).min(0, { error: 'lambda must be ≥ 0' }),
});

const weight = (label: string) =>
  z.number({ error: `${label} must be a number` }).min(0, { error: `${label} must be ≥ 0` });

export const VicregConfigSchema = z.strictObject({
  method: z.literal('vicreg'),
  ...common,
  /** Invariance (MSE) weight λ (VICReg: 25). */
  lambda: weight('lambda'),
  /** Variance hinge weight μ (VICReg: 25). */
  mu: weight('mu'),
  /** Covariance weight ν (VICReg: 1). */
  nu: weight('nu'),
});

export const DinoConfigSchema = z.strictObject({
  method: z.literal('dino'),
  ...common,
  /** Teacher sharpening τt (DINO: 0.04). */
  teacherTemp: positive('teacherTemp'),
  /** Student τs (DINO: 0.1). */
  studentTemp: positive('studentTemp'),
  /** Teacher-centre EMA m (DINO: 0.9). */
  centerMomentum: fraction('centerMomentum'),
  /** Teacher network EMA (DINO: 0.996). */
  momentum: fraction('momentum'),
  /** Global crops seen by teacher and student (DINO: 2). */
  largeCrops: int('largeCrops', 1, 8),
  /** Local crops seen by the student only. */
  smallCrops: int('smallCrops', 0, 16),
  smallCropScale: z
    .number()
    .gt(0, { error: 'smallCropScale must be > 0' })
    .max(1, { error: 'smallCropScale must be ≤ 1' }),
  /**
   * K, the width of the weight-normalised last layer after the head's blocks (DINO: 65 536). The
   * default keeps experiments saved before the layer existed valid.
   */
  outputDim: int('outputDim', 2, 65_536).default(1024),
  /**
   * Epochs at the start during which the last layer gets no update at all — no gradient step, no
   * optimiser state, no weight decay (the reference `cancel_gradients_last_layer`; DINO: 1). The
   * preset sets the paper's 1; the default 0 keeps configs written before the field as they trained.
   */
  freezeLastLayer: int('freezeLastLayer', 0, 100_000).default(0),
  /** τt at epoch 0 of the teacher-temperature warm-up (DINO: 0.04). */
  warmupTeacherTemp: positive('warmupTeacherTemp').default(0.04),
  /**
   * Epochs over which τt goes linearly from `warmupTeacherTemp` to `teacherTemp`, constant after
   * (DINO: 30, 0.04 → 0.07); 0 turns the warm-up off (`teacherTemp` from the start).
   */
  warmupTeacherTempEpochs: int('warmupTeacherTempEpochs', 0, 100_000).default(0),
});

export const AUTOENCODER_CORRUPTIONS = ['none', 'noise', 'mask'] as const;

export const AutoencoderConfigSchema = z.strictObject({
  method: z.literal('autoencoder'),
  ...common,
  /** none: plain autoencoder; noise: denoising (Gaussian, σ = noiseStd); mask: masked patches. */
  corruption: z.enum(AUTOENCODER_CORRUPTIONS, {
    error: `corruption must be one of ${AUTOENCODER_CORRUPTIONS.join(', ')}`,
  }),
  noiseStd: z
    .number({ error: 'noiseStd must be a number' })
    .min(0, { error: 'noiseStd must be ≥ 0' }),
  /** Fraction of patches zeroed with corruption "mask". */
  maskRatio: fraction('maskRatio'),
  /** Side of a masked patch in pixels. */
  maskPatch: int('maskPatch', 1, 1024),
  /** Channels of the decoder's first feature map (halved at each upsampling). */
  decoderChannels: int('decoderChannels', 4, 1024),
});

export const MethodConfigSchema = z.discriminatedUnion('method', [
  SimclrConfigSchema,
  MemoryBankConfigSchema,
  MocoConfigSchema,
  SwavConfigSchema,
  PirlConfigSchema,
  TripletConfigSchema,
  MarginContrastiveConfigSchema,
  ByolConfigSchema,
  SimsiamConfigSchema,
  BarlowTwinsConfigSchema,
  VicregConfigSchema,
  DinoConfigSchema,
  AutoencoderConfigSchema,
]);

export type EncoderName = z.infer<typeof EncoderNameSchema>;
export type MethodName = z.infer<typeof MethodNameSchema>;
export type EncoderConfig = z.infer<typeof EncoderConfigSchema>;
export type HeadBlock = z.infer<typeof HeadBlockSchema>;
export type MethodConfig = z.infer<typeof MethodConfigSchema>;
export type MethodConfigOf<N extends MethodName> = Extract<MethodConfig, { method: N }>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepMerge(base: unknown, overrides: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(overrides))
    return overrides === undefined ? base : overrides;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) out[key] = deepMerge(base[key], value);
  return out;
}

/**
 * Lay `overrides` (a partial config: nested objects merge, arrays replace) over `preset` and
 * validate. Throws a `z.ZodError` whose issues name the offending path.
 */
export function mergeMethodConfig(preset: unknown, overrides: unknown = {}): MethodConfig {
  return MethodConfigSchema.parse(deepMerge(preset, overrides));
}
