/**
 * `metadata.json`, written beside every export: enough to use the files without this app — what the
 * encoder is, what it expects as input (size, channel order, layout, pixel range, normalisation), what
 * it returns, how and on what it was trained, and how well. Validated by `ExportMetadataSchema` both
 * when written and when read back (import-encoder).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../files/atomic-file';

export const METADATA_FILE = 'metadata.json';
export const METADATA_SCHEMA_VERSION = 1;

const count = z.number().int().positive();
const id = z.union([z.string(), z.number()]);

export const ExportFormatSchema = z.enum(['tfjs', 'onnx', 'embeddings']);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

export const NormalizationSchema = z.strictObject({
  /** Per channel, subtracted from pixels in `pixelRange`. */
  mean: z.array(z.number()).min(1).max(4),
  std: z.array(z.number().positive()).min(1).max(4),
});

export const EncoderMetadataSchema = z.strictObject({
  /** `small`, `resnet18`, `resnet18-cifar`, `resnet34`, `resnet50`, or a free name for external models. */
  architecture: z.string().min(1),
  widthMultiplier: z.number().positive().optional(),
  inputSize: z.strictObject({ height: count, width: count, channels: count }),
  /** Layout of the exported model's input tensor: NCHW for ONNX, NHWC for tfjs. */
  layout: z.enum(['NCHW', 'NHWC']),
  channelOrder: z.enum(['RGB', 'grayscale']),
  /** Pixels are scaled to this range before normalisation: x' = (x − mean) / std. */
  pixelRange: z.tuple([z.number(), z.number()]),
  normalization: NormalizationSchema,
  outputDim: count,
  /** Width of the projection head's output when the head was exported too, else null. */
  projectionDim: count.nullable(),
});

export const TrainingMetadataSchema = z.strictObject({
  method: z.string().min(1),
  runId: id.optional(),
  experiment: z.strictObject({ id: id.optional(), name: z.string().optional(), config: z.unknown().optional() }),
  dataset: z.strictObject({ id: id.optional(), name: z.string().optional(), contentHash: z.string().min(1) }),
  /** Final metrics of the run, e.g. `{ loss, knnAccuracy }`. */
  metrics: z.record(z.string(), z.number()),
});

export const OnnxMetadataSchema = z.strictObject({
  opset: count,
  irVersion: count,
  inputName: z.string(),
  outputNames: z.array(z.string()).min(1),
  /** onnxruntime vs tfjs on the same images at export time. */
  verification: z
    .strictObject({
      maxAbsDiff: z.number().nonnegative(),
      /** Largest |output| of the check: float32 rounding grows with it. */
      maxAbsOutput: z.number().nonnegative(),
      tolerance: z.number().positive(),
      images: count,
      passed: z.boolean(),
    })
    .nullable(),
});

export const ExportMetadataSchema = z.strictObject({
  schemaVersion: z.literal(METADATA_SCHEMA_VERSION),
  format: ExportFormatSchema,
  createdAt: z.iso.datetime(),
  workbenchVersion: z.string().min(1),
  encoder: EncoderMetadataSchema,
  training: TrainingMetadataSchema,
  /** Every file of the export (metadata.json included), relative to the export folder. */
  files: z.array(z.string()).min(1),
  onnx: OnnxMetadataSchema.optional(),
  embeddings: z.strictObject({ count: z.number().int().nonnegative(), dim: count }).optional(),
});

export type ExportMetadata = z.infer<typeof ExportMetadataSchema>;
export type TrainingMetadata = z.infer<typeof TrainingMetadataSchema>;
export type Normalization = z.infer<typeof NormalizationSchema>;

export async function writeMetadata(dir: string, metadata: ExportMetadata): Promise<void> {
  const valid = ExportMetadataSchema.parse(metadata);
  await writeFileAtomic(join(dir, METADATA_FILE), `${JSON.stringify(valid, null, 2)}\n`);
}

/** Reads and validates `dir/metadata.json`; undefined when the folder has none. */
export async function readMetadata(dir: string): Promise<ExportMetadata | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, METADATA_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const parsed = ExportMetadataSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${join(dir, METADATA_FILE)} is not valid export metadata: ${parsed.error.message}`);
  return parsed.data;
}
