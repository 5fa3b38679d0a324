/**
 * The one interface every SSL method implements, so the trainer, checkpoints and evaluation treat
 * SimCLR, MoCo, SwAV … alike (solo-learn's fixed method interface, minus the 900-line base class).
 */
import type { tf } from '../../compute/tf';
import type { MethodConfig, MethodName } from '../../../shared/schemas/method';
import type { ViewSpec } from '../../specs/views';

export interface MethodBatch {
  views: tf.Tensor4D[];
  /** Dataset index of each image of the batch (memory-bank methods key their entries by it). */
  indices: Int32Array;
}

export interface StepInfo {
  /** Loss value of the step that just ran. */
  loss: number;
}

export interface TensorState {
  shape: number[];
  data: Float32Array;
}
/** Everything needed to resume: weights, BatchNorm statistics, banks, queues, counters. */
export type MethodState = Record<string, TensorState>;

export interface MethodContext {
  /** Side of the (square) training view in pixels. */
  imageSize: number;
  channels: 1 | 3;
  /** Number of images in the training set (memory-bank size). */
  datasetSize: number;
  seed: number;
}

/** SwAV per-image prototype assignment: argmax of the code and the code's entropy (nats). */
export interface PrototypeAssignments {
  prototype: Int32Array;
  entropy: Float32Array;
}

/**
 * The split gradient caching needs (src/main/ssl/gradient-cache.ts): a loss that sees the batch only
 * through the embeddings of its rows, so dL/dz can be taken over the whole batch and the network
 * back-propagated a chunk of rows at a time. End-to-end methods (SimCLR) provide it; methods with a
 * second network, a bank or a queue do not.
 */
export interface EmbeddingLoss {
  /** Every view of the batch as one [R, H, W, C] tensor, in the row order `fromEmbeddings` expects. */
  rows(batch: MethodBatch): tf.Tensor4D;
  /** Embeddings [r, D] of some rows, BatchNorm in training mode over exactly these rows. */
  project(rows: tf.Tensor4D): tf.Tensor2D;
  /** The batch loss from the embeddings of all R rows, z [R, D]. */
  fromEmbeddings(z: tf.Tensor2D, batch: MethodBatch): tf.Scalar;
  /** The models `project` runs (their BatchNorm moving statistics change with every training forward). */
  models(): tf.LayersModel[];
}

export interface SslMethod {
  readonly name: MethodName;
  readonly config: MethodConfig;
  readonly viewsNeeded: ViewSpec;
  /** The backbone to evaluate and export: images [B, H, W, C] → features [B, F]. */
  readonly encoder: tf.LayersModel;
  /** Variables the optimiser updates; the list and its order never change during a run. */
  trainableVariables(): tf.Variable[];
  /** Scalar loss of one batch, BatchNorm in training mode. Called inside `tf.variableGrads`. */
  loss(batch: MethodBatch): tf.Scalar;
  /** State updates after the optimiser step: EMA, queues, banks, prototype normalisation. */
  afterStep(batch: MethodBatch, info: StepInfo): void;
  /**
   * Epoch-based schedules (DINO's last-layer freeze and teacher-temperature warm-up): the trainer
   * calls it with the 0-based epoch before that epoch's first step, and a resumed run with the epoch
   * it continues in, so nothing epoch-based needs saving. A method never told stays at epoch 0.
   */
  beginEpoch?(epoch: number): void;
  /**
   * Variables that get no update at all this step — the optimiser skips them: no step, no
   * momentum/Adam slot change, no weight decay (PyTorch: their `.grad` set to None). DINO's frozen
   * last layer. Must be a subset of `trainableVariables()`.
   */
  frozenVariables?(): tf.Variable[];
  /** Encoder features in inference mode (moving BatchNorm statistics) → [B, F]. */
  embed(images: tf.Tensor4D): tf.Tensor2D;
  /** Asynchronous: GPU backends read tensors back only asynchronously. */
  getState(): Promise<MethodState>;
  setState(state: MethodState): void;
  dispose(): void;
  /** End-to-end methods only: what gradient caching splits the step with. */
  readonly embeddingLoss?: EmbeddingLoss;
  /** SwAV only: prototype assignments of `images` in inference mode. */
  assignments?(images: tf.Tensor4D): Promise<PrototypeAssignments>;
}

export type MethodFactory<C extends MethodConfig = MethodConfig> = (
  config: C,
  context: MethodContext,
) => SslMethod;
