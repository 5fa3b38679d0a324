/**
 * Apply an ordered op list to a batch — THE code path of both training and previews.
 *
 * images: [N, H, W, C] float32 in [0, 1], C ∈ {1, 3}. Every image draws its parameters from its own
 * stream `deriveSeed(seed, stream, imageKey)`; all parameters are drawn first (plain JSON, returned
 * in `ops`), then each op transforms the whole batch in one `tf.tidy`. The output is
 * [N, size.height, size.width, C]; it stays in [0, 1] unless the list ends with `normalize`.
 * When the list has no random-resized-crop and the view size differs, the batch is first resized
 * (recorded as a `resize` step). The caller owns `images` (never disposed here), `result.images`
 * and, with `recordSteps`, every tensor of `result.steps` (one per entry of `ops`).
 */
import { tf } from '../compute/tf';
import {
  parsePipelineSpec,
  type OpName,
  type PipelineSpec,
  type PipelineSpecInput,
} from '../../shared/schemas/augment';
import type { ImageShape, OpContext, OpParams } from './op';
import { opFor } from './registry';
import { createRng, deriveSeed, type Rng } from '../random/index';
import { toCropAndResizeBox } from './crop-boxes';

export interface PipelineOptions {
  /** Seed of this step (training derives one per step from the run seed). */
  seed: number;
  /** View index: two views of one image use different streams. Default 0. */
  stream?: number;
  /** Per-image keys (dataset indices); default 0..N−1. Same key + seed ⇒ same parameters. */
  imageKeys?: ArrayLike<number>;
  /** Output view size in pixels; default the input size. */
  size?: { height: number; width: number };
  /** Dataset statistics for a `normalize` op without its own mean/std. */
  stats?: { mean: readonly number[]; std: readonly number[] };
  /** Keep the image after every op in `steps` (previews). */
  recordSteps?: boolean;
}

export interface OpRecord {
  op: OpName | 'resize';
  /** Per-image sampled parameters, index-aligned with the batch. */
  params: OpParams[];
}

export interface PipelineResult {
  images: tf.Tensor4D;
  ops: OpRecord[];
  steps?: tf.Tensor4D[];
}

/** Throws a clear error unless `images` is a [N, H, W, 1|3] float32 batch with H, W ≥ 2. */
export function assertImageBatch(images: tf.Tensor): asserts images is tf.Tensor4D {
  const [n, h, w, c] = images.shape;
  if (images.rank !== 4 || images.dtype !== 'float32') {
    throw new Error(
      `augment: expected a float32 batch [N, H, W, C], got ${images.dtype} [${images.shape.join(', ')}]`,
    );
  }
  if (!n || (h ?? 0) < 2 || (w ?? 0) < 2 || (c !== 1 && c !== 3)) {
    throw new Error(
      `augment: images must be N ≥ 1, H and W ≥ 2, C = 1 or 3 (got [${images.shape.join(', ')}])`,
    );
  }
}

/** One seeded stream per image. */
export function imageStreams(n: number, options: PipelineOptions): Rng[] {
  return Array.from({ length: n }, (_, i) =>
    createRng(deriveSeed(options.seed, options.stream ?? 0, options.imageKeys?.[i] ?? i)),
  );
}

function resizeAll(images: tf.Tensor4D, size: { height: number; width: number }): tf.Tensor4D {
  const [n, h, w] = images.shape;
  const box = toCropAndResizeBox(
    { top: 0, left: 0, height: h, width: w },
    h,
    w,
    size.height,
    size.width,
  );
  const boxes = tf.tensor2d(Array.from({ length: n }, () => box).flat(), [n, 4]);
  return tf.image.cropAndResize(
    images,
    boxes,
    tf.range(0, n, 1, 'int32') as tf.Tensor1D,
    [size.height, size.width],
    'bilinear',
  );
}

export function applyPipeline(
  images: tf.Tensor4D,
  ops: PipelineSpecInput | PipelineSpec,
  options: PipelineOptions,
): PipelineResult {
  assertImageBatch(images);
  const spec = parsePipelineSpec(ops);
  const [n, h, w, channels] = images.shape;
  const size = options.size ?? { height: h, width: w };
  const rngs = imageStreams(n, options);

  type Stage = { record: OpRecord; run: (x: tf.Tensor4D) => tf.Tensor4D };
  const stages: Stage[] = [];
  let shape: ImageShape = { height: h, width: w, channels };
  const cropsFirst = spec.some((o) => o.op === 'random-resized-crop');
  if (!cropsFirst && (size.height !== h || size.width !== w)) {
    const params = Array.from({ length: n }, () => ({
      applied: true,
      height: size.height,
      width: size.width,
    }));
    stages.push({ record: { op: 'resize', params }, run: (x) => resizeAll(x, size) });
    shape = { ...shape, ...size };
  }
  for (const opSpec of spec) {
    const op = opFor(opSpec);
    const context: OpContext = {
      input: shape,
      output: size,
      ...(options.stats ? { stats: options.stats } : {}),
    };
    const params = rngs.map((rng) => op.sample(rng, opSpec, context));
    stages.push({
      record: { op: opSpec.op, params },
      run: (x) => op.apply(x, params, opSpec, context),
    });
    if (op.resizes) shape = { ...shape, ...size };
  }

  const steps: tf.Tensor4D[] = [];
  let current = images;
  for (const stage of stages) {
    let next = tf.tidy(() => stage.run(current));
    if (next === current) next = current.clone();
    if (options.recordSteps) steps.push(next);
    else if (current !== images) current.dispose();
    current = next;
  }
  const result = current === images ? images.clone() : current;
  return {
    images: result,
    ops: stages.map((s) => s.record),
    ...(options.recordSteps ? { steps } : {}),
  };
}
