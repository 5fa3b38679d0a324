/**
 * The same batch of views gives the same loss in both engines, for every method (1e-4, relative
 * beyond a loss of 1): the whole tfjs method state — encoder, heads, predictor, momentum copies
 * (BYOL's target = the online network at step 0, MoCo's key encoder, DINO's teacher), SwAV's
 * prototypes, MoCo's queue, the memory bank, DINO's centre (set off zero here), PIRL's jigsaw head,
 * the autoencoder's decoder — goes into the generated project's PyTorch method
 * (src/main/export/pytorch/method-weights.ts → workbench.assign_method_tensors), and both compute
 * the loss of one fixed batch of views with BatchNorm in training mode. The draws each engine makes
 * with its own generator are handed over: the pair methods' negative shift and the bank methods'
 * negative rows are drawn with the workbench's SeededRng as the tfjs method does, and given to the
 * PyTorch method. The autoencoder runs without corruption (its noise and masks are random draws).
 * DINO is checked in the middle of a teacher-temperature warm-up (0.02 → 0.06 over 3 epochs): both
 * engines are told epoch 1, τt = 0.04 (the preset's τt, at which the stem nudge below shows).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../../src/main/compute/tf';
import { encoderPlan } from '../../../../src/main/export/pytorch/plan';
import { projectResourceDir } from '../../../../src/main/export/pytorch/project-files';
import { tfjsToTorchMethod } from '../../../../src/main/export/pytorch/method-weights';
import { encodeSafetensors, type NamedTensor } from '../../../../src/main/export/safetensors';
import { SeededRng } from '../../../../src/main/random/index';
import { loadMethodPreset } from '../../../../src/main/services/presets';
import { createMethod } from '../../../../src/main/ssl/methods/index';
import { mergeMethodConfig, type MethodConfig } from '../../../../src/shared/schemas/method';
import { tempDir } from '../../../helpers/temp';

const PYTHON = process.env['CWB_PYTHON'] ?? '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, numpy']).status === 0;
if (!hasTorch && process.env['CI'] === 'true') throw new Error(`${PYTHON} cannot import torch and numpy`);
const SCRIPT = join(__dirname, 'pytorch-same-loss.py');

let dir: string;
let cleanup: () => void;
beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  await initBackend('cpu');
});
afterAll(() => cleanup());

const N = 4;
const SIZE = 16;
const SMALL = 8;
const SEED = 5;
const DATASET = 8;
type Name = MethodConfig['method'];

const OVERRIDES: Partial<Record<Name, Record<string, unknown>>> = {
  moco: { queueSize: 16 },
  swav: { queueSize: 0, smallCrops: 2, prototypes: 6 },
  dino: { smallCrops: 2, teacherTemp: 0.06, warmupTeacherTemp: 0.02, warmupTeacherTempEpochs: 3 },
  autoencoder: { corruption: 'none' },
  triplet: { mining: 'random' },
};

/** The epoch each engine's method is told before the loss (DINO: τt = 0.04, mid-warm-up). */
const EPOCH: Partial<Record<Name, number>> = { dino: 1 };

/** [count, side] of each view the method takes. */
function viewShapes(config: MethodConfig): [number, number][] {
  switch (config.method) {
    case 'memory-bank':
    case 'autoencoder':
      return [[N, SIZE]];
    case 'pirl':
      return [[N, SIZE], [N * config.jigsaw.grid * config.jigsaw.grid, SMALL]];
    case 'swav':
    case 'dino':
      return [...Array.from({ length: config.largeCrops }, (): [number, number] => [N, SIZE]), ...Array.from({ length: config.smallCrops }, (): [number, number] => [N, SMALL])];
    default:
      return [[N, SIZE], [N, SIZE]];
  }
}

/** What the tfjs method draws with its own SeededRng in its first loss, for the PyTorch side. */
function draws(config: MethodConfig): Record<string, unknown> {
  if (config.method === 'triplet' || config.method === 'margin-contrastive') return { shift: 1 + new SeededRng(SEED + 2).int(N - 1) };
  if (config.method === 'memory-bank' || config.method === 'pirl') {
    const rng = new SeededRng(SEED + (config.method === 'memory-bank' ? 3 : 4));
    return { picks: Array.from({ length: Math.min(config.negatives, DATASET) }, () => rng.int(DATASET)) };
  }
  return {};
}

