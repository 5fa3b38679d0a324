/**
 * Warnings before a wasted run (issue 17 §1): one pure check of a resolved experiment against the
 * facts of its dataset. Each entry names the field to change; none of them stops the run.
 */
import type { AugmentSpec } from '../../shared/schemas/augment';
import type { Experiment } from '../../shared/schemas/experiment';
import type { ExperimentWarning } from '../../shared/schemas/experiment-warnings';
import type { MethodConfig } from '../../shared/schemas/method';
import { teacherTempAt } from '../ssl/schedules/teacher-temperature';

export interface DatasetFacts {
  /** Images in the dataset (both splits). */
  numImages: number;
  /** Images in the training split: what an epoch iterates over and a bank / queue can hold. */
  trainImages: number;
  channels: number;
  /** Side of the dataset's cached images in pixels. */
  imageSize: number;
}

export interface ResolvedForWarnings {
  experiment: Experiment;
  method: MethodConfig;
  augment: AugmentSpec;
  /** The image size training will use (the experiment's, else the dataset's). */
  imageSize: number;
}

/** Training steps of the whole run, as the trainer counts them (full batches only, capped per epoch). */
export function totalSteps(experiment: Experiment, trainImages: number): number {
  const perEpoch = Math.min(Math.floor(trainImages / experiment.batchSize), experiment.maxStepsPerEpoch ?? Number.POSITIVE_INFINITY);
  return perEpoch * experiment.epochs;
}

/** Image size ratio beyond which upscaling blurs / downscaling throws detail away. */
const FAR_IMAGE_SIZE = 2;

function colourOpsOn(spec: AugmentSpec): string[] {
  const found = new Set<string>();
  for (const group of spec.views) {
    for (const op of group.ops) {
      if (op.op !== 'color-jitter') continue;
      if (op.hue > 0) found.add('hue');
      if (op.saturation > 0) found.add('saturation');
    }
  }
  return [...found];
}

/**
 * Everything about `resolved` that will make the run learn little or nothing on `dataset`, as
 * `{ field, message }` (field paths as validation issues name them). An experiment that trains 0
 * epochs (a random-init baseline) gets no training warnings.
 */
export function experimentWarnings(resolved: ResolvedForWarnings, dataset: DatasetFacts): ExperimentWarning[] {
  const { experiment, method, augment, imageSize } = resolved;
  const out: ExperimentWarning[] = [];
  const add = (field: string, message: string): void => void out.push({ field, message });
  const train = dataset.trainImages;
  const batch = experiment.batchSize;

  if (method.method === 'moco') {
    if (method.queueSize < batch) {
      add('methodOverrides.queueSize', `the MoCo queue (${method.queueSize} keys) is smaller than one batch (${batch}): each step's keys push out the previous ones before they serve as negatives; use at least ${batch}`);
    } else if (method.queueSize > train) {
      add('methodOverrides.queueSize', `the MoCo queue (${method.queueSize} keys) is larger than the training split (${train} images): it holds several stale keys of the same image, which act as false negatives; use at most ${train}`);
    }
  }
  if ((method.method === 'memory-bank' || method.method === 'pirl') && method.negatives >= train) {
    add('methodOverrides.negatives', `${method.negatives} negatives per step is not fewer than the training split (${train} images): every image's own bank entry is drawn as a negative; use fewer than ${train}`);
  }
  if (method.method === 'swav') {
    const steps = totalSteps(experiment, train);
    if (experiment.epochs > 0 && method.freezePrototypesSteps >= steps) {
      add('methodOverrides.freezePrototypesSteps', `prototypes stay frozen for ${method.freezePrototypesSteps} steps but the run has only ${steps}: they never learn and the codes stay uniform (entropy ln ${method.prototypes}); use fewer than ${steps}`);
    }
    if (method.prototypes > train) {
      add('methodOverrides.prototypes', `${method.prototypes} prototypes for ${train} training images: most clusters stay empty; use at most ${train}`);
    }
  }
  if (method.method === 'dino' && experiment.epochs > 0) {
    const { epochs } = experiment;
    if (method.freezeLastLayer >= epochs) {
      add('methodOverrides.freezeLastLayer', `the last layer stays frozen for ${method.freezeLastLayer} epoch(s) but the run has only ${epochs}: its output directions never learn; use fewer than ${epochs}, or 0`);
    }
    if (method.warmupTeacherTempEpochs > epochs) {
      const last = teacherTempAt(epochs - 1, method);
      add('methodOverrides.warmupTeacherTempEpochs', `the teacher temperature warms up over ${method.warmupTeacherTempEpochs} epochs but the run has only ${epochs}: τt ends at ${Number(last.toPrecision(4))}, never reaching teacherTemp ${method.teacherTemp}; use at most ${epochs}`);
    }
  }
  if (dataset.channels === 1) {
    const ops = colourOpsOn(augment);
    if (ops.length > 0) {
      add('augment', `${ops.join(' and ')} jitter does nothing on single-channel (grey) images; choose the grayscale-safe preset`);
    }
  }
  if (experiment.epochs > 0 && train > 0 && batch <= dataset.numImages && 2 * batch > train) {
    const steps = Math.floor(train / batch);
    add('batchSize', steps === 0
      ? `batch size ${batch} is larger than the training split (${train} images): an epoch has no full batch, nothing trains`
      : `batch size ${batch} is close to the training split (${train} images): ${steps} step per epoch and ${train - steps * batch} images left out of every epoch; use at most ${Math.floor(train / 2)}`);
  }
  const ratio = imageSize / dataset.imageSize;
  if (ratio >= FAR_IMAGE_SIZE || ratio <= 1 / FAR_IMAGE_SIZE) {
    const pixels = (Math.max(ratio, 1 / ratio) ** 2).toFixed(0);
    add('imageSize', ratio > 1
      ? `image size ${imageSize} px is far above the dataset's ${dataset.imageSize} px: upscaling adds no detail and costs ${pixels}× the pixels per view`
      : `image size ${imageSize} px is far below the dataset's ${dataset.imageSize} px: ${pixels}× fewer pixels per view throws detail away`);
  }
  return out;
}
