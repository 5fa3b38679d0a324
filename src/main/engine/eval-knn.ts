/** `cwb eval knn` / `cwb eval linear`: rebuild the run's method from its last checkpoint and score it on the validation split. */
import { WorkbenchError } from '../../shared/errors';
import { tf } from '../compute/tf';
import { knnAccuracy, linearProbeAccuracy } from '../ssl/eval/evaluate';
import { flattenPixels } from '../ssl/eval/raw-pixels';
import type { EngineResult, EvalKnnRequest, EvalLinearRequest, HandlerContext } from './protocol';
import { openRunModel } from './run-model';

const NEEDS_LABELS = 'import the dataset with class sub-folders (or --labels) and --val-fraction > 0';

export async function evalKnn(req: EvalKnnRequest, ctx: HandlerContext<'evalKnn'>): Promise<EngineResult<'evalKnn'>> {
  const { report, cache, method, close } = await openRunModel(req.model);
  try {
    const k = Math.min(req.k, req.data.train.filter((i) => i.label >= 0).length);
    // Raw pixels: each image flattened to one [H·W·C] vector (cosine kNN normalises it).
    const embed = req.rawPixels ? flattenPixels : (images: tf.Tensor4D) => method.embed(images);
    const accuracy = await knnAccuracy(
      embed,
      { cache, train: req.data.train, val: req.data.val, numClasses: req.data.numClasses, imageSize: req.model.imageSize, k, temperature: req.temperature },
      ctx.signal,
    );
    if (accuracy === null) throw new WorkbenchError('INVALID_INPUT', `kNN needs labels and a validation split: ${NEEDS_LABELS}`);
    return { accuracy, k, backend: report.backend };
  } finally {
    await close();
  }
}

/** A logistic-regression probe on the frozen features of the run's encoder (or on its raw pixels). */
export async function evalLinear(req: EvalLinearRequest, ctx: HandlerContext<'evalLinear'>): Promise<EngineResult<'evalLinear'>> {
  const { report, cache, method, close } = await openRunModel(req.model);
  try {
    const result = await linearProbeAccuracy(
      req.rawPixels ? flattenPixels : (images) => method.embed(images),
      { cache, train: req.data.train, val: req.data.val, numClasses: req.data.numClasses, imageSize: req.model.imageSize, epochs: req.epochs, seed: req.model.seed },
      ctx.signal,
    );
    if (result === null) throw new WorkbenchError('INVALID_INPUT', `the linear probe needs labels and a validation split: ${NEEDS_LABELS}`);
    return { ...result, backend: report.backend };
  } finally {
    await close();
  }
}
