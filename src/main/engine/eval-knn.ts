/** `cwb eval knn`: rebuild the run's method, load its last checkpoint, score kNN on the validation split. */
import { TensorCache } from '../data/cache';
import { createMethod } from '../ssl/methods/index';
import { WorkbenchError } from '../../shared/errors';
import { knnAccuracy, linearProbeAccuracy } from './evaluate';
import type { EngineResult } from './protocol';
import { loadCheckpointInto } from './run-state';
import type { HandlerContext } from './handlers';
import type { EvalKnnRequest } from './train-types';
import { initBackend } from './tf';

export async function evalKnn(req: EvalKnnRequest, ctx: HandlerContext): Promise<EngineResult<'evalKnn'>> {
  const report = await initBackend(req.backend);
  const cache = await TensorCache.open(req.data.cacheFile);
  const method = createMethod(req.method.method, req.method, {
    imageSize: req.imageSize,
    channels: cache.channels,
    datasetSize: Math.max(1, req.data.train.length),
    seed: req.seed,
  });
  try {
    if (req.checkpoint) await loadCheckpointInto(req.checkpoint, method);
    const labelled = req.data.train.filter((i) => i.label >= 0).length;
    const k = Math.min(req.k, labelled);
    const accuracy = await knnAccuracy(
      (images) => method.embed(images),
      { cache, train: req.data.train, val: req.data.val, numClasses: req.data.numClasses, imageSize: req.imageSize, k, temperature: req.temperature },
      ctx.signal,
    );
    if (accuracy === null) {
      throw new WorkbenchError('INVALID_INPUT', 'kNN needs labels and a validation split: import the dataset with class sub-folders (or --labels) and --val-fraction > 0');
    }
    return { accuracy, k, backend: report.backend };
  } finally {
    method.dispose();
    await cache.close();
  }
}

/** `cwb eval linear`: a logistic-regression probe on the frozen features of the run's encoder. */
export async function evalLinear(
  req: Omit<EvalKnnRequest, 'k' | 'temperature'> & { epochs: number },
  ctx: HandlerContext,
): Promise<EngineResult<'evalLinear'>> {
  const report = await initBackend(req.backend);
  const cache = await TensorCache.open(req.data.cacheFile);
  const method = createMethod(req.method.method, req.method, {
    imageSize: req.imageSize,
    channels: cache.channels,
    datasetSize: Math.max(1, req.data.train.length),
    seed: req.seed,
  });
  try {
    if (req.checkpoint) await loadCheckpointInto(req.checkpoint, method);
    const result = await linearProbeAccuracy(
      (images) => method.embed(images),
      { cache, train: req.data.train, val: req.data.val, numClasses: req.data.numClasses, imageSize: req.imageSize, epochs: req.epochs, seed: req.seed },
      ctx.signal,
    );
    if (result === null) {
      throw new WorkbenchError('INVALID_INPUT', 'the linear probe needs labels and a validation split: import the dataset with class sub-folders (or --labels) and --val-fraction > 0');
    }
    return { ...result, backend: report.backend };
  } finally {
    method.dispose();
    await cache.close();
  }
}
