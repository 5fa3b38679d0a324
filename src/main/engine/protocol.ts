/**
 * The engine worker's protocol: tagged unions with sequence ids (Signal Desktop's pattern), and every
 * request, result and event type the worker serves — owned here, not by the handlers that implement
 * them, so both sides and the services import one file.
 *
 * main → worker: `request` (a method + params) and `cancel` (abort the request with that seq).
 * worker → main: `event` (progress of a running request) and `reply` (result or a plain error).
 * Only numbers, strings, plain objects and typed arrays cross; errors cross as `{ code, name, message, stack }`.
 * Events are typed per method (`EngineMethods[M]['events']`): a handler can emit only its own, and a
 * caller's `onEvent` receives a union it can switch on without casts.
 */
import type { ErrorCode } from '../../shared/errors';
import type { AugmentSpec } from '../../shared/schemas/augment';
import type { GradientCacheConfig, OptimizerConfig, ScheduleConfig } from '../../shared/schemas/experiment';
import type { MethodConfig } from '../../shared/schemas/method';
import type { BenchAugmentOptions, BenchAugmentResult } from '../augment/bench';
import type { PreviewItemParams } from '../augment/preview/index';
import type { BackendReport } from '../compute/tf';
import type { LoaderItem } from '../data/loader';
import type { KnnRows } from '../ssl/eval/evaluate';
import type { ExportMetadataInput } from '../export/index';
import type { CheckpointPosition } from './checkpoints';

// ── Opening a run's model ─────────────────────────────────────────────────────────────────────────

/**
 * What every request about a run's model carries (train, evaluation, projection, export): the worker
 * picks the backend, opens the tensor cache and rebuilds the method with the run's seed from it.
 * Built in one place on the main side: `services/run-model.ts`.
 */
export interface RunModelRequest {
  method: MethodConfig;
  imageSize: number;
  seed: number;
  cacheFile: string;
  /** Memory-bank size: images of the training split. */
  datasetSize: number;
  /** Trained weights to load; without it the randomly initialised encoder is used. */
  checkpoint?: string;
  backend?: string;
}

/** A dataset's loader items, by split, with class indices into `numClasses` classes. */
export interface Splits {
  /** Training split; `indices` of batches and memory-bank keys refer to positions in this list. */
  train: LoaderItem[];
  /** Labelled validation split for kNN (may be empty). */
  val: LoaderItem[];
  numClasses: number;
}

// ── Training ──────────────────────────────────────────────────────────────────────────────────────

export interface TrainRequest {
  runId: number;
  /** The run's model, without weights: a resume reads `resumeFrom` together with the optimiser. */
  model: Omit<RunModelRequest, 'checkpoint'>;
  data: Splits;
  augment: AugmentSpec;
  optimizer: OptimizerConfig;
  schedule: ScheduleConfig;
  batchSize: number;
  epochs: number;
  evaluation: { knnK: number; knnTemperature: number; everyEpochs: number };
  checkpointEverySteps: number;
  maxStepsPerEpoch?: number;
  /** Split every step into chunks of this many views (gradient caching, SimCLR); absent = one piece. */
  gradientCache?: GradientCacheConfig;
  /** Folder for this run's checkpoint files. */
  checkpointDir: string;
  /** Continue from this checkpoint file (weights, optimiser slots, position). */
  resumeFrom?: string;
}

export interface TrainResult {
  runId: number;
  status: 'completed' | 'cancelled';
  epochs: number;
  steps: number;
  finalLoss: number | null;
  imagesPerSecond: number | null;
  knnAccuracy: number | null;
  backend: string;
}

export interface StartedEvent {
  backend: string;
  device: string | null;
  reason: string;
  stepsPerEpoch: number;
  resumedAtStep: number;
}

export interface StepEvent {
  step: number;
  /** Fractional epoch after this step. */
  epoch: number;
  loss: number;
  learningRate: number;
  imagesPerSecond: number;
  etaSeconds: number;
  stepsPerEpoch: number;
  /** Steps of the whole run (epochs × steps per epoch). */
  totalSteps: number;
}

export interface EpochEvent {
  /** Epochs completed (0 = the untrained encoder). */
  epoch: number;
  step: number;
  knnAccuracy: number | null;
  meanLoss: number | null;
  /** Wang & Isola 2020 on validation (else training) images; null when not measurable. */
  alignment: number | null;
  uniformity: number | null;
}

export interface CheckpointEvent {
  path: string;
  step: number;
  epoch: number;
  bytes: number;
}

export interface AssignmentsEvent {
  epoch: number;
  /** Positions in `data.train`. */
  items: Int32Array;
  prototype: Int32Array;
  entropy: Float32Array;
}

/** What a training run reports while it runs. */
export interface TrainEvents {
  started: StartedEvent;
  step: StepEvent;
  checkpoint: CheckpointEvent;
  epoch: EpochEvent;
  assignments: AssignmentsEvent;
}

// ── Evaluation, projection, export ────────────────────────────────────────────────────────────────

