/**
 * DINO's teacher-temperature warm-up as a pure function of the epoch (no tensors): Caron et al. 2021,
 * https://arxiv.org/abs/2104.14294 (Sec. 3.1 and appendix: τt linearly 0.04 → 0.07 over the first 30
 * epochs), exactly the reference `DINOLoss.teacher_temp_schedule`:
 * `concat(linspace(warmup, τt, W), ones(…) · τt)[epoch]`.
 *
 * So with W ≥ 2 warm-up epochs τt(e) = warmup + (τt − warmup)·e/(W − 1) for e < W — it reaches τt
 * at epoch W − 1, not W — with W = 1 epoch 0 uses `warmup`, and from epoch W on it is τt. The value
 * is constant within an epoch, as in the reference (the trainer tells the method the epoch).
 * Example: warmup 0.04, τt 0.07, W = 4 → 0.04, 0.05, 0.06, 0.07, 0.07, …
 * The generated PyTorch project has the same function (resources/pytorch-project/losses.py,
 * `dino_teacher_temp`).
 */

export interface TeacherTemperatureSchedule {
  /** τt after the warm-up. */
  teacherTemp: number;
  /** τt at epoch 0. */
  warmupTeacherTemp: number;
  /** W, the warm-up length in epochs; 0 = no warm-up. */
  warmupTeacherTempEpochs: number;
}

/** τt of the 0-based `epoch`. */
export function teacherTempAt(epoch: number, schedule: TeacherTemperatureSchedule): number {
  const { teacherTemp, warmupTeacherTemp, warmupTeacherTempEpochs: w } = schedule;
  if (!Number.isInteger(epoch) || epoch < 0)
    throw new RangeError(`teacherTempAt: epoch must be an integer ≥ 0, got ${epoch}`);
  if (epoch >= w) return teacherTemp;
  if (w === 1) return warmupTeacherTemp;
  // numpy's linspace: start + i·step, its last entry set to the end point exactly.
  if (epoch === w - 1) return teacherTemp;
  return epoch * ((teacherTemp - warmupTeacherTemp) / (w - 1)) + warmupTeacherTemp;
}
