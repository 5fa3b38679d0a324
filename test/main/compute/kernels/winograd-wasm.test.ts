import { existsSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../../src/main/compute/tf';
import {
  convKernelSetting,
  nativeKernelPath,
  setWasmThreadCount,
  winogradKernelStatus,
} from '../../../../src/main/compute/kernels/native-kernels';
import {
  inputGradShape,
  tilesPerChunk,
  tilesPerChunkForGrad,
  winogradApplies,
} from '../../../../src/main/compute/kernels/winograd-wasm';
import { simclrLossesWith } from '../../../helpers/simclr-losses';
import { type ConvCase, explicitPad, maxAbsDiff, requireSimd, seeded, withEnv } from '../../../helpers/conv-kernel-cases';

const withKernel = <T>(kernel: string, fn: () => T): T => withEnv('CWB_WASM_CONV_KERNEL', kernel, fn);

/** 3×3 stride-1 layers of ≥ 32 channels (where Winograd runs), with the shapes' awkward corners. */
const cases: ConvCase[] = [
  { x: [2, 8, 8, 32], k: [3, 3], cout: 32, stride: [1, 1], pad: 'same', note: 'whole panels of 8 channels' },
  { x: [1, 7, 9, 33], k: [3, 3], cout: 37, stride: [1, 1], pad: 'same', note: 'odd image, C and O off every block' },
  { x: [2, 6, 5, 40], k: [3, 3], cout: 34, stride: [1, 1], pad: 'valid', note: 'valid: 4×3 outputs' },
  { x: [1, 5, 6, 32], k: [3, 3], cout: 36, stride: [1, 1], pad: explicitPad(2, 0, 0, 1), note: 'explicit uneven padding' },
  { x: [3, 2, 2, 64], k: [3, 3], cout: 48, stride: [1, 1], pad: 'same', note: 'a 2×2 image: one tile per image' },
  { x: [2, 3, 3, 35], k: [3, 3], cout: 32, stride: [1, 1], pad: explicitPad(1, 1, 2, 0), note: 'odd 3×3 outputs, padding only on the left' },
];

type Op = 'forward' | 'input' | 'filter';

/** One case's forward output, input gradient or filter gradient on the active backend, through the kernel itself. */
function run(c: ConvCase, op: Op): Float32Array {
  return tf.tidy(() => {
    const x = seeded(c.x, 1) as tf.Tensor4D;
    const filterShape: [number, number, number, number] = [c.k[0], c.k[1], c.x[3], c.cout];
    const filter = seeded(filterShape, 3) as tf.Tensor4D;
    const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', dilations: 1 };
    const y = tf.engine().runKernel('Conv2D', { x, filter }, attrs) as tf.Tensor;
    if (op === 'forward') return y.dataSync() as Float32Array;
    const dy = seeded(y.shape, 2);
    const out =
      op === 'input'
        ? (tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, { ...attrs, inputShape: c.x }) as tf.Tensor)
        : (tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape }) as tf.Tensor);
    expect(out.shape).toEqual(op === 'input' ? c.x : filterShape);
    return out.dataSync() as Float32Array;
  });
}

const maxAbs = (a: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
};

