/**
 * Augmentation contract: op specs, pipelines and per-method view specs (issue 4).
 *
 * Pure TypeScript (no node:, tfjs or DOM imports) so the renderer, the CLI and the engine validate a
 * spec with the same rules and get the same error text. Every range is `[lo, hi]` with `lo ≤ hi`;
 * every probability `p` is in [0, 1] and defaults to 1. Pixel quantities are in pixels of the image
 * the op sees (after earlier ops, e.g. after the crop resized it to the view size).
 */
import * as z from 'zod';

const num = (label: string, min: number, max: number) =>
  z
    .number({ error: `${label} must be a number` })
    .min(min, { error: min === Number.MIN_VALUE ? `${label} must be > 0` : `${label} must be ≥ ${min}` })
    .max(max, { error: `${label} must be ≤ ${max}` });

/** A `[lo, hi]` pair with both ends in [min, max] and lo ≤ hi. */
const range = (label: string, min: number, max: number) =>
  z
    .tuple([num(label, min, max), num(label, min, max)], {
      error: `${label} must be a [lo, hi] pair`,
    })
    .refine(([lo, hi]) => lo <= hi, { error: `${label}: lower bound must not exceed upper bound` });

const probability = num('p', 0, 1).default(1);

export const FILL_MODES = ['constant', 'reflect', 'nearest', 'wrap'] as const;

/** Random resized crop (Szegedy et al. 2015; torchvision semantics): area fraction and aspect w/h. */
export const RandomResizedCropSpec = z.strictObject({
  op: z.literal('random-resized-crop'),
  p: probability,
  scale: range('scale', Number.MIN_VALUE, 1).default([0.08, 1]),
  ratio: range('ratio', 0.05, 20).default([3 / 4, 4 / 3]),
});

export const HorizontalFlipSpec = z.strictObject({
  op: z.literal('horizontal-flip'),
  p: probability.default(0.5),
});
export const VerticalFlipSpec = z.strictObject({
  op: z.literal('vertical-flip'),
  p: probability.default(0.5),
});

const fill = {
  fill: z
    .enum(FILL_MODES, { error: `fill must be one of ${FILL_MODES.join(', ')}` })
    .default('constant'),
  fillValue: num('fillValue', 0, 1).default(0),
};

/** Rotation about the image centre, degrees counter-clockwise; `right-angles` draws k·90° in range. */
export const RotationSpec = z.strictObject({
  op: z.literal('rotation'),
  p: probability,
  degrees: range('degrees', -180, 180).default([-30, 30]),
  mode: z.enum(['continuous', 'right-angles']).default('continuous'),
  ...fill,
});

/** Random affine: rotation, translation (fraction of size), isotropic scale, x-shear (degrees). */
export const AffineSpec = z.strictObject({
  op: z.literal('affine'),
  p: probability,
  degrees: range('degrees', -180, 180).default([0, 0]),
  translate: z.tuple([num('translate', 0, 1), num('translate', 0, 1)]).default([0, 0]),
  scale: range('scale', 0.05, 20).default([1, 1]),
  shear: range('shear', -80, 80).default([0, 0]),
  ...fill,
});

/**
 * Colour jitter (SimCLR, torchvision ColorJitter): brightness/contrast/saturation factors drawn in
 * [max(0, 1−x), 1+x]; hue rotation in [−h, h] turns (h ≤ ½), applied as a YIQ chroma rotation.
 */
export const ColorJitterSpec = z.strictObject({
  op: z.literal('color-jitter'),
  p: probability.default(0.8),
  brightness: num('brightness', 0, 10).default(0.4),
  contrast: num('contrast', 0, 10).default(0.4),
  saturation: num('saturation', 0, 10).default(0.4),
  hue: num('hue', 0, 0.5).default(0.1),
  randomOrder: z.boolean().default(true),
});

export const GrayscaleSpec = z.strictObject({
  op: z.literal('grayscale'),
  p: probability.default(0.2),
});

/**
 * Gaussian blur, σ in pixels. With `referenceSize` the σ range is given at that image size and scaled
 * to the size the op sees (SimCLR's σ ∈ [0.1, 2] at 224 px). `kernelSize` (odd, px) defaults to
 * 2·⌈3σ_hi⌉ + 1, capped by the image size.
 */
export const GaussianBlurSpec = z.strictObject({
  op: z.literal('gaussian-blur'),
  p: probability.default(0.5),
  sigma: range('sigma', 0.01, 50).default([0.1, 2]),
  referenceSize: z.number().int().min(1, { error: 'referenceSize must be ≥ 1 px' }).optional(),
  kernelSize: z
    .number()
    .int()
    .min(3, { error: 'kernelSize must be ≥ 3' })
    .refine((k) => k % 2 === 1, { error: 'kernelSize must be odd' })
    .optional(),
});

