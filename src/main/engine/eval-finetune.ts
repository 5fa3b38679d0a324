/** `cwb eval finetune`: rebuild the run's method from its last checkpoint, fine-tune its encoder with a label fraction, score the validation split. */
import { WorkbenchError } from '../../shared/errors';
import type { tf } from '../compute/tf';
import { fineTuneAccuracy } from '../ssl/eval/finetune';
import { rawPixelEncoder } from '../ssl/eval/raw-pixels';
import type { EngineMethods, EngineResult, HandlerContext } from './protocol';
import { openRunModel } from './run-model';

export async function evalFinetune(req: EngineMethods['evalFinetune']['params'], ctx: HandlerContext<'evalFinetune'>): Promise<EngineResult<'evalFinetune'>> {
  const { report, cache, method, close } = await openRunModel(req.model);
  let pixels: tf.LayersModel | null = null;
  try {
    // Raw pixels: only the linear head learns, from the same labelled subset (logistic regression on pixels).
    if (req.rawPixels) pixels = rawPixelEncoder(req.model.imageSize, cache.channels);
    const result = await fineTuneAccuracy(
      pixels ?? method.encoder,
      { cache, train: req.data.train, val: req.data.val, numClasses: req.data.numClasses, imageSize: req.model.imageSize, labelFraction: req.labelFraction, epochs: req.epochs, seed: req.model.seed },
      ctx.signal,
    );
    if (result === null) {
      throw new WorkbenchError('INVALID_INPUT', 'fine-tuning needs labels and a validation split: import the dataset with class sub-folders (or --labels) and --val-fraction > 0');
    }
    return { ...result, backend: report.backend };
  } finally {
    pixels?.dispose();
    await close();
  }
}