function nchw(data: Float32Array, count: number, side: number): NamedTensor {
  const out = new Float32Array(data.length);
  for (let b = 0; b < count; b++) for (let h = 0; h < side; h++) for (let w = 0; w < side; w++) for (let c = 0; c < 3; c++) out[((b * 3 + c) * side + h) * side + w] = data[((b * side + h) * side + w) * 3 + c]!;
  return { shape: [count, 3, side, side], data: out };
}

function torchLoss(tensors: Record<string, NamedTensor>, plan: object, name: string): number {
  writeFileSync(join(dir, `${name}.safetensors`), encodeSafetensors(tensors));
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(plan));
  const run = spawnSync(PYTHON, [SCRIPT, projectResourceDir(), join(dir, `${name}.json`), join(dir, `${name}.safetensors`)], { encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  expect(run.status, run.stderr).toBe(0);
  return (JSON.parse(run.stdout.trim().split('\n').pop()!) as { loss: number }).loss;
}

const METHODS: Name[] = ['simclr', 'memory-bank', 'moco', 'swav', 'pirl', 'triplet', 'margin-contrastive', 'byol', 'simsiam', 'barlow-twins', 'vicreg', 'dino', 'autoencoder'];

describe.runIf(hasTorch)('same views, same loss in both engines', () => {
  it.each(METHODS)('%s: the whole method state into PyTorch, the same loss (1e-4)', async (name) => {
    const config = mergeMethodConfig(loadMethodPreset(name), OVERRIDES[name] ?? {});
    const method = createMethod(name, config, { imageSize: SIZE, channels: 3, datasetSize: DATASET, seed: SEED });
    try {
      const initial = (await method.getState()) as Record<string, NamedTensor>;
      // A centre off zero, so that its use is checked too.
      if (config.method === 'dino') method.setState({ ...initial, center: { shape: initial['center']!.shape, data: initial['center']!.data.map((_, i) => 0.05 * Math.sin(i)) } });
      // Decoder kernels 4× their initial size: at initialisation its output is near zero and the loss barely depends on it.
      if (config.method === 'autoencoder') method.setState(Object.fromEntries(Object.entries(initial).map(([k, t]) => [k, k.startsWith('decoder/') && k.endsWith('/kernel') ? { shape: t.shape, data: t.data.map((x) => 4 * x) } : t])));
      const shapes = viewShapes(config);
      const viewData = shapes.map(([count, side], v) => Float32Array.from({ length: count * side * side * 3 }, (_, i) => ((i * 7 + v * 31) % 97) / 96));
      const views = viewData.map((d, v) => tf.tensor4d(d, [shapes[v]![0], shapes[v]![1], shapes[v]![1], 3]));
      const state = (await method.getState()) as Record<string, NamedTensor>;
      const epoch = EPOCH[name] ?? 0;
      method.beginEpoch?.(epoch);
      const loss = tf.tidy(() => method.loss({ views, indices: Int32Array.from([0, 1, 2, 3]) }));
      const tfjsLoss = (await loss.data())[0]!;
      tf.dispose([loss, ...views]);
      expect(Number.isFinite(tfjsLoss)).toBe(true);

      const tensors = tfjsToTorchMethod(state, config);
      viewData.forEach((d, v) => (tensors[`view${v}`] = nchw(d, shapes[v]![0], shapes[v]![1])));
      const plan = { method: config, encoder: encoderPlan(config), head: config.head, imageSize: SIZE, check: { views: shapes.length, datasetSize: DATASET, epoch, ...draws(config) } };
      const torch = torchLoss(tensors, plan, name);
      const tolerance = 1e-4 * Math.max(1, Math.abs(tfjsLoss));
      expect(Math.abs(torch - tfjsLoss), `tfjs ${tfjsLoss}, PyTorch ${torch}`).toBeLessThan(tolerance);

      // The check can fail: the trained network's stem kernel scaled by 1 ± 0.5 per entry moves the PyTorch loss.
      const stemKey = Object.keys(tensors).find((k) => k.endsWith('encoder.stem.0.weight'))!;
      const stem = tensors[stemKey]!;
      const nudged = stem.data.map((x, i) => x * (1 + 0.5 * Math.sin(i)));
      const off = torchLoss({ ...tensors, [stemKey]: { shape: stem.shape, data: nudged } }, plan, `${name}-off`);
      expect(Math.abs(off - tfjsLoss)).toBeGreaterThan(tolerance);
    } finally {
      method.dispose();
    }
  }, 120_000);
});
