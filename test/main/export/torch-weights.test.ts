/**
 * Encoder weight names and layouts between the tfjs ResNets and the generated project's
 * models.ResNet: every tfjs weight maps to a key of the PyTorch state dict (basic and bottleneck
 * blocks, projection shortcuts) and back, shapes follow the layout rules, and safetensors files
 * round-trip byte for byte and refuse what they cannot read.
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/main/compute/tf';
import { encoderPlan } from '../../../src/main/export/pytorch/plan';
import { projectResourceDir } from '../../../src/main/export/pytorch/project-files';
import { tfjsToTorchEncoder, tfjsWeightName, torchToTfjsEncoder, torchWeightName } from '../../../src/main/export/pytorch/weights';
import { decodeSafetensors, encodeSafetensors } from '../../../src/main/export/safetensors';
import { buildEncoder } from '../../../src/main/ssl/encoders/index';
import type { EncoderName, MethodConfig } from '../../../src/shared/schemas/method';

const PYTHON = process.env['CWB_PYTHON'] ?? '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch']).status === 0;

beforeAll(async () => {
  await initBackend('cpu');
});

function config(name: EncoderName): MethodConfig {
  return { method: 'simclr', encoder: { name, widthMultiplier: 0.125, batchNormMomentum: 0.9 }, head: [], temperature: 0.5 } as unknown as MethodConfig;
}

describe('tfjs ↔ PyTorch encoder weights', () => {
  it.each(['small', 'resnet18', 'resnet50'] as const)('%s: every tfjs weight has a PyTorch key and back; kernels transpose', async (name) => {
    const plan = encoderPlan(config(name));
    const model = buildEncoder({ name, inputShape: [32, 32, 3], widthMultiplier: 0.125, batchNormMomentum: 0.9, seed: 1, modelName: 'encoder' });
    const tfjs: Record<string, { shape: number[]; data: Float32Array }> = {};
    for (const w of model.weights) tfjs[w.originalName] = { shape: [...w.shape] as number[], data: Float32Array.from(await w.read().data()) };
    model.dispose();
    for (const n of Object.keys(tfjs)) expect(tfjsWeightName(torchWeightName(n, plan), plan)).toBe(n);
    const torch = tfjsToTorchEncoder(tfjs, plan);
    const back = torchToTfjsEncoder(torch, plan);
    for (const [n, t] of Object.entries(tfjs)) {
      expect(back[n]!.shape).toEqual(t.shape);
      expect(Array.from(back[n]!.data)).toEqual(Array.from(t.data));
    }
    const [kh, kw, cin, cout] = tfjs['stem_conv/kernel']!.shape as [number, number, number, number];
    expect(torch['stem.0.weight']!.shape).toEqual([cout, cin, kh, kw]);
    expect(torch['stem.0.weight']!.data[1]).toBe(tfjs['stem_conv/kernel']!.data[cin * cout]); // [o=0,i=0,h=0,w=1] ← [h=0,w=1,i=0,o=0]
    if (hasTorch) {
      // The same key set and shapes as the project's models.ResNet builds.
      const py = `import json,sys; sys.path.insert(0, sys.argv[1]); from models import ResNet
m = ResNet(json.loads(sys.argv[2]), 3)
print(json.dumps({k: list(v.shape) for k, v in m.state_dict().items() if v.is_floating_point()}))`;
      const run = spawnSync(PYTHON, ['-c', py, projectResourceDir(), JSON.stringify(plan)], { encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
      expect(run.status, run.stderr).toBe(0);
      const keys = JSON.parse(run.stdout) as Record<string, number[]>;
      expect(Object.keys(torch).sort()).toEqual(Object.keys(keys).sort());
      for (const [k, shape] of Object.entries(keys)) expect(torch[k]!.shape, k).toEqual(shape);
    }
  }, 120_000);

  it('unknown names are refused', () => {
    const plan = encoderPlan(config('small'));
    expect(() => tfjsWeightName('blocks.9.conv1.weight', plan)).toThrow('does not belong to this encoder');
    expect(() => torchWeightName('stage9_block1_conv1/kernel', plan)).toThrow('does not belong to this encoder');
    expect(tfjsWeightName('stem.1.num_batches_tracked', plan)).toBeNull();
  });
});

describe('safetensors', () => {
  it('round-trips float32 tensors and metadata; refuses truncation and other dtypes', () => {
    const buf = encodeSafetensors({ a: { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, -6.5]) }, b: { shape: [], data: Float32Array.of(7) } }, { step: '3' });
    expect(buf.readBigUInt64LE(0) % 8n).toBe(0n);
    const back = decodeSafetensors(buf);
    expect(back.metadata).toEqual({ step: '3' });
    expect(back.tensors['a']).toEqual({ shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, -6.5]) });
    expect(Array.from(back.tensors['b']!.data)).toEqual([7]);
    expect(() => decodeSafetensors(buf.subarray(0, buf.length - 4), 'x.safetensors')).toThrow(/x.safetensors is not a safetensors file: . lies outside the file/);
    const header = Buffer.from(JSON.stringify({ i: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }));
    const other = Buffer.concat([Buffer.alloc(8), header, Buffer.alloc(8)]);
    other.writeBigUInt64LE(BigInt(header.length), 0);
    expect(() => decodeSafetensors(other)).toThrow('dtype I64');
  });
});