/** Solarize (BYOL): pixels ≥ threshold become 1 − x. */
export const SolarizeSpec = z.strictObject({
  op: z.literal('solarize'),
  p: probability.default(0.2),
  threshold: num('threshold', 0, 1).default(0.5),
});

/** Per-channel (x − mean) / std. Without mean/std the dataset statistics passed at apply time are used. */
export const NormalizeSpec = z.strictObject({
  op: z.literal('normalize'),
  mean: z
    .array(num('mean', -10, 10))
    .min(1)
    .max(4)
    .optional(),
  std: z
    .array(num('std', 1e-6, 100))
    .min(1)
    .max(4)
    .optional(),
});

const OP_SCHEMAS = [
  RandomResizedCropSpec,
  HorizontalFlipSpec,
  VerticalFlipSpec,
  RotationSpec,
  AffineSpec,
  ColorJitterSpec,
  GrayscaleSpec,
  GaussianBlurSpec,
  SolarizeSpec,
  NormalizeSpec,
] as const;

export const OP_NAMES = OP_SCHEMAS.map((s) => s.shape.op.value);

export const OpSpec = z.discriminatedUnion('op', OP_SCHEMAS, {
  error: (issue) =>
    issue.code === 'invalid_union'
      ? `unknown or missing op; expected one of ${OP_NAMES.join(', ')}`
      : undefined,
});

/** Ordered ops; `normalize`, when present, must be last (everything before it keeps values in [0, 1]). */
export const PipelineSpec = z
  .array(OpSpec)
  .refine((ops) => ops.every((o, i) => o.op !== 'normalize' || i === ops.length - 1), {
    error: 'normalize must be the last op of a pipeline (and appear once)',
  });

/** View size: a fraction of the dataset image size (scales with it) or fixed pixels. */
export const ViewSize = z.union([
  z.strictObject({ relative: num('size.relative', 0.01, 1) }),
  z.strictObject({
    pixels: z.number().int().min(2, { error: 'size.pixels must be ≥ 2' }).max(4096),
  }),
]);

export const ViewGroupSpec = z.strictObject({
  name: z.string().min(1).max(40),
  count: z.number().int().min(1, { error: 'count must be ≥ 1' }).max(32).default(1),
  size: ViewSize.default({ relative: 1 }),
  ops: PipelineSpec,
});

/** Noroozi & Favaro 2016 jigsaw (arXiv:1603.09246), used by PIRL (arXiv:1912.01991). */
export const JigsawSpec = z.strictObject({
  grid: z
    .number()
    .int()
    .min(2, { error: 'jigsaw.grid must be ≥ 2' })
    .max(4, { error: 'jigsaw.grid must be ≤ 4' }),
  permutations: z.number().int().min(1).max(1000).default(100),
  /** Seed of the fixed permutation set (independent of the per-step seed). */
  permutationSeed: z.number().int().min(0).default(0),
  /** Tile side as a fraction of the cell side left for random jitter (Noroozi crop 64 of 75 ≈ 0.15). */
  jitter: num('jigsaw.jitter', 0, 0.5).default(0),
  /** Ops applied independently to every tile (PIRL augments tiles separately). */
  tileOps: PipelineSpec.default([]),
});

/** RotNet (Gidaris et al. 2018, arXiv:1803.07728): all four rotations per image, or one at random. */
export const RotationPredictionSpec = z.strictObject({
  mode: z.enum(['all', 'random']).default('all'),
});

/** Where the positive of an anchor comes from. Δt is in frames of the sequence. */
export const PositivesSpec = z.discriminatedUnion('source', [
  z.strictObject({ source: z.literal('same-image') }),
  z.strictObject({
    source: z.literal('temporal'),
    maxFrameGap: z.number().int().min(1).default(2),
  }),
  z.strictObject({ source: z.literal('multi-view') }),
]);

export const VIEW_KINDS = [
  'pair',
  'multi-crop',
  'jigsaw',
  'triplet',
  'rotation',
  'single',
] as const;

/** How many views each kind takes (sum of group counts). */
const VIEW_COUNTS: Record<(typeof VIEW_KINDS)[number], [number, number]> = {
  pair: [2, 2],
  triplet: [2, 2],
  'multi-crop': [2, 64],
  jigsaw: [1, 1],
  rotation: [1, 1],
  single: [1, 1],
};