describe('3×3 stride-1 convolutions on wasm as Winograd F(2×2, 3×3)', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });
  afterEach(async () => {
    await tf.setBackend('wasm');
  });

  it.runIf(requireSimd)('is built (the test set-up builds it where clang is installed) and in use', () => {
    expect(existsSync(nativeKernelPath('winograd', false))).toBe(true);
    withKernel('winograd', () => run(cases[0]!, 'forward'));
    expect(winogradKernelStatus()?.kernel).toBe('winograd');
    expect(winogradKernelStatus()?.reason).toMatch(/Winograd F\(2×2, 3×3\)/);
  });

  for (const c of cases) {
    for (const op of ['forward', 'input', 'filter'] as const) {
      it.runIf(requireSimd)(`${op}: equals the direct kernels and cpu: x=${c.x.join('×')} o=${c.cout} (${c.note})`, async () => {
        const winograd = withKernel('winograd', () => run(c, op));
        expect(winogradKernelStatus()?.kernel).toBe('winograd');
        const direct = withKernel('xnnpack', () => run(c, op));
        expect(winogradKernelStatus()?.kernel).toBe('xnnpack');
        await tf.setBackend('cpu');
        const cpu = run(c, op);
        expect(winograd.some((v) => v !== 0)).toBe(true);
        // float32 rounding of the transforms only: relative to the largest value.
        const tolerance = 2e-6 * Math.max(1, maxAbs(cpu)) * (op === 'filter' ? 4 : 1);
        expect(maxAbsDiff(winograd, cpu)).toBeLessThan(tolerance);
        expect(maxAbsDiff(winograd, direct)).toBeLessThan(tolerance);
      });
    }
  }

  it.runIf(requireSimd)('FusedConv2D (what tf.layers run at inference): bias and ReLU or linear, equal to the direct kernel and cpu', async () => {
    const fusedRun = (activation: 'relu' | 'linear' | 'elu', withBias: boolean) =>
      tf.tidy(() => {
        const x = seeded([2, 6, 7, 32], 4) as tf.Tensor4D;
        const filter = seeded([3, 3, 32, 40], 5) as tf.Tensor4D;
        const bias = withBias ? (seeded([40], 6) as tf.Tensor1D) : undefined;
        return tf.fused.conv2d({ x, filter, strides: 1, pad: 'same', ...(bias ? { bias } : {}), activation }).dataSync() as Float32Array;
      });
    for (const [activation, withBias] of [['relu', true], ['linear', true], ['linear', false], ['elu', true]] as const) {
      const winograd = withKernel('winograd', () => fusedRun(activation, withBias));
      const direct = withKernel('xnnpack', () => fusedRun(activation, withBias));
      await tf.setBackend('cpu');
      const cpu = fusedRun(activation, withBias);
      await tf.setBackend('wasm');
      if (activation === 'relu') expect(winograd.some((v) => v === 0) && winograd.some((v) => v > 0)).toBe(true);
      expect(maxAbsDiff(winograd, cpu)).toBeLessThan(2e-6 * Math.max(1, maxAbs(cpu)));
      expect(maxAbsDiff(winograd, direct)).toBeLessThan(2e-6 * Math.max(1, maxAbs(cpu)));
    }
  });

  it.runIf(requireSimd)('is about as close to float64 as the direct kernels (forward and filter gradient, long sums)', () => {
    const [B, H, W, C, O] = [4, 16, 16, 32, 32];
    const x = seeded([B, H, W, C], 21);
    const w = seeded([3, 3, C, O], 23);
    const dy = seeded([B, H, W, O], 22);
    const xs = x.dataSync();
    const ws = w.dataSync();
    const ds = dy.dataSync();
    const exactY = new Float64Array(B * H * W * O);
    const exactW = new Float64Array(9 * C * O);
    for (let b = 0; b < B; b++)
      for (let i = 0; i < H; i++)
        for (let j = 0; j < W; j++)
          for (let p = 0; p < 3; p++)
            for (let q = 0; q < 3; q++) {
              const hh = i + p - 1;
              const ww = j + q - 1;
              if (hh < 0 || hh >= H || ww < 0 || ww >= W) continue;
              const xo = ((b * H + hh) * W + ww) * C;
              const yo = ((b * H + i) * W + j) * O;
              const to = (p * 3 + q) * C * O;
              for (let c = 0; c < C; c++)
                for (let o = 0; o < O; o++) {
                  exactY[yo + o]! += xs[xo + c]! * ws[to + c * O + o]!;
                  exactW[to + c * O + o]! += xs[xo + c]! * ds[yo + o]!;
                }
            }
    const values = (kernel: string, op: 'forward' | 'filter') =>
      withKernel(kernel, () => {
        const t =
          op === 'forward'
            ? (tf.engine().runKernel('Conv2D', { x, filter: w }, { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1 }) as tf.Tensor)
            : (tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, C, O] }) as tf.Tensor);
        const out = t.dataSync() as Float32Array;
        t.dispose();
        return out;
      });
    const error = (a: Float32Array, exact: Float64Array) => exact.reduce((worst, v, i) => Math.max(worst, Math.abs(a[i]! - v)), 0);
    for (const [op, exact] of [['forward', exactY], ['filter', exactW]] as const) {
      const winograd = error(values('winograd', op), exact);
      const direct = error(values('xnnpack', op), exact);
      expect(winograd).toBeLessThan(1e-5 * maxAbs(exact) + 1e-5);
      expect(winograd).toBeLessThan(4 * direct + 1e-5);
    }
    tf.dispose([x, w, dy]);
  });

  // Two steps to 1e-4 (the first is the forward alone, the second follows one update from every
  // gradient); later steps drift apart chaotically, as float32 rounding does between any two exact
  // kernels: measured wasm/XNNPACK against cpu on this model 2.3e-5, 9e-4, 1.5e-3, 4.3e-3 at steps 2–5
  // (Winograd against XNNPACK 6.6e-5, 4.2e-3, 2.1e-2, 1.0e-2: the same growth from a 3× larger start), so 3–6 get 5e-2.
  it.runIf(requireSimd)('gives the seeded SimCLR losses of the direct kernels (steps 1–2 to 1e-4), on an encoder of 32–128 channels', async () => {
    const wide = { encoder: { name: 'small', widthMultiplier: 2, batchNormMomentum: 0.9 } };
    const losses = (kernel: string) => simclrLossesWith('CWB_WASM_CONV_KERNEL', kernel, 6, wide);
    const winograd = await losses('winograd');
    expect(winogradKernelStatus()?.kernel).toBe('winograd');
    const direct = await losses('xnnpack');
    expect(winogradKernelStatus()?.kernel).toBe('xnnpack');
    expect(winograd).toHaveLength(6);
    expect(winograd.every(Number.isFinite)).toBe(true);
    for (let i = 0; i < 2; i++) expect(Math.abs(winograd[i]! - direct[i]!)).toBeLessThan(1e-4);
    for (let i = 2; i < 6; i++) expect(Math.abs(winograd[i]! - direct[i]!)).toBeLessThan(5e-2);
  });

  it.runIf(requireSimd)('writes nothing outside its output and leaks no tensor or backend buffer', () => {
    const guard = tf.fill([4096], 7);
    for (const op of ['forward', 'input', 'filter'] as const) withKernel('winograd', () => run(cases[1]!, op));
    const before = tf.memory().numTensors;
    const dataBefore = tf.engine().backend.numDataIds();
    // Dirty the heap, then compute again: freed blocks are reused for outputs and scratch.
    tf.dispose(tf.fill([64 * 1024], Number.NaN));
    for (const op of ['forward', 'input', 'filter'] as const) {
      const out = withKernel('winograd', () => run(cases[1]!, op));
      expect(out.every(Number.isFinite)).toBe(true);
    }
    expect(guard.dataSync().every((v) => v === 7)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.engine().backend.numDataIds()).toBe(dataBefore);
    guard.dispose();
  });

  it.runIf(requireSimd)('by default (auto) leaves the layers to XNNPACK above 2 threads, saying why; winograd forces it', () => {
    try {
      setWasmThreadCount(4);
      withKernel('auto', () => run(cases[0]!, 'forward'));
      expect(winogradKernelStatus()?.kernel).toBe('xnnpack');
      expect(winogradKernelStatus()?.reason).toMatch(/XNNPACK runs 4 threads/);
      withKernel('winograd', () => run(cases[0]!, 'forward'));
      expect(winogradKernelStatus()?.kernel).toBe('winograd');
      setWasmThreadCount(2);
      withKernel('auto', () => run(cases[0]!, 'forward'));
      expect(winogradKernelStatus()?.kernel).toBe('winograd');
    } finally {
      setWasmThreadCount(1);
    }
  });

  it('runs only on 3×3 stride-1 layers of at least 32 channels on both sides', () => {
    const layer = { b: 2, h: 8, w: 8, c: 64, oh: 8, ow: 8, o: 64, kh: 3, kw: 3, sh: 1, sw: 1, top: 1, left: 1 };
    expect(winogradApplies(layer)).toBe(true);
    expect(winogradApplies({ ...layer, c: 16 })).toBe(false);
    expect(winogradApplies({ ...layer, o: 16 })).toBe(false);
    expect(winogradApplies({ ...layer, sh: 2, sw: 2, oh: 4, ow: 4 })).toBe(false);
    expect(winogradApplies({ ...layer, kh: 1, kw: 1 })).toBe(false);
    expect(winogradApplies({ ...layer, oh: 1 })).toBe(false);
    expect(inputGradShape(layer)).toEqual({ b: 2, h: 8, w: 8, c: 64, oh: 8, ow: 8, o: 64, top: 1, left: 1 });
    expect(inputGradShape({ ...layer, c: 32, top: 0, left: 0, oh: 6, ow: 6 })).toMatchObject({ h: 6, w: 6, c: 64, oh: 8, ow: 8, o: 32, top: 2, left: 2 });
    expect(tilesPerChunk(64, 1e6)).toBe(1024);
    expect(tilesPerChunk(512, 1e6)).toBe(128);
    expect(tilesPerChunk(64, 10)).toBe(10);
    expect(tilesPerChunkForGrad(128, 1e6)).toBe(256);
    expect(tilesPerChunkForGrad(1024, 1e6)).toBe(64);
  });

  it('falls back to the direct kernels when asked, or on a bad setting, saying why', () => {
    withKernel('xnnpack', () => run(cases[0]!, 'forward'));
    expect(winogradKernelStatus()).toEqual({ kernel: 'xnnpack', reason: 'CWB_WASM_CONV_KERNEL=xnnpack' });
    expect(withKernel('fast', () => run(cases[0]!, 'forward')).length).toBe(2 * 8 * 8 * 32);
    expect(winogradKernelStatus()).toEqual({ kernel: 'xnnpack', reason: 'CWB_WASM_CONV_KERNEL must be "auto", "winograd" or "xnnpack", got "fast"' });
    expect(convKernelSetting({})).toBe('auto');
    expect(() => convKernelSetting({ CWB_WASM_CONV_KERNEL: 'fast' })).toThrow(/must be "auto", "winograd" or "xnnpack"/);
  });
});
