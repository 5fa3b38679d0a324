/** What crosses the worker boundary for training and evaluation: plain data and typed arrays only. */
import type { AugmentSpec } from '../../shared/schemas/augment';
import type {
  GradientCacheConfig,
  OptimizerConfig,
  ScheduleConfig,
} from '../../shared/schemas/experiment';
import type { MethodConfig } from '../../shared/schemas/method';
import type { LoaderItem } from '../data/loader';

export interface TrainData {
  cacheFile: string;
  /** Training split; `indices` of batches and memory-bank keys refer to positions in this list. */
  train: LoaderItem[];
  /** Labelled validation split for kNN (may be empty). */
  val: LoaderItem[];
  numClasses: number;
}

export interface TrainRequest {
  runId: number;
  method: MethodConfig;
  augment: AugmentSpec;
  optimizer: OptimizerConfig;
  schedule: ScheduleConfig;
  batchSize: number;
  imageSize: number;
  epochs: number;
  seed: number;
  evaluation: { knnK: number; knnTemperature: number; everyEpochs: number };
  checkpointEverySteps: number;
  maxStepsPerEpoch?: number;
  /** Split every step into chunks of this many views (gradient caching, SimCLR); absent = one piece. */
  gradientCache?: GradientCacheConfig;
  data: TrainData;
  /** Folder for this run's checkpoint files. */
  checkpointDir: string;
  /** Continue from this checkpoint file. */
  resumeFrom?: string;
  backend?: string;
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

export interface StartedEvent {
  backend: string;
  device: string | null;
  reason: string;
  stepsPerEpoch: number;
  resumedAtStep: number;
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

export interface EvalKnnRequest {
  method: MethodConfig;
  imageSize: number;
  seed: number;
  data: TrainData;
  /** Trained weights; without it the randomly initialised encoder is evaluated. */
  checkpoint?: string;
  k: number;
  temperature: number;
  backend?: string;
  /** Score the raw pixels (flattened) instead of the encoder's features: the no-learning baseline. */
  rawPixels?: boolean;
}
