import { existsSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../../src/main/compute/tf';
import {
  filterKernelSetting,
  filterKernelStatus,
  loadNativeKernel,
  backendMemory,
  nativeKernelPath,
} from '../../../../src/main/compute/kernels/native-kernels';
import { simclrLossesWith } from '../../../helpers/simclr-losses';
import { type ConvCase, explicitPad, maxAbsDiff, requireSimd, seeded, withEnv } from '../../../helpers/conv-kernel-cases';

const withKernel = <T>(kernel: string, fn: () => T): T => withEnv('CWB_WASM_FILTER_KERNEL', kernel, fn);

const cases: ConvCase[] = [
  { x: [2, 8, 8, 3], k: [3, 3], cout: 16, stride: [1, 1], pad: 'same', note: 'RGB stem, 3×3' },
  { x: [2, 12, 12, 3], k: [7, 7], cout: 8, stride: [2, 2], pad: 'same', note: 'ImageNet stem 7×7/2' },
  { x: [1, 9, 7, 5], k: [3, 3], cout: 13, stride: [2, 2], pad: 'same', note: 'batch 1, odd sizes, C and O off the block' },
  { x: [2, 8, 8, 16], k: [3, 3], cout: 32, stride: [1, 1], pad: 'same', note: 'whole blocks' },
  { x: [2, 8, 8, 16], k: [3, 3], cout: 32, stride: [2, 2], pad: 'same', note: 'stride 2' },
  { x: [1, 8, 8, 2], k: [3, 3], cout: 2, stride: [2, 2], pad: 'valid', note: 'valid, last row/column unread, O < 4' },
  { x: [2, 9, 9, 6], k: [3, 3], cout: 12, stride: [1, 1], pad: 'valid', note: 'valid, O = 8 + 4' },
  { x: [2, 7, 6, 4], k: [3, 2], cout: 7, stride: [1, 2], pad: explicitPad(2, 0, 1, 3), note: 'explicit uneven padding, non-square filter' },
  { x: [2, 8, 8, 9], k: [1, 1], cout: 20, stride: [2, 2], pad: 'same', note: '1×1 projection shortcut' },
  { x: [2, 9, 9, 2], k: [2, 2], cout: 3, stride: [3, 3], pad: 'valid', note: 'stride > kernel' },
  { x: [1, 3, 70, 4], k: [3, 3], cout: 8, stride: [1, 1], pad: 'same', note: 'rows wider than a chunk' },
  { x: [3, 4, 4, 12], k: [3, 3], cout: 9, stride: [1, 1], pad: 'same', note: 'many short rows per chunk' },
  { x: [1, 2, 2, 1], k: [5, 5], cout: 1, stride: [1, 1], pad: 'same', note: 'filter larger than the image' },
];

/** dW of one case on the active backend, through the Conv2DBackpropFilter kernel itself. */
function filterGradient(c: ConvCase): Float32Array {
  return tf.tidy(() => {
    const x = seeded(c.x, 1) as tf.Tensor4D;
    const filterShape: [number, number, number, number] = [c.k[0], c.k[1], c.x[3], c.cout];
    const outShape = tf.conv2d(x, tf.zeros(filterShape) as tf.Tensor4D, c.stride, c.pad).shape;
    const dy = seeded(outShape, 2);
    const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
      strides: c.stride,
      pad: c.pad,
      dataFormat: 'NHWC',
      filterShape,
    }) as tf.Tensor;
    expect(dw.shape).toEqual(filterShape);
    return dw.dataSync() as Float32Array;
  });
}

