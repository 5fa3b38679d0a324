/**
 * DINO's per-epoch schedules in the generated PyTorch project (issue 19), beside the tfjs engine's
 * (test/main/ssl/dino-schedules.test.ts): losses.dino_teacher_temp gives the hand values and the
 * workbench's teacherTempAt, and equals the reference main_dino.py's numpy schedule; with
 * freezeLastLayer 1 the Dino method, trained as train.py does, leaves its last layer untouched in
 * epoch 0 — not moved, no optimiser state (so no momentum and no weight decay either) — for every
 * optimiser of optim.py, and trains it in epoch 1.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { encoderPlan } from '../../../src/main/export/pytorch/plan';
import { projectResourceDir } from '../../../src/main/export/pytorch/project-files';
import { loadMethodPreset } from '../../../src/main/services/presets';
import { teacherTempAt } from '../../../src/main/ssl/schedules/teacher-temperature';
import type { OptimizerConfig } from '../../../src/shared/schemas/experiment';
import { mergeMethodConfig } from '../../../src/shared/schemas/method';
import { TEACHER_TEMP_CASES } from '../ssl/schedules/teacher-temperature-cases';

const PYTHON = process.env['CWB_PYTHON'] ?? '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, numpy']).status === 0;
if (!hasTorch && process.env['CI'] === 'true')
  throw new Error(`${PYTHON} cannot import torch and numpy`);

const OPTIMIZERS: OptimizerConfig[] = [
  { name: 'adamw', learningRate: 0.01, weightDecay: 0.1 },
  { name: 'adam', learningRate: 0.01, weightDecay: 0.1 },
  { name: 'sgd', learningRate: 0.1, momentum: 0.9, weightDecay: 0.1 },
  { name: 'lars', learningRate: 0.1, momentum: 0.9, weightDecay: 0.1, trustCoefficient: 0.01 },
];

interface Phase {
  lastLayerMoved?: boolean;
  lastLayerChange?: number;
  lastLayerInOptimizerState: boolean;
  kernelChange?: number;
  teacherTemp: number;
}
interface TorchSide {
  temps: number[];
  reference: number[];
  runs: { optimizer: string; epoch0: Phase; epoch1: Phase }[];
}

describe.runIf(hasTorch)('the PyTorch project’s DINO schedules', () => {
  it('teacher temperature and last-layer freeze as in the reference and the tfjs engine', () => {
    const method = mergeMethodConfig(loadMethodPreset('dino'), {
      encoder: { name: 'small', widthMultiplier: 0.25, batchNormMomentum: 0.9 },
      head: [
        { units: 16, batchNorm: false, activation: 'relu', bias: true },
        { units: 16, batchNorm: false, activation: 'linear', bias: true },
      ],
      outputDim: 32,
      smallCrops: 0,
      freezeLastLayer: 1,
      teacherTemp: 0.07,
      warmupTeacherTemp: 0.04,
      warmupTeacherTempEpochs: 4,
    });
    const plan = { method, encoder: encoderPlan(method), head: method.head, imageSize: 16 };
    const temps = TEACHER_TEMP_CASES.map(([epoch, teacherTemp, warmup, epochs]) => [
      epoch,
      teacherTemp,
      warmup,
      epochs,
    ]);
    const script = fileURLToPath(new URL('./pytorch-dino-schedules-check.py', import.meta.url));
    const run = spawnSync(PYTHON, [script, projectResourceDir()], {
      input: JSON.stringify({ temps, plan, optimizers: OPTIMIZERS }),
      encoding: 'utf8',
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    });
    expect(run.status, run.stderr).toBe(0);
    const torch = JSON.parse(run.stdout) as TorchSide;

    TEACHER_TEMP_CASES.forEach(
      ([epoch, teacherTemp, warmupTeacherTemp, warmupTeacherTempEpochs, expected], i) => {
        const tfjs = teacherTempAt(epoch, {
          teacherTemp,
          warmupTeacherTemp,
          warmupTeacherTempEpochs,
        });
        expect(torch.temps[i], `case ${i}`).toBeCloseTo(expected, 12);
        expect(torch.reference[i], `case ${i}: the reference schedule`).toBeCloseTo(expected, 12);
        expect(Math.abs(torch.temps[i]! - tfjs), `case ${i}: PyTorch vs tfjs`).toBeLessThanOrEqual(
          1e-15,
        );
      },
    );

    expect(torch.runs.map((r) => r.optimizer)).toEqual(OPTIMIZERS.map((o) => o.name));
    for (const { optimizer, epoch0, epoch1 } of torch.runs) {
      expect(epoch0.lastLayerMoved, optimizer).toBe(false);
      expect(epoch0.lastLayerInOptimizerState, optimizer).toBe(false);
      expect(epoch0.kernelChange!, optimizer).toBeGreaterThan(1e-6);
      expect(epoch0.teacherTemp).toBe(0.04);
      expect(epoch1.lastLayerChange!, optimizer).toBeGreaterThan(1e-6);
      expect(epoch1.lastLayerInOptimizerState, optimizer).toBe(true);
      expect(epoch1.teacherTemp).toBeCloseTo(0.05, 12);
    }
  }, 120_000);
});
