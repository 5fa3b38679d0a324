/**
 * The same batch of views gives the same loss in both engines (1e-4): the tfjs method's weights
 * (encoder through the engine's own name mapping, head by layer) go into the generated project's
 * PyTorch method, and both compute the loss of one fixed pair of view batches with BatchNorm in
 * training mode.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../../src/main/compute/tf';
import { encoderPlan } from '../../../../src/main/export/pytorch/plan';
import { projectResourceDir } from '../../../../src/main/export/pytorch/project-files';
import { tfjsToTorchEncoder } from '../../../../src/main/export/pytorch/weights';
import { encodeSafetensors, type NamedTensor } from '../../../../src/main/export/safetensors';
import { loadMethodPreset } from '../../../../src/main/services/presets';
import { createMethod } from '../../../../src/main/ssl/methods/index';
import type { MethodConfig } from '../../../../src/shared/schemas/method';
import { tempDir } from '../../../helpers/temp';

const PYTHON = process.env['CWB_PYTHON'] ?? '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, numpy']).status === 0;
if (!hasTorch && process.env['CI'] === 'true') throw new Error(`${PYTHON} cannot import torch and numpy`);

let dir: string;
let cleanup: () => void;
beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  await initBackend('cpu');
});
afterAll(() => cleanup());

/** Head layers (head_dense1, head_bn1 …) → torch Sequential indices (Linear, [BatchNorm1d], [ReLU] per block). */
function headToTorch(state: Record<string, NamedTensor>, head: MethodConfig['head'], prefix: string): Record<string, NamedTensor> {
  const out: Record<string, NamedTensor> = {};
  let index = 0;
  head.forEach((block, b) => {
    const kernel = state[`${prefix}/head_dense${b + 1}/kernel`]!;
    const [fanIn, units] = kernel.shape as [number, number];
    const transposed = new Float32Array(kernel.data.length);
    for (let i = 0; i < fanIn; i++) for (let o = 0; o < units; o++) transposed[o * fanIn + i] = kernel.data[i * units + o]!;
    out[`head.${index}.weight`] = { shape: [units, fanIn], data: transposed };
    if (block.bias) out[`head.${index}.bias`] = state[`${prefix}/head_dense${b + 1}/bias`]!;
    index++;
    if (block.batchNorm) {
      const bn = (name: string): NamedTensor => state[`${prefix}/head_bn${b + 1}/${name}`]!;
      Object.assign(out, { [`head.${index}.weight`]: bn('gamma'), [`head.${index}.bias`]: bn('beta'), [`head.${index}.running_mean`]: bn('moving_mean'), [`head.${index}.running_var`]: bn('moving_variance') });
      index++;
    }
    if (block.activation === 'relu') index++;
  });
  return out;
}

const PY = String.raw`
import json, sys
sys.path.insert(0, sys.argv[1])
import torch
import workbench
from methods import create_method
plan = json.load(open(sys.argv[2]))
tensors = workbench.read_safetensors(sys.argv[3])
views = [tensors.pop("view0"), tensors.pop("view1")]
method = create_method(plan, views[0].shape[1], lambda m: m, 0, 8)
missing = method.network.load_state_dict(tensors, strict=False).missing_keys
assert all(k.endswith("num_batches_tracked") for k in missing), missing
print(json.dumps({"loss": float(method.loss(views, torch.arange(views[0].shape[0]), 0))}))
`;

describe.runIf(hasTorch)('same views, same loss in both engines', () => {
  it('simclr (NT-Xent through the small ResNet and the BatchNorm head), 1e-4', async () => {
    const config = loadMethodPreset('simclr');
    const n = 4;
    const size = 16;
    const method = createMethod('simclr', config, { imageSize: size, channels: 3, datasetSize: 8, seed: 5 });
    const pixel = (v: number, i: number): number => ((i * 7 + v * 31) % 97) / 96;
    const viewData = [0, 1].map((v) => Float32Array.from({ length: n * size * size * 3 }, (_, i) => pixel(v, i)));
    const views = viewData.map((d) => tf.tensor4d(d, [n, size, size, 3]));
    const loss = tf.tidy(() => method.loss({ views, indices: Int32Array.from([0, 1, 2, 3]) }));
    const tfjsLoss = (await loss.data())[0]!;
    const state = (await method.getState()) as Record<string, NamedTensor>;
    tf.dispose([loss, ...views]);
    method.dispose();

    const plan = encoderPlan(config);
    const encoder = Object.fromEntries(Object.entries(state).filter(([k]) => k.startsWith('online/encoder/')).map(([k, v]) => [k.slice('online/encoder/'.length), v]));
    const tensors: Record<string, NamedTensor> = {};
    for (const [k, v] of Object.entries(tfjsToTorchEncoder(encoder, plan))) tensors[`encoder.${k}`] = v;
    Object.assign(tensors, headToTorch(state, config.head, 'online/head'));
    // NHWC → NCHW views.
    viewData.forEach((d, v) => {
      const nchw = new Float32Array(d.length);
      for (let b = 0; b < n; b++) for (let h = 0; h < size; h++) for (let w = 0; w < size; w++) for (let c = 0; c < 3; c++) nchw[((b * 3 + c) * size + h) * size + w] = d[((b * size + h) * size + w) * 3 + c]!;
      tensors[`view${v}`] = { shape: [n, 3, size, size], data: nchw };
    });
    writeFileSync(join(dir, 'weights.safetensors'), encodeSafetensors(tensors));
    writeFileSync(join(dir, 'plan.json'), JSON.stringify({ method: config, encoder: plan, head: config.head }));
    const run = spawnSync(PYTHON, ['-c', PY, projectResourceDir(), join(dir, 'plan.json'), join(dir, 'weights.safetensors')], { encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    expect(run.status, run.stderr).toBe(0);
    const torchLoss = (JSON.parse(run.stdout.trim().split('\n').pop()!) as { loss: number }).loss;
    expect(Number.isFinite(tfjsLoss)).toBe(true);
    expect(Math.abs(torchLoss - tfjsLoss)).toBeLessThan(1e-4);

    // The check can fail: one stem kernel entry off by 0.05 moves the PyTorch loss beyond 1e-4.
    const stem = tensors['encoder.stem.0.weight']!;
    const nudged = Float32Array.from(stem.data);
    nudged[0] = nudged[0]! + 0.05;
    writeFileSync(join(dir, 'weights.safetensors'), encodeSafetensors({ ...tensors, 'encoder.stem.0.weight': { shape: stem.shape, data: nudged } }));
    const off = spawnSync(PYTHON, ['-c', PY, projectResourceDir(), join(dir, 'plan.json'), join(dir, 'weights.safetensors')], { encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    expect(off.status, off.stderr).toBe(0);
    expect(Math.abs((JSON.parse(off.stdout.trim().split('\n').pop()!) as { loss: number }).loss - tfjsLoss)).toBeGreaterThan(1e-4);
  }, 120_000);
});
