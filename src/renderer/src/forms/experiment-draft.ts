/**
 * The experiment designer's form state and its translation into an `ExperimentInput` for
 * `runs:start`, validated client-side with the same zod schemas the main process uses.
 */
import {
  ExperimentSchema,
  OptimizerSchema,
  ScheduleSchema,
  type ExperimentInput,
  type EngineName,
} from '../../../shared/schemas/experiment';
import {
  MethodConfigSchema,
  type EncoderName,
  type MethodName,
} from '../../../shared/schemas/method';
import type { AugmentSpecInput } from '../../../shared/schemas/augment';
import { describeObject, type FieldDescription } from './zod-fields';
import { issuesByPath } from './zod-issues';

/** A number input's value: a number, or '' while empty or unparseable. */
export type NumberInput = number | '';

/** `augment` choices besides preset names. */
export const METHOD_DEFAULT_AUGMENT = '';
export const CUSTOM_AUGMENT = '@custom';

export interface ExperimentDraft {
  name: string;
  datasetId: number | null;
  method: MethodName;
  /** Scalar hyper-parameters of the method, seeded from its preset. */
  methodParams: Record<string, unknown>;
  /** '' = the preset's encoder. */
  encoder: EncoderName | '';
  /** A preset name, METHOD_DEFAULT_AUGMENT or CUSTOM_AUGMENT. */
  augment: string;
  optimizer: { name: string } & Record<string, unknown>;
  schedule: { kind: string } & Record<string, unknown>;
  batchSize: NumberInput;
  imageSize: NumberInput;
  epochs: NumberInput;
  seed: NumberInput;
  maxStepsPerEpoch: NumberInput;
  knnK: NumberInput;
  /** Views per gradient-cache chunk; '' = off (the whole step in one piece). */
  gradientCacheChunk: NumberInput;
  /** Training engine: the built-in tfjs one or PyTorch (a Python with torch on this machine). */
  engine: EngineName;
}

const OPTIMIZERS = OptimizerSchema.options;
const SCHEDULES = ScheduleSchema.options;

export const OPTIMIZER_NAMES = OPTIMIZERS.map((o) => o.shape.name.value);
export const SCHEDULE_KINDS = SCHEDULES.map((s) => s.shape.kind.value);

export function optimizerFields(name: string): FieldDescription[] {
  const schema = OPTIMIZERS.find((o) => o.shape.name.value === name);
  return schema ? describeObject(schema, ['name']) : [];
}

export function scheduleFields(kind: string): FieldDescription[] {
  const schema = SCHEDULES.find((s) => s.shape.kind.value === kind);
  return schema ? describeObject(schema, ['kind']) : [];
}

/** The method hyper-parameters a form edits: every scalar of its schema but encoder and head. */
export function methodFields(method: MethodName): FieldDescription[] {
  const schema = MethodConfigSchema.options.find((o) => o.shape.method.value === method);
  return schema
    ? describeObject(schema, ['method', 'encoder', 'head']).filter((f) => f.kind !== 'numbers')
    : [];
}

/** Field defaults (from the schema) for a freshly chosen optimizer or schedule; keeps `keep` values. */
export function defaultsOf(
  fields: readonly FieldDescription[],
  keep: Record<string, unknown> = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.key in keep) out[f.key] = keep[f.key];
    else if (f.defaultValue !== undefined) out[f.key] = f.defaultValue;
  }
  return out;
}

/** The scalar values of a method preset, as the form's starting point. */
export function methodParamsFromPreset(
  method: MethodName,
  preset: unknown,
): Record<string, unknown> {
  const config = (typeof preset === 'object' && preset !== null ? preset : {}) as Record<
    string,
    unknown
  >;
  const out: Record<string, unknown> = {};
  for (const f of methodFields(method)) if (f.key in config) out[f.key] = config[f.key];
  return out;
}