/** A PyTorch checkpoint's encoder (train.py's safetensors) into the run's tfjs method, checked on a probe. */
export interface AdoptTorchEncoderRequest {
  model: RunModelRequest;
  /** encoder.safetensors written by train.py. */
  weightsFile: string;
  /** The method's other trained tensors by their PyTorch path (the autoencoder's head and decoder), when train.py wrote them. */
  methodWeightsFile?: string;
  /** Features PyTorch computed on `probeInput(count, …)` in inference mode, row-major [count, F]. */
  probe: { count: number; features: number[] };
  outFile: string;
  position: CheckpointPosition;
  extra: Record<string, unknown>;
}

/** A run's encoder as safetensors keyed like the generated project's model. */
export interface ExportSafetensorsRequest {
  model: RunModelRequest;
  outFile: string;
  metadata: Record<string, string>;
}

export interface EvalKnnRequest {
  model: RunModelRequest;
  data: Splits;
  k: number;
  temperature: number;
  /** Score the raw pixels (flattened) instead of the encoder's features: the no-learning baseline. */
  rawPixels?: boolean;
}

export interface EvalLinearRequest {
  model: RunModelRequest;
  data: Splits;
  epochs: number;
  /** Probe (or fine-tune a head on) the flattened pixels instead of the encoder: the no-learning reference. */
  rawPixels?: boolean;
}

/** A run's features of some images (to a file) and their 2-D projection (`project`). */
export interface ProjectRequest {
  model: RunModelRequest;
  items: LoaderItem[];
  algorithm: 'pca' | 'umap';
  featuresFile: string;
  /** Also classify some items by weighted kNN against others (rows index `items`). */
  knn?: KnnRows;
}

/** A projection: 2-D coordinates, feature width, PCA's variance spectrum, kNN predictions of `knn.queries`. */
export interface ProjectResult {
  coords: Float32Array;
  dim: number;
  /** PCA only: fraction of the variance along each of the first principal axes. */
  varianceRatio?: number[];
  /** With `knn`: the class predicted for each query, in order. */
  knnPredictions?: number[];
}

/** Write a run's encoder or a dataset's embeddings (`exportRun`). */
export interface ExportRunRequest {
  model: RunModelRequest;
  format: 'tfjs' | 'onnx' | 'embeddings';
  outDir: string;
  force: boolean;
  metadata: ExportMetadataInput;
  /** Images whose embeddings are written (format 'embeddings'). */
  embeddings?: { items: LoaderItem[]; labels: (string | null)[]; paths: string[] };
}

/** How far a long request is (`phase` names the part when there are several). */
export interface ProgressEvent {
  phase?: string;
  done: number;
  total: number;
}

// ── Previews, benchmarks, external encoders ───────────────────────────────────────────────────────

export interface PreviewRequestParams {
  cacheFile: string;
  cacheIndices: number[];
  /** Dataset keys of the images: the same key seeds the same parameters in training. */
  imageKeys: number[];
  spec: AugmentSpec;
  seed: number;
  pairs: number;
  stepByStep: boolean;
  imageSize: number;
  backend?: string;
}

export interface PreviewReply {
  grid: Uint8Array;
  items: { original: Uint8Array; views: Uint8Array[]; steps?: { view: number; op: string; params: unknown; png: Uint8Array }[] }[];
  params: PreviewItemParams[];
  viewNames: string[];
  /** Side in pixels of each column's images. */
  viewSizes: number[];
}

/**
 * What every training benchmark is asked, whichever engine runs it: a method on seeded synthetic
 * images, `warmupSteps` untimed steps and then `steps` timed ones. The tfjs engine's `benchTrain`
 * (below) and the PyTorch engine's bench (`pytorch/bench.ts`) each add their own knobs.
 */
export interface BenchTrainBase {
  method: MethodConfig;
  augment: AugmentSpec;
  /** Dataset images per step. */
  batchSize: number;
  imageSize: number;
  channels: 1 | 3;
  steps: number;
  warmupSteps: number;
}

export interface BenchTrainRequest extends BenchTrainBase {
  seed: number;
  backend?: string;
  /** Split every step into chunks of this many views (gradient caching); absent = one piece. */
  gradientCache?: GradientCacheConfig;
  /** XNNPACK threads for wasm (fixed once wasm has loaded in the engine). */
  wasmThreads?: number;
}

export interface BenchTrainResult {
  backend: string;
  /** Compute threads the backend actually ran (wasm: XNNPACK's pool). */
  threads: number;
  /** wasm only: the Conv2DBackpropFilter kernel that ran (`simd` or `xnnpack`). */
  filterKernel?: 'simd' | 'xnnpack';
  /** wasm only: the Conv2DBackpropInput kernel that ran. */
  inputKernel?: 'simd' | 'xnnpack';
  /** wasm only: the kernel of 3×3 stride-1 convolutions (`winograd` or `xnnpack`). */
  convKernel?: 'winograd' | 'xnnpack';
  imagesPerSecond: number;
  secondsPerStep: number;
  viewsPerStep: number;
  peakRssMB: number;
  /** Tensor memory held after the timed steps (weights, optimiser slots, method state), MiB. */
  tensorMB: number;
  leakedTensors: number;
}

