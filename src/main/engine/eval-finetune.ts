/** `cwb eval finetune`: rebuild the run's method from its last checkpoint, fine-tune its encoder with a label fraction, score the validation split. */
import { WorkbenchError } from '../../shared/errors';
import { fineTuneAccuracy } from '../ssl/eval/finetune';
import type { EngineMethods, EngineResult, HandlerContext } from './protocol';
import { openRunModel } from './run-model';

export async function evalFinetune(req: EngineMethods['evalFinetune']['params'], ctx: HandlerContext<'evalFinetune'>): Promise<EngineResult<'evalFinetune'>> {
  const { report, cache, method, close } = await openRunModel(req.model);
  try {
    const result = await fineTuneAccuracy(
      method.encoder,
      { cache, train: req.data.train, val: req.data.val, numClasses: req.data.numClasses, imageSize: req.model.imageSize, labelFraction: req.labelFraction, epochs: req.epochs, seed: req.model.seed },
      ctx.signal,
    );
    if (result === null) {
      throw new WorkbenchError('INVALID_INPUT', 'fine-tuning needs labels and a validation split: import the dataset with class sub-folders (or --labels) and --val-fraction > 0');
    }
    return { ...result, backend: report.backend };
  } finally {
    await close();
  }
}