export function emptyDraft(): ExperimentDraft {
  return {
    name: '',
    datasetId: null,
    method: 'simclr',
    methodParams: {},
    encoder: '',
    augment: METHOD_DEFAULT_AUGMENT,
    optimizer: { name: 'adam', ...defaultsOf(optimizerFields('adam'), { learningRate: 1e-3 }) },
    schedule: { kind: 'cosine', ...defaultsOf(scheduleFields('cosine')) },
    batchSize: 32,
    imageSize: '',
    epochs: 10,
    seed: 0,
    maxStepsPerEpoch: '',
    knnK: 200,
    gradientCacheChunk: '',
    engine: 'tfjs',
  };
}

function isEmpty(v: unknown): boolean {
  return v === '' || v === undefined || v === null || (typeof v === 'number' && Number.isNaN(v));
}

/** Only the fields that differ from the preset travel as `methodOverrides`. */
export function methodOverrides(
  params: Record<string, unknown>,
  preset: unknown,
): Record<string, unknown> {
  const config = (typeof preset === 'object' && preset !== null ? preset : {}) as Record<
    string,
    unknown
  >;
  return Object.fromEntries(
    Object.entries(params).filter(([key, value]) => !Object.is(config[key], value)),
  );
}

export function toExperimentInput(
  draft: ExperimentDraft,
  methodPreset: unknown,
  customAugment: AugmentSpecInput | null,
): ExperimentInput {
  const optional = (key: string, value: unknown) => (isEmpty(value) ? {} : { [key]: value });
  const augment =
    draft.augment === CUSTOM_AUGMENT
      ? (customAugment ?? undefined)
      : draft.augment === METHOD_DEFAULT_AUGMENT
        ? undefined
        : draft.augment;
  return {
    ...(draft.name.trim() ? { name: draft.name.trim() } : {}),
    datasetId: draft.datasetId as number,
    method: draft.method,
    methodOverrides: methodOverrides(draft.methodParams, methodPreset),
    ...(draft.encoder ? { encoder: draft.encoder } : {}),
    ...(augment !== undefined ? { augment } : {}),
    optimizer: draft.optimizer as ExperimentInput['optimizer'],
    schedule: draft.schedule as ExperimentInput['schedule'],
    batchSize: draft.batchSize as number,
    ...optional('imageSize', draft.imageSize),
    epochs: draft.epochs as number,
    seed: draft.seed as number,
    ...optional('maxStepsPerEpoch', draft.maxStepsPerEpoch),
    evaluation: { knnK: draft.knnK as number },
    ...(isEmpty(draft.gradientCacheChunk)
      ? {}
      : { gradientCache: { chunkSize: draft.gradientCacheChunk as number } }),
    ...(draft.engine !== 'tfjs' ? { engine: draft.engine } : {}),
  };
}

export interface DraftCheck {
  ok: boolean;
  input: ExperimentInput;
  /** Messages by field path (`batchSize`, `optimizer.learningRate`, `methodOverrides.temperature`, `datasetId`). */
  issues: Record<string, string[]>;
}

/** Validate the draft as the main process will: the experiment, then the method preset + overrides. */
export function checkDraft(
  draft: ExperimentDraft,
  methodPreset: unknown,
  customAugment: AugmentSpecInput | null,
): DraftCheck {
  const input = toExperimentInput(draft, methodPreset, customAugment);
  const issues: Record<string, string[]> = {};
  if (draft.datasetId === null) issues['datasetId'] = ['choose a dataset'];
  const experiment = ExperimentSchema.safeParse(input);
  if (!experiment.success) {
    for (const [key, messages] of Object.entries(issuesByPath(experiment.error.issues))) {
      if (key === 'datasetId' && draft.datasetId === null) continue;
      (issues[key] ??= []).push(...messages);
    }
  }
  if (draft.augment === CUSTOM_AUGMENT && !customAugment)
    (issues['augment'] ??= []).push('the Augment view has no valid custom pipeline');
  if (methodPreset !== undefined) {
    const method = MethodConfigSchema.safeParse({
      ...(methodPreset as object),
      ...draft.methodParams,
    });
    if (!method.success)
      for (const [key, messages] of Object.entries(issuesByPath(method.error.issues)))
        (issues[`methodOverrides.${key}`] ??= []).push(...messages);
  }
  return { ok: Object.keys(issues).length === 0, input, issues };
}
