/**
 * The backbone + projection head pair most methods train: encoder f [B, H, W, C] → [B, F] and head
 * g [B, F] → [B, D], both functional LayersModels built from the method config with seeded
 * initialisers. BatchNorm follows `training`: batch statistics (and moving-average updates) when
 * true, moving statistics when false.
 */
import { tf } from '../../compute/tf';
import type { EncoderConfig, HeadBlock } from '../../../shared/schemas/method';
import { buildEncoder, featureDim } from '../encoders/index';
import { buildProjectionHead } from '../heads/projection-head';
import { WeightNormLinear } from '../heads/weight-norm-linear';
import { loadModelState, modelState, trainableVariablesOf } from './state';
import type { MethodContext, MethodState } from './types';

export interface NetworkOptions {
  encoder: EncoderConfig;
  head: HeadBlock[];
  context: MethodContext;
  /** Build the encoder for any input size (multi-crop, jigsaw tiles). */
  variableInputSize?: boolean;
  /** Role name, also the prefix of its state keys ("online", "key"…). */
  role: string;
  /** DINO: the head ends in a weight-normalised layer of this many units (heads/weight-norm-linear.ts). */
  normalizedOutputDim?: number;
}

export class Network {
  readonly encoder: tf.LayersModel;
  readonly head: tf.LayersModel;

  constructor(private readonly opts: NetworkOptions) {
    const size = opts.variableInputSize ? null : opts.context.imageSize;
    this.encoder = buildEncoder({
      name: opts.encoder.name,
      inputShape: [size, size, opts.context.channels],
      widthMultiplier: opts.encoder.widthMultiplier,
      batchNormMomentum: opts.encoder.batchNormMomentum,
      seed: opts.context.seed,
      modelName: 'encoder',
    });
    this.head = buildProjectionHead({
      inputDim: featureDim(this.encoder),
      blocks: opts.head,
      seed: opts.context.seed + 1,
      batchNormMomentum: opts.encoder.batchNormMomentum,
      name: 'head',
      ...(opts.normalizedOutputDim !== undefined && {
        normalizedLastLayer: opts.normalizedOutputDim,
      }),
    });
  }

  get outputDim(): number {
    const shape = this.head.outputs[0]?.shape;
    return (shape?.[shape.length - 1] as number | undefined) ?? 0;
  }

  features(images: tf.Tensor4D, training: boolean): tf.Tensor2D {
    return this.encoder.apply(images, { training }) as tf.Tensor2D;
  }

  project(images: tf.Tensor4D, training: boolean): tf.Tensor2D {
    return tf.tidy(
      () => this.head.apply(this.features(images, training), { training }) as tf.Tensor2D,
    );
  }

  variables(): tf.Variable[] {
    return [...trainableVariablesOf(this.encoder), ...trainableVariablesOf(this.head)];
  }

  /** DINO: the variables of the head's weight-normalised last layer (none without one). */
  lastLayerVariables(): tf.Variable[] {
    const last = this.head.layers.find((layer) => layer instanceof WeightNormLinear);
    return last ? last.trainableWeights.map((w) => w.read() as tf.Variable) : [];
  }

  async state(): Promise<MethodState> {
    return {
      ...(await modelState(`${this.opts.role}/encoder`, this.encoder)),
      ...(await modelState(`${this.opts.role}/head`, this.head)),
    };
  }

  load(state: MethodState): void {
    loadModelState(`${this.opts.role}/encoder`, this.encoder, state);
    loadModelState(`${this.opts.role}/head`, this.head, state);
  }

  dispose(): void {
    this.encoder.dispose();
    this.head.dispose();
  }
}

/**
 * Shape check shared by the methods: the number of views, and view i holding
 * rowsPerImage[i] (default 1) rows per image of `indices`. Returns the batch size B.
 */
export function checkBatch(
  method: string,
  views: tf.Tensor4D[],
  indices: Int32Array,
  expectedViews: number,
  rowsPerImage: number[] = [],
): number {
  if (views.length !== expectedViews)
    throw new RangeError(`${method}: expected ${expectedViews} views, got ${views.length}`);
  const batch = indices.length;
  if (batch < 2) throw new RangeError(`${method}: need a batch of at least 2 images, got ${batch}`);
  views.forEach((v, i) => {
    const rows = batch * (rowsPerImage[i] ?? 1);
    if (v.rank !== 4 || v.shape[0] !== rows) {
      throw new RangeError(
        `${method}: view ${i} must be [${rows}, H, W, C], got [${v.shape.join(', ')}]`,
      );
    }
  });
  return batch;
}