export interface OnnxInspection {
  height: number;
  width: number;
  channels: number;
  layout: 'NCHW' | 'NHWC';
  outputDim: number;
}

// ── The method table ──────────────────────────────────────────────────────────────────────────────

/** A method that reports no events. */
type NoEvents = Record<never, never>;

/** Every request the worker serves: params, result and event types, one entry per method. */
export interface EngineMethods {
  /** Initialise tfjs (once) and report the backends. */
  doctor: { params: { backend?: string; wasmThreads?: number }; result: BackendReport; events: NoEvents };
  /** Round-trip and cancellation check; `delayMs` waits in slices that honour cancel. */
  ping: { params: { delayMs?: number; echo?: string }; result: { echo: string; threadId: number }; events: { progress: ProgressEvent } };
  /** Train (or continue) a run. */
  train: { params: TrainRequest; result: TrainResult; events: TrainEvents };
  /** Weighted kNN accuracy of a checkpoint's (or a random) encoder. */
  evalKnn: { params: EvalKnnRequest; result: { accuracy: number | null; k: number; backend: string }; events: NoEvents };
  /** Linear-probe accuracy of a checkpoint's (or a random) encoder. */
  evalLinear: { params: EvalLinearRequest; result: { trainAccuracy: number; testAccuracy: number; backend: string }; events: NoEvents };
  /** Fine-tune accuracy (encoder + linear head on a class-balanced label fraction) of a checkpoint's (or a random) encoder. */
  evalFinetune: { params: EvalLinearRequest & { labelFraction: number }; result: { accuracy: number; trainImages: number; backend: string }; events: NoEvents };
  /** Autoencoder runs: input, corrupted input and reconstruction of some cached images (PNGs). */
  reconstructionPreview: {
    params: { model: RunModelRequest; cacheIndices: number[] };
    result: { input: Uint8Array[]; corrupted: Uint8Array[]; output: Uint8Array[] };
    events: NoEvents;
  };
  /** Augmentation preview of cached images (PNG grid + per-item PNGs + sampled parameters). */
  preview: { params: PreviewRequestParams; result: PreviewReply; events: NoEvents };
  benchTrain: { params: BenchTrainRequest; result: BenchTrainResult; events: NoEvents };
  /** Input size, layout and feature width of an external ONNX encoder. */
  inspectOnnx: { params: { path: string }; result: OnnxInspection; events: NoEvents };
  /** Weighted kNN accuracy of an external ONNX encoder on a dataset. */
  evalKnnOnnx: {
    params: { path: string; cacheFile: string; train: LoaderItem[]; val: LoaderItem[]; numClasses: number; k: number; temperature: number };
    result: { accuracy: number; k: number };
    events: NoEvents;
  };
  /** A run's features of some images (to a file) and their 2-D projection. */
  project: { params: ProjectRequest; result: ProjectResult; events: { progress: ProgressEvent } };
  /** Write a run's encoder (tfjs, verified ONNX) or a dataset's embeddings. */
  exportRun: {
    params: ExportRunRequest;
    result: { outDir: string; files: string[]; maxAbsDiff: number | null };
    events: { progress: ProgressEvent };
  };
  benchAugment: { params: BenchAugmentOptions & { backend?: string }; result: BenchAugmentResult; events: NoEvents };
  /** A PyTorch run's encoder weights into the run's tfjs method, verified on a probe, as a checkpoint. */
  adoptTorchEncoder: { params: AdoptTorchEncoderRequest; result: { path: string; bytes: number; maxAbsDiff: number }; events: NoEvents };
  /** A run's encoder as safetensors keyed like the generated project's model. */
  exportSafetensors: { params: ExportSafetensorsRequest; result: { path: string; tensors: number }; events: NoEvents };
}

export type EngineMethod = keyof EngineMethods;
export type EngineParams<M extends EngineMethod> = EngineMethods[M]['params'];
export type EngineResult<M extends EngineMethod> = EngineMethods[M]['result'];
export type EngineEvents<M extends EngineMethod> = EngineMethods[M]['events'];

/** One event of method M as the caller receives it: switch on `event`, `payload` narrows with it. */
export type EngineEvent<M extends EngineMethod> = {
  [E in keyof EngineEvents<M>]: { event: E; payload: EngineEvents<M>[E] };
}[keyof EngineEvents<M>];

/** What a handler gets besides its params: the request's cancellation and its own events. */
export interface HandlerContext<M extends EngineMethod> {
  signal: AbortSignal;
  emit<E extends keyof EngineEvents<M>>(event: E, payload: EngineEvents<M>[E]): void;
}

// ── The wire ──────────────────────────────────────────────────────────────────────────────────────

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