describe('wasm Conv2DBackpropFilter as a WebAssembly SIMD kernel', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });
  afterEach(async () => {
    await tf.setBackend('wasm');
  });

  it.runIf(requireSimd)('is built (the test set-up builds it where clang is installed) and in use', () => {
    expect(existsSync(nativeKernelPath('conv2d-backprop-filter', false))).toBe(true);
    withKernel('simd', () => filterGradient(cases[0]!));
    expect(filterKernelStatus()?.kernel).toBe('simd');
    expect(filterKernelStatus()?.reason).toMatch(/WebAssembly SIMD/);
  });

  for (const c of cases) {
    it.runIf(requireSimd)(`equals the XNNPACK form and cpu: x=${c.x.join('×')} k=${c.k.join('×')} o=${c.cout} s=${c.stride.join(',')} (${c.note})`, async () => {
      const simd = withKernel('simd', () => filterGradient(c));
      expect(filterKernelStatus()?.kernel).toBe('simd');
      const xnnpack = withKernel('xnnpack', () => filterGradient(c));
      expect(filterKernelStatus()?.kernel).toBe('xnnpack');
      await tf.setBackend('cpu');
      const cpu = filterGradient(c);
      expect(simd.some((v) => v !== 0)).toBe(true);
      expect(maxAbsDiff(simd, cpu)).toBeLessThan(1e-4);
      expect(maxAbsDiff(simd, xnnpack)).toBeLessThan(1e-4);
    });
  }

  it.runIf(requireSimd)('gives the seeded SimCLR losses of the XNNPACK form over 8 steps (to 1e-4)', async () => {
    const losses = (kernel: 'simd' | 'xnnpack') => simclrLossesWith('CWB_WASM_FILTER_KERNEL', kernel);
    const simd = await losses('simd');
    expect(filterKernelStatus()?.kernel).toBe('simd');
    const xnnpack = await losses('xnnpack');
    expect(filterKernelStatus()?.kernel).toBe('xnnpack');
    expect(simd).toHaveLength(8);
    expect(simd.every(Number.isFinite)).toBe(true);
    for (let i = 0; i < 8; i++) expect(Math.abs(simd[i]! - xnnpack[i]!)).toBeLessThan(1e-4);
  });

  it.runIf(requireSimd)('is as close to a float64 sum as the XNNPACK form (long sums, K = 4096)', () => {
    const [B, H, W, C, O] = [4, 32, 32, 8, 12];
    const x = seeded([B, H, W, C], 21);
    const dy = seeded([B, H, W, O], 22);
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, C, O] };
    const run = (kernel: 'simd' | 'xnnpack') =>
      withKernel(kernel, () => {
        const t = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs) as tf.Tensor;
        const values = t.dataSync() as Float32Array;
        t.dispose();
        return values;
      });
    const simd = run('simd');
    const xnnpack = run('xnnpack');
    const xs = x.dataSync();
    const ds = dy.dataSync();
    const exact = new Float64Array(9 * C * O);
    for (let b = 0; b < B; b++)
      for (let i = 0; i < H; i++)
        for (let j = 0; j < W; j++)
          for (let p = 0; p < 3; p++)
            for (let q = 0; q < 3; q++) {
              const hh = i + p - 1;
              const ww = j + q - 1;
              if (hh < 0 || hh >= H || ww < 0 || ww >= W) continue;
              const xo = ((b * H + hh) * W + ww) * C;
              const dyo = ((b * H + i) * W + j) * O;
              const to = (p * 3 + q) * C * O;
              for (let c = 0; c < C; c++)
                for (let o = 0; o < O; o++) exact[to + c * O + o]! += xs[xo + c]! * ds[dyo + o]!;
            }
    const error = (a: Float32Array) => exact.reduce((worst, v, i) => Math.max(worst, Math.abs(a[i]! - v)), 0);
    expect(error(simd)).toBeLessThan(1e-3);
    expect(error(simd)).toBeLessThan(2 * error(xnnpack) + 1e-5);
    tf.dispose([x, dy]);
  });

  it.runIf(requireSimd)('writes nothing outside dW (neighbouring tensors keep their values)', () => {
    const guard = tf.fill([4096], 7);
    const c = cases[2]!;
    const dw = withKernel('simd', () => filterGradient(c));
    expect(dw.every(Number.isFinite)).toBe(true);
    expect(guard.dataSync().every((v) => v === 7)).toBe(true);
    guard.dispose();
  });

  it.runIf(requireSimd)('leaks no tensor or backend buffer', () => {
    withKernel('simd', () => filterGradient(cases[1]!));
    const before = tf.memory().numTensors;
    const dataBefore = tf.engine().backend.numDataIds();
    withKernel('simd', () => {
      for (let i = 0; i < 3; i++) filterGradient(cases[1]!);
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.engine().backend.numDataIds()).toBe(dataBefore);
  });

  it('falls back to the XNNPACK form, saying why, when asked or when a module is missing', () => {
    withKernel('xnnpack', () => filterGradient(cases[0]!));
    expect(filterKernelStatus()).toEqual({ kernel: 'xnnpack', reason: 'CWB_WASM_FILTER_KERNEL=xnnpack' });
    const memory = backendMemory(tf.backend());
    expect(memory?.buffer.byteLength).toBeGreaterThan(0);
    const missing = loadNativeKernel('no-such-kernel', memory!);
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.reason).toMatch(/no-such-kernel(\.shared)?\.wasm is missing/);
  });

  it('rejects an unknown CWB_WASM_FILTER_KERNEL with a clear error, and the step still runs', () => {
    expect(() => filterKernelSetting({ CWB_WASM_FILTER_KERNEL: 'fast' })).toThrow(/must be "simd" or "xnnpack", got "fast"/);
    const before = process.env['CWB_WASM_FILTER_KERNEL'];
    process.env['CWB_WASM_FILTER_KERNEL'] = 'fast';
    try {
      expect(filterGradient(cases[0]!).length).toBe(3 * 3 * 3 * 16);
      expect(filterKernelStatus()?.kernel).toBe('xnnpack');
      expect(filterKernelStatus()?.reason).toMatch(/got "fast"/);
    } finally {
      if (before === undefined) delete process.env['CWB_WASM_FILTER_KERNEL'];
      else process.env['CWB_WASM_FILTER_KERNEL'] = before;
    }
  });
});
