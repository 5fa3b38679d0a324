/**
 * The engine worker's protocol: tagged unions with sequence ids (Signal Desktop's pattern).
 *
 * main → worker: `request` (a method + params) and `cancel` (abort the request with that seq).
 * worker → main: `event` (progress of a running request) and `reply` (result or a plain error).
 * Only numbers, strings, plain objects and typed arrays cross; errors cross as `{ code, name, message, stack }`.
 */
import type { ErrorCode } from '../../shared/errors';
import type { BackendReport } from '../compute/tf';
import type { BenchAugmentOptions, BenchAugmentResult } from '../augment/bench';
import type { BenchTrainRequest, BenchTrainResult } from './bench-train';
import type { OnnxInspection } from './onnx-encoder';
import type { LoaderItem } from '../data/loader';
import type { ExportMetadataInput } from '../export/index';
import type { MethodConfig } from '../../shared/schemas/method';
import type { PreviewReply, PreviewRequestParams } from './preview';
import type { EvalKnnRequest, TrainRequest, TrainResult } from './train-types';
import type { AdoptTorchEncoderRequest, ExportSafetensorsRequest } from './torch-weights';

/** A run's features of some images (to a file) and their 2-D projection (`project`). */
export interface ProjectRequest {
  method: MethodConfig;
  imageSize: number;
  seed: number;
  checkpoint?: string;
  cacheFile: string;
  items: LoaderItem[];
  datasetSize: number;
  algorithm: 'pca' | 'umap';
  featuresFile: string;
  backend?: string;
}

/** Write a run's encoder or a dataset's embeddings (`exportRun`). */
export interface ExportRunRequest {
  method: MethodConfig;
  imageSize: number;
  seed: number;
  checkpoint?: string;
  format: 'tfjs' | 'onnx' | 'embeddings';
  outDir: string;
  force: boolean;
  metadata: ExportMetadataInput;
  /** The dataset's tensor cache (channels, and the images of an embeddings export). */
  cacheFile: string;
  /** Images whose embeddings are written (format 'embeddings'). */
  embeddings?: { items: LoaderItem[]; labels: (string | null)[]; paths: string[] };
  datasetSize: number;
  backend?: string;
}

/** Every request the worker serves: params and result types, one entry per method. */
export interface EngineMethods {
  /** Initialise tfjs (once) and report the backends. */
  doctor: { params: { backend?: string; wasmThreads?: number }; result: BackendReport };
  /** Round-trip and cancellation check; `delayMs` waits in slices that honour cancel. */
  ping: { params: { delayMs?: number; echo?: string }; result: { echo: string; threadId: number } };
  /** Train (or continue) a run; events: started, step, checkpoint, epoch, assignments. */
  train: { params: TrainRequest; result: TrainResult };
  /** Weighted kNN accuracy of a checkpoint's (or a random) encoder. */
  evalKnn: { params: EvalKnnRequest; result: { accuracy: number | null; k: number; backend: string } };
  /** Linear-probe accuracy of a checkpoint's (or a random) encoder. */
  evalLinear: {
    params: Omit<EvalKnnRequest, 'k' | 'temperature'> & { epochs: number };
    result: { trainAccuracy: number; testAccuracy: number; backend: string };
  };
  /** Augmentation preview of cached images (PNG grid + per-item PNGs + sampled parameters). */
  preview: { params: PreviewRequestParams; result: PreviewReply };
  benchTrain: { params: BenchTrainRequest; result: BenchTrainResult };
  /** Input size, layout and feature width of an external ONNX encoder. */
  inspectOnnx: { params: { path: string }; result: OnnxInspection };
  /** Weighted kNN accuracy of an external ONNX encoder on a dataset. */
  evalKnnOnnx: {
    params: { path: string; cacheFile: string; train: LoaderItem[]; val: LoaderItem[]; numClasses: number; k: number; temperature: number };
    result: { accuracy: number; k: number };
  };
  /** A run's features of some images (to a file) and their 2-D projection. */
  project: { params: ProjectRequest; result: { coords: Float32Array; dim: number } };
  /** Write a run's encoder (tfjs, verified ONNX) or a dataset's embeddings. */
  exportRun: { params: ExportRunRequest; result: { outDir: string; files: string[]; maxAbsDiff: number | null } };
  benchAugment: { params: BenchAugmentOptions & { backend?: string }; result: BenchAugmentResult };
  /** A PyTorch run's encoder weights into the run's tfjs method, verified on a probe, as a checkpoint. */
  adoptTorchEncoder: { params: AdoptTorchEncoderRequest; result: { path: string; bytes: number; maxAbsDiff: number } };
  /** A run's encoder as safetensors keyed like the generated project's model. */
  exportSafetensors: { params: ExportSafetensorsRequest; result: { path: string; tensors: number } };
}

/** What a handler gets besides its params: the request's cancellation and its event channel. */
export interface HandlerContext {
  signal: AbortSignal;
  emit: (event: string, payload: unknown) => void;
}

export type EngineMethod = keyof EngineMethods;
export type EngineParams<M extends EngineMethod> = EngineMethods[M]['params'];
export type EngineResult<M extends EngineMethod> = EngineMethods[M]['result'];

export interface SerializedError {
  code: ErrorCode;
  name: string;
  message: string;
  stack?: string;
  details?: unknown;
}

export type ToWorker =
  | { type: 'request'; seq: number; method: EngineMethod; params: unknown }
  | { type: 'cancel'; seq: number };

export type FromWorker =
  | { type: 'event'; seq: number; event: string; payload: unknown }
  | { type: 'reply'; seq: number; ok: true; result: unknown }
  | { type: 'reply'; seq: number; ok: false; error: SerializedError };
