/**
 * The one entry point the CLI, the services and the Export view call: writes an encoder (tfjs or
 * verified ONNX) or a dataset's embeddings, plus metadata.json, into `outDir` — all files or none.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { tf } from '../compute/tf';
import { appVersion } from '../version';
import { writeDirAtomic } from '../files/atomic-dir';
import { writeFileAtomic } from '../files/atomic-file';
import { validateEmbeddingSet, writeEmbeddings, type EmbeddingSet } from './embeddings';
import { ONNX_FILE } from './import-encoder';
import { METADATA_FILE, METADATA_SCHEMA_VERSION, writeMetadata, type ExportFormat, type ExportMetadata, type Normalization, type TrainingMetadata } from './metadata';
import {
  encoderToOnnx,
  exportInputShape,
  ONNX_FEATURES_NAME,
  ONNX_INPUT_NAME,
  ONNX_IR_VERSION,
  ONNX_OPSET,
  ONNX_PROJECTION_NAME,
} from './onnx/writer';
import { saveTfjsModel } from './tfjs';
import { ONNX_TOLERANCE, verifyOnnx, type OnnxVerification } from './verify';

/** The tfjs projection head goes in its own LayersModel folder beside the encoder's model.json. */
export const HEAD_DIR = 'projection-head';

/** What the caller knows about the run; the rest of metadata.json is derived from the models. */
export interface ExportMetadataInput {
  architecture: string;
  widthMultiplier?: number;
  normalization: Normalization;
  /** Default [0, 1]. */
  pixelRange?: [number, number];
  training: TrainingMetadata;
}

export interface ExportEncoderOptions {
  encoder: tf.LayersModel;
  head?: tf.LayersModel;
  format: ExportFormat;
  outDir: string;
  /** Replace a non-empty outDir. */
  force?: boolean;
  metadata: ExportMetadataInput;
  /** Required for format 'embeddings'. */
  embeddings?: EmbeddingSet;
  /** [H, W] for encoders built with a dynamic input size (ONNX needs a static one). */
  inputSize?: [number, number];
  onnx?: {
    /** Default true: refuse to write an ONNX file that onnxruntime disagrees with. */
    verify?: boolean;
    verificationImages?: number;
    tolerance?: number;
  };
}

export interface ExportResult {
  outDir: string;
  /** Relative to outDir, metadata.json included. */
  files: string[];
  metadata: ExportMetadata;
  /** ONNX only, when verified. */
  verification?: OnnxVerification;
}

function outputDim(model: tf.LayersModel): number {
  const shape = model.outputs[0]?.shape;
  const dim = shape?.[shape.length - 1];
  if (shape?.length !== 2 || typeof dim !== 'number') throw new Error(`model "${model.name}" must output [B, F]`);
  return dim;
}

function baseMetadata(opts: ExportEncoderOptions, layout: 'NCHW' | 'NHWC'): Omit<ExportMetadata, 'files'> {
  const [height, width, channels] = exportInputShape(opts.encoder, opts.inputSize);
  const m = opts.metadata;
  return {
    schemaVersion: METADATA_SCHEMA_VERSION,
    format: opts.format,
    createdAt: new Date().toISOString(),
    workbenchVersion: appVersion(),
    encoder: {
      architecture: m.architecture,
      ...(m.widthMultiplier !== undefined ? { widthMultiplier: m.widthMultiplier } : {}),
      inputSize: { height, width, channels },
      layout,
      channelOrder: channels === 1 ? 'grayscale' : 'RGB',
      pixelRange: m.pixelRange ?? [0, 1],
      normalization: m.normalization,
      outputDim: outputDim(opts.encoder),
      projectionDim: opts.head ? outputDim(opts.head) : null,
    },
    training: m.training,
  };
}

