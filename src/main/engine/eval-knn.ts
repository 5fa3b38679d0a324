/** `cwb eval knn` / `cwb eval linear`: rebuild the run's method from its last checkpoint and score it on the validation split. */
import { WorkbenchError } from '../../shared/errors';
import { tf } from '../compute/tf';
import { knnAccuracy, linearProbeAccuracy } from '../ssl/eval/evaluate';
import type { HandlerContext } from './protocol';
import type { EngineResult } from './protocol';
import { openRunModel, type RunModel } from './run-model';
import type { EvalKnnRequest } from './train-types';

const NEEDS_LABELS = 'import the dataset with class sub-folders (or --labels) and --val-fraction > 0';

function openFor(req: Omit<EvalKnnRequest, 'k' | 'temperature'>): Promise<RunModel> {
  return openRunModel({
    method: req.method,
    imageSize: req.imageSize,
    seed: req.seed,
    cacheFile: req.data.cacheFile,
    datasetSize: req.data.train.length,
    ...(req.checkpoint ? { checkpoint: req.checkpoint } : {}),
    ...(req.backend ? { backend: req.backend } : {}),
  });
}

export async function evalKnn(req: EvalKnnRequest, ctx: HandlerContext): Promise<EngineResult<'evalKnn'>> {
  const { report, cache, method, close } = await openFor(req);
  try {
    const k = Math.min(req.k, req.data.train.filter((i) => i.label >= 0).length);
    // Raw pixels: each image flattened to one [H·W·C] vector (cosine kNN normalises it).
    const embed = req.rawPixels ? (images: tf.Tensor4D) => tf.reshape(images, [images.shape[0], -1]) as tf.Tensor2D : (images: tf.Tensor4D) => method.embed(images);
    const accuracy = await knnAccuracy(
      embed,
      { cache, train: req.data.train, val: req.data.val, numClasses: req.data.numClasses, imageSize: req.imageSize, k, temperature: req.temperature },
      ctx.signal,
    );
    if (accuracy === null) throw new WorkbenchError('INVALID_INPUT', `kNN needs labels and a validation split: ${NEEDS_LABELS}`);
    return { accuracy, k, backend: report.backend };
  } finally {
    await close();
  }
}

/** A logistic-regression probe on the frozen features of the run's encoder. */
export async function evalLinear(
  req: Omit<EvalKnnRequest, 'k' | 'temperature'> & { epochs: number },
  ctx: HandlerContext,
): Promise<EngineResult<'evalLinear'>> {
  const { report, cache, method, close } = await openFor(req);
  try {
    const result = await linearProbeAccuracy(
      (images) => method.embed(images),
      { cache, train: req.data.train, val: req.data.val, numClasses: req.data.numClasses, imageSize: req.imageSize, epochs: req.epochs, seed: req.seed },
      ctx.signal,
    );
    if (result === null) throw new WorkbenchError('INVALID_INPUT', `the linear probe needs labels and a validation split: ${NEEDS_LABELS}`);
    return { ...result, backend: report.backend };
  } finally {
    await close();
  }
}
