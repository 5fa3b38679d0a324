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

export const MethodConfigSchema = z.discriminatedUnion('method', [
  SimclrConfigSchema,
  MemoryBankConfigSchema,
  MocoConfigSchema,
  SwavConfigSchema,
  PirlConfigSchema,
  TripletConfigSchema,
  MarginContrastiveConfigSchema,
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
