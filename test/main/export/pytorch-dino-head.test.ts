/**
 * DINO's last layer in the generated PyTorch project (models.WeightNormLinear, g fixed to 1) against
 * the workbench's tfjs layer on the same numbers: outputs and gradients (of x and of v) agree, the
 * parameter is `weight_v` [K, D] alone, and the EMA teacher's deep copy follows it.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../src/main/compute/tf';
import { projectResourceDir } from '../../../src/main/export/pytorch/project-files';
import { weightNormLinear } from '../../../src/main/ssl/heads/weight-norm-linear';
import { expectArrayClose } from '../ssl/tensor-assertions';

const PYTHON = '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
if (!hasTorch && process.env['CI'] === 'true') throw new Error(`${PYTHON} cannot import torch (Debian's python3-torch)`);

const x = [
  [0.3, -1.2, 0.8],
  [1.1, 0.4, -0.7],
];
const v = [
  [0.5, -0.2, 0.9, 0.1],
  [-0.3, 0.8, 0.2, 0.6],
  [0.4, 0.1, -0.5, 0.9],
];
const w = [
  [0.7, -1.1, 0.4, 0.9],
  [-0.5, 0.3, 1.2, -0.8],
];

interface TorchSide {
  y: number[][];
  dx: number[][];
  dv: number[][];
  parameters: Record<string, number[]>;
  trainable: boolean;
  copyIsSeparate: boolean;
  ema: number;
}

describe.runIf(hasTorch)('the PyTorch project’s DINO last layer', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('equals the tfjs layer in value and gradient; weight_v [K, D] is its one parameter; the EMA copy follows', () => {
    const script = fileURLToPath(new URL('./pytorch-dino-head-check.py', import.meta.url));
    const run = spawnSync(PYTHON, [script, projectResourceDir()], { input: JSON.stringify({ x, v, w }), encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const torch = JSON.parse(run.stdout) as TorchSide;
    const [tx, tv, tw] = [tf.tensor2d(x), tf.tensor2d(v), tf.tensor2d(w)];
    const loss = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => tf.sum(tf.mul(weightNormLinear(a as tf.Tensor2D, b as tf.Tensor2D), tw));
    const y = weightNormLinear(tx, tv);
    const [dx, dv] = tf.grads(loss)([tx, tv]);
    expectArrayClose(torch.y.flat(), y.dataSync(), 1e-5);
    expectArrayClose(torch.dx.flat(), dx!.dataSync(), 1e-5);
    expectArrayClose(torch.dv.flat(), dv!.dataSync(), 1e-5);
    expect(Math.max(...torch.dv.flat().map(Math.abs))).toBeGreaterThan(1e-3);
    expect(torch.parameters).toEqual({ weight_v: [4, 3] });
    expect(torch.trainable).toBe(true);
    expect(torch.copyIsSeparate).toBe(true);
    expect(torch.ema).toBeLessThan(1e-12);
    tf.dispose([tx, tv, tw, y, dx!, dv!]);
  });
});
