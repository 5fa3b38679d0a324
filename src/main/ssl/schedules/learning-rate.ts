/**
 * Learning-rate schedules as pure functions of progress (no tensors).
 *
 * Cosine with linear warm-up follows SGDR (Loshchilov & Hutter 2016, arXiv:1608.03983) as used by
 * SimCLR: lr(t) = base · (f + (1 − f) · ½(1 + cos(π · t'))) after warm-up, t' the post-warm-up progress,
 * f the floor fraction. Step decay multiplies by γ at each milestone epoch.
 */
import type { ScheduleConfig } from '../../../shared/schemas/experiment';

/**
 * @param epoch fractional epoch of the step about to run, in [0, totalEpochs)
 * @returns the learning rate for that step
 */
export function learningRateAt(schedule: ScheduleConfig, baseLearningRate: number, epoch: number, totalEpochs: number): number {
  if (!(baseLearningRate > 0)) throw new RangeError(`learning rate must be > 0, got ${baseLearningRate}`);
  switch (schedule.kind) {
    case 'constant':
      return baseLearningRate;
    case 'step': {
      const passed = schedule.milestones.filter((m) => epoch >= m).length;
      return baseLearningRate * schedule.gamma ** passed;
    }
    case 'cosine': {
      const warmup = Math.min(schedule.warmupEpochs, totalEpochs);
      // Linear warm-up from ~0; the floor keeps the very first step's rate positive.
      if (epoch < warmup) return baseLearningRate * Math.max(epoch / warmup, 1e-3);
      const span = Math.max(totalEpochs - warmup, Number.EPSILON);
      const t = Math.min(1, Math.max(0, (epoch - warmup) / span));
      const f = schedule.minLearningRateFraction;
      return baseLearningRate * (f + (1 - f) * 0.5 * (1 + Math.cos(Math.PI * t)));
    }
  }
}
