import { existsSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../../src/main/compute/tf';
import {
  inputKernelEverywhere,
  inputKernelStatus,
  inputSimdPays,
  nativeKernelPath,
} from '../../../../src/main/compute/kernels/native-kernels';
import { simclrLossesWith } from '../../../helpers/simclr-losses';
import { type ConvCase, explicitPad, maxAbsDiff, requireSimd, seeded, withEnv } from '../../../helpers/conv-kernel-cases';

const withKernel = <T>(kernel: string, fn: () => T): T => withEnv('CWB_WASM_INPUT_KERNEL', kernel, fn);

const cases: ConvCase[] = [
  { x: [2, 8, 8, 16], k: [3, 3], cout: 16, stride: [1, 1], pad: 'same', note: 'whole blocks of 8 channels' },
  { x: [2, 8, 8, 16], k: [3, 3], cout: 32, stride: [2, 2], pad: 'same', note: 'stride 2' },
  { x: [1, 9, 7, 13], k: [3, 3], cout: 5, stride: [2, 2], pad: 'same', note: 'batch 1, odd sizes, C = 8 + 4 + 1' },
  { x: [2, 7, 9, 4], k: [3, 3], cout: 6, stride: [1, 1], pad: 'valid', note: 'valid, one block of 4 channels' },
  { x: [1, 8, 8, 3], k: [3, 3], cout: 4, stride: [2, 2], pad: 'valid', note: 'valid, RGB-wide input (scalar channels), last row unread' },
  { x: [2, 7, 6, 12], k: [3, 2], cout: 7, stride: [1, 2], pad: explicitPad(2, 0, 1, 3), note: 'explicit uneven padding, non-square filter' },
  { x: [2, 8, 8, 24], k: [1, 1], cout: 20, stride: [2, 2], pad: 'same', note: '1×1 projection shortcut' },
  { x: [2, 9, 9, 8], k: [2, 2], cout: 3, stride: [3, 3], pad: 'valid', note: 'stride > kernel: pixels no tap reads' },
  { x: [1, 3, 11, 8], k: [3, 3], cout: 9, stride: [1, 1], pad: 'same', note: 'row of 11: blocks of 4, 4, 3' },
  { x: [1, 2, 2, 8], k: [5, 5], cout: 2, stride: [1, 1], pad: 'same', note: 'filter larger than the image' },
  { x: [2, 6, 10, 16], k: [7, 7], cout: 8, stride: [2, 2], pad: 'same', note: '7×7/2, even width' },
];

/** dx of one case on the active backend, through the Conv2DBackpropInput kernel itself. */
function inputGradient(c: ConvCase): Float32Array {
  return tf.tidy(() => {
    const filter = seeded([c.k[0], c.k[1], c.x[3], c.cout], 1) as tf.Tensor4D;
    const outShape = tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, filter, c.stride, c.pad).shape;
    const dy = seeded(outShape, 2);
    const dx = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, {
      strides: c.stride,
      pad: c.pad,
      dataFormat: 'NHWC',
      inputShape: c.x,
    }) as tf.Tensor;
    expect(dx.shape).toEqual(c.x);
    return dx.dataSync() as Float32Array;
  });
}

describe('wasm Conv2DBackpropInput as a WebAssembly SIMD kernel', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });
  afterEach(async () => {
    await tf.setBackend('wasm');
  });

  it.runIf(requireSimd)('is built and in use', () => {
    expect(existsSync(nativeKernelPath('conv2d-backprop-input', false))).toBe(true);
    withKernel('simd', () => inputGradient(cases[0]!));
    expect(inputKernelStatus()?.kernel).toBe('simd');
  });

  for (const c of cases) {
    it.runIf(requireSimd)(`equals the XNNPACK form and cpu: x=${c.x.join('×')} k=${c.k.join('×')} o=${c.cout} s=${c.stride.join(',')} (${c.note})`, async () => {
      const simd = withKernel('simd', () => inputGradient(c));
      expect(inputKernelStatus()?.kernel).toBe('simd');
      const xnnpack = withKernel('xnnpack', () => inputGradient(c));
      expect(inputKernelStatus()?.kernel).toBe('xnnpack');
      await tf.setBackend('cpu');
      const cpu = inputGradient(c);
      expect(simd.some((v) => v !== 0)).toBe(true);
      expect(maxAbsDiff(simd, cpu)).toBeLessThan(1e-4);
      expect(maxAbsDiff(simd, xnnpack)).toBeLessThan(1e-4);
    });
  }

  it.runIf(requireSimd)('gives the seeded SimCLR losses of the XNNPACK form over 8 steps (to 1e-4)', async () => {
    const simd = await simclrLossesWith('CWB_WASM_INPUT_KERNEL', 'simd');
    expect(inputKernelStatus()?.kernel).toBe('simd');
    const xnnpack = await simclrLossesWith('CWB_WASM_INPUT_KERNEL', 'xnnpack');
    expect(inputKernelStatus()?.kernel).toBe('xnnpack');
    expect(simd).toHaveLength(8);
    expect(simd.every(Number.isFinite)).toBe(true);
    for (let i = 0; i < 8; i++) expect(Math.abs(simd[i]! - xnnpack[i]!)).toBeLessThan(1e-4);
  });

  it.runIf(requireSimd)('writes every dx value (no stale heap contents) and nothing outside it, leaking nothing', () => {
    const c = cases[7]!; // stride 3 > kernel 2: some dx values get no contribution and must be 0
    const guard = tf.fill([4096], 7);
    withKernel('simd', () => inputGradient(c));
    const before = tf.memory().numTensors;
    const dataBefore = tf.engine().backend.numDataIds();
    // Dirty the heap, then compute again: the freed blocks are reused for dx.
    tf.dispose(tf.fill([2 * 9 * 9 * 8 + 64], Number.NaN));
    const dx = withKernel('simd', () => inputGradient(c));
    expect(dx.every(Number.isFinite)).toBe(true);
    expect(guard.dataSync().every((v) => v === 7)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.engine().backend.numDataIds()).toBe(dataBefore);
    guard.dispose();
  });

  it('falls back to the XNNPACK form when asked, or on a bad setting, saying why', () => {
    withKernel('xnnpack', () => inputGradient(cases[1]!));
    expect(inputKernelStatus()).toEqual({ kernel: 'xnnpack', reason: 'CWB_WASM_INPUT_KERNEL=xnnpack' });
    expect(withKernel('fast', () => inputGradient(cases[1]!)).length).toBe(2 * 8 * 8 * 16);
    expect(inputKernelStatus()).toEqual({ kernel: 'xnnpack', reason: 'CWB_WASM_INPUT_KERNEL must be "auto", "simd" or "xnnpack", got "fast"' });
  });

  it('by default runs SIMD where it was measured to win: strides > 1, layers of at most 32 channels', () => {
    expect(inputSimdPays({ c: 64, o: 128, sh: 2, sw: 2 })).toBe(true);
    expect(inputSimdPays({ c: 32, o: 16, sh: 1, sw: 1 })).toBe(true);
    expect(inputSimdPays({ c: 64, o: 64, sh: 1, sw: 1 })).toBe(false);
    expect(inputSimdPays({ c: 512, o: 512, sh: 1, sw: 1 })).toBe(false);
    expect(inputKernelEverywhere({})).toBe(false);
    expect(inputKernelEverywhere({ CWB_WASM_INPUT_KERNEL: 'simd' })).toBe(true);
  });
});