async function exportOnnx(opts: ExportEncoderOptions): Promise<ExportResult> {
  const base = baseMetadata(opts, 'NCHW');
  // Everything that can fail on the model (unknown layers, verification) happens before any file exists.
  const bytes = encoderToOnnx(opts.encoder, {
    ...(opts.head ? { head: opts.head } : {}),
    ...(opts.inputSize ? { inputSize: opts.inputSize } : {}),
    producerVersion: base.workbenchVersion,
    docString: `${base.encoder.architecture} encoder trained with ${base.training.method}; input NCHW float32 normalised with metadata mean/std`,
    metadataProps: {
      architecture: base.encoder.architecture,
      layout: 'NCHW',
      channel_order: base.encoder.channelOrder,
      pixel_range: JSON.stringify(base.encoder.pixelRange),
      normalization_mean: JSON.stringify(base.encoder.normalization.mean),
      normalization_std: JSON.stringify(base.encoder.normalization.std),
      method: base.training.method,
      dataset_content_hash: base.training.dataset.contentHash,
    },
  });
  let verification: OnnxVerification | undefined;
  if (opts.onnx?.verify ?? true) {
    verification = await verifyOnnx({
      encoder: opts.encoder,
      ...(opts.head ? { head: opts.head } : {}),
      onnx: bytes,
      count: opts.onnx?.verificationImages ?? 4,
      tolerance: opts.onnx?.tolerance ?? ONNX_TOLERANCE,
      ...(opts.inputSize ? { inputSize: opts.inputSize } : {}),
    });
    if (!verification.passed) {
      const relative = verification.maxAbsDiff / Math.max(verification.maxAbsReference, Number.MIN_VALUE);
      throw new Error(
        `ONNX export disagrees with tfjs: max abs difference ${verification.maxAbsDiff.toExponential(2)} ≥ ${verification.tolerance} ` +
          `(outputs reach ${verification.maxAbsReference.toFixed(2)}, relative difference ${relative.toExponential(1)}); nothing was written`,
      );
    }
  }
  const files = [ONNX_FILE, METADATA_FILE];
  const metadata: ExportMetadata = {
    ...base,
    files,
    onnx: {
      opset: ONNX_OPSET,
      irVersion: ONNX_IR_VERSION,
      inputName: ONNX_INPUT_NAME,
      outputNames: opts.head ? [ONNX_FEATURES_NAME, ONNX_PROJECTION_NAME] : [ONNX_FEATURES_NAME],
      verification: verification
        ? {
            maxAbsDiff: verification.maxAbsDiff,
            maxAbsOutput: verification.maxAbsReference,
            tolerance: verification.tolerance,
            images: verification.images,
            passed: verification.passed,
          }
        : null,
    },
  };
  await writeDirAtomic(opts.outDir, { force: opts.force ?? false }, async (dir) => {
    await writeFileAtomic(join(dir, ONNX_FILE), bytes);
    await writeMetadata(dir, metadata);
  });
  return { outDir: opts.outDir, files, metadata, ...(verification ? { verification } : {}) };
}

async function exportTfjs(opts: ExportEncoderOptions): Promise<ExportResult> {
  const base = baseMetadata(opts, 'NHWC');
  let metadata: ExportMetadata | undefined;
  await writeDirAtomic(opts.outDir, { force: opts.force ?? false }, async (dir) => {
    const files = await saveTfjsModel(opts.encoder, dir);
    if (opts.head) {
      await mkdir(join(dir, HEAD_DIR));
      files.push(...(await saveTfjsModel(opts.head, join(dir, HEAD_DIR))).map((f) => `${HEAD_DIR}/${f}`));
    }
    files.push(METADATA_FILE);
    metadata = { ...base, files };
    await writeMetadata(dir, metadata);
  });
  return { outDir: opts.outDir, files: metadata!.files, metadata: metadata! };
}

async function exportEmbeddingFiles(opts: ExportEncoderOptions): Promise<ExportResult> {
  const set = opts.embeddings;
  if (!set) throw new Error("format 'embeddings' needs the embeddings to write (features, dim, labels, paths)");
  const rows = validateEmbeddingSet(set);
  const base = baseMetadata(opts, 'NHWC');
  let metadata: ExportMetadata | undefined;
  await writeDirAtomic(opts.outDir, { force: opts.force ?? false }, async (dir) => {
    const files = [...(await writeEmbeddings(dir, set)), METADATA_FILE];
    metadata = { ...base, files, embeddings: { count: rows, dim: set.dim } };
    await writeMetadata(dir, metadata);
  });
  return { outDir: opts.outDir, files: metadata!.files, metadata: metadata! };
}

/** Writes the export described by `opts`; throws (leaving outDir untouched) on any problem. */
export function exportEncoder(opts: ExportEncoderOptions): Promise<ExportResult> {
  switch (opts.format) {
    case 'onnx':
      return exportOnnx(opts);
    case 'tfjs':
      return exportTfjs(opts);
    case 'embeddings':
      return exportEmbeddingFiles(opts);
  }
}
