/**
 * Hand-computed τt of DINO's teacher-temperature warm-up, shared by the tfjs test
 * (teacher-temperature.test.ts) and the PyTorch one (test/main/export/pytorch-dino-schedules.test.ts).
 * [epoch, teacherTemp, warmupTeacherTemp, warmupTeacherTempEpochs, τt].
 */
export const TEACHER_TEMP_CASES: [number, number, number, number, number][] = [
  // No warm-up: τt from the start.
  [0, 0.07, 0.04, 0, 0.07],
  [5, 0.07, 0.04, 0, 0.07],
  // W = 4: linspace(0.04, 0.07, 4) = 0.04, 0.05, 0.06, 0.07, then 0.07.
  [0, 0.07, 0.04, 4, 0.04],
  [1, 0.07, 0.04, 4, 0.05],
  [2, 0.07, 0.04, 4, 0.06],
  [3, 0.07, 0.04, 4, 0.07],
  [4, 0.07, 0.04, 4, 0.07],
  // W = 1: linspace(a, b, 1) = [a], so epoch 0 still uses the warm-up value.
  [0, 0.07, 0.04, 1, 0.04],
  [1, 0.07, 0.04, 1, 0.07],
  // W = 2: the end point at epoch 1.
  [1, 0.07, 0.04, 2, 0.07],
  // The paper: 0.04 → 0.07 over 30 epochs; epoch 15 = 0.04 + 0.03·15/29.
  [0, 0.07, 0.04, 30, 0.04],
  [15, 0.07, 0.04, 30, 0.04 + (0.03 * 15) / 29],
  [29, 0.07, 0.04, 30, 0.07],
  [100, 0.07, 0.04, 30, 0.07],
  // A warm-up may also cool: 0.1 → 0.04 over 3 epochs.
  [1, 0.04, 0.1, 3, 0.07],
  [2, 0.04, 0.1, 3, 0.04],
];