export const AugmentSpec = z
  .strictObject({
    name: z.string().max(80).optional(),
    description: z.string().max(1000).optional(),
    kind: z.enum(VIEW_KINDS, { error: `kind must be one of ${VIEW_KINDS.join(', ')}` }),
    views: z.array(ViewGroupSpec).min(1, { error: 'views needs at least one group' }),
    jigsaw: JigsawSpec.optional(),
    rotation: RotationPredictionSpec.optional(),
    positives: PositivesSpec.default({ source: 'same-image' }),
  })
  .superRefine((spec, ctx) => {
    const total = spec.views.reduce((sum, g) => sum + g.count, 0);
    const [lo, hi] = VIEW_COUNTS[spec.kind];
    if (total < lo || total > hi) {
      const want = lo === hi ? `${lo}` : `${lo}–${hi}`;
      ctx.addIssue({
        code: 'custom',
        path: ['views'],
        message: `kind "${spec.kind}" takes ${want} views in total (got ${total})`,
      });
    }
    if (spec.kind === 'jigsaw' && !spec.jigsaw) {
      ctx.addIssue({
        code: 'custom',
        path: ['jigsaw'],
        message: 'kind "jigsaw" needs a jigsaw section',
      });
    }
    const names = spec.views.map((g) => g.name);
    if (new Set(names).size !== names.length) {
      ctx.addIssue({ code: 'custom', path: ['views'], message: 'view group names must be unique' });
    }
  });

export type RandomResizedCropSpec = z.infer<typeof RandomResizedCropSpec>;
export type HorizontalFlipSpec = z.infer<typeof HorizontalFlipSpec>;
export type VerticalFlipSpec = z.infer<typeof VerticalFlipSpec>;
export type RotationSpec = z.infer<typeof RotationSpec>;
export type AffineSpec = z.infer<typeof AffineSpec>;
export type ColorJitterSpec = z.infer<typeof ColorJitterSpec>;
export type GrayscaleSpec = z.infer<typeof GrayscaleSpec>;
export type GaussianBlurSpec = z.infer<typeof GaussianBlurSpec>;
export type SolarizeSpec = z.infer<typeof SolarizeSpec>;
export type NormalizeSpec = z.infer<typeof NormalizeSpec>;
export type OpSpec = z.infer<typeof OpSpec>;
export type OpName = OpSpec['op'];
export type OpSpecInput = z.input<typeof OpSpec>;
export type PipelineSpec = z.infer<typeof PipelineSpec>;
export type PipelineSpecInput = z.input<typeof PipelineSpec>;
export type ViewSize = z.infer<typeof ViewSize>;
export type ViewGroupSpec = z.infer<typeof ViewGroupSpec>;
export type JigsawSpec = z.infer<typeof JigsawSpec>;
export type RotationPredictionSpec = z.infer<typeof RotationPredictionSpec>;
export type PositivesSpec = z.infer<typeof PositivesSpec>;
export type ViewKind = (typeof VIEW_KINDS)[number];
export type AugmentSpec = z.infer<typeof AugmentSpec>;
export type AugmentSpecInput = z.input<typeof AugmentSpec>;

/** A spec that failed validation; `issues` holds one readable line per problem. */
export class AugmentSpecError extends Error {
  override name = 'AugmentSpecError';
  constructor(
    message: string,
    readonly issues: string[],
  ) {
    super(message);
  }
}

function describe(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path)
    out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  return out || '(root)';
}

function shown(input: unknown): string {
  if (typeof input === 'number' || typeof input === 'boolean') return ` (got ${input})`;
  if (typeof input === 'string') return ` (got "${input}")`;
  if (Array.isArray(input) && input.length <= 4 && input.every((v) => typeof v !== 'object'))
    return ` (got [${input.join(', ')}])`;
  return '';
}

function parseWith<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const issues = result.error.issues.map(
    (i) => `${describe(i.path)}: ${i.message}${shown(i.input)}`,
  );
  throw new AugmentSpecError(`invalid ${what}:\n  ${issues.join('\n  ')}`, issues);
}

/** Validate a full views spec (presets, `--augment spec.json`); throws AugmentSpecError. */
export function parseAugmentSpec(value: unknown, source = 'augmentation spec'): AugmentSpec {
  return parseWith(AugmentSpec, value, source);
}

/** Validate one ordered op list; throws AugmentSpecError. */
export function parsePipelineSpec(value: unknown, source = 'augmentation pipeline'): PipelineSpec {
  return parseWith(PipelineSpec, value, source);
}

/** Validate a single op; throws AugmentSpecError. */
export function parseOpSpec(value: unknown, source = 'augmentation op'): OpSpec {
  return parseWith(OpSpec, value, source);
}
