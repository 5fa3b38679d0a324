import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../../src/main/compute/tf';
import { filterKernelStatus, inputKernelStatus } from '../../../../src/main/compute/kernels/native-kernels';

type Pad = 'same' | 'valid';
interface Case {
  x: [number, number, number, number];
  k: number;
  cout: number;
  stride: number;
  pad: Pad;
}

const cases: Case[] = [
  { x: [2, 8, 8, 3], k: 3, cout: 4, stride: 1, pad: 'same' },
  { x: [2, 8, 8, 3], k: 3, cout: 4, stride: 2, pad: 'same' },
  { x: [2, 9, 7, 2], k: 3, cout: 3, stride: 2, pad: 'same' },
  { x: [1, 8, 8, 2], k: 3, cout: 2, stride: 2, pad: 'valid' }, // last row/column never read
  { x: [3, 10, 10, 3], k: 7, cout: 4, stride: 2, pad: 'same' }, // ImageNet stem
  { x: [2, 8, 8, 4], k: 1, cout: 6, stride: 2, pad: 'same' }, // projection shortcut
  { x: [1, 5, 5, 1], k: 3, cout: 1, stride: 1, pad: 'valid' }, // size-1 axes: transposes are no-ops
  { x: [2, 9, 9, 2], k: 2, cout: 3, stride: 3, pad: 'valid' }, // stride > kernel: gaps in dx
  { x: [1, 6, 10, 2], k: 5, cout: 2, stride: 2, pad: 'same' }, // non-square, even sizes
  { x: [2, 6, 6, 20], k: 3, cout: 5, stride: 1, pad: 'same' }, // taps stacked 2 at a time, 1 left over
  { x: [2, 7, 7, 48], k: 3, cout: 3, stride: 2, pad: 'same' }, // one tap per product
  { x: [2, 8, 8, 20], k: 3, cout: 6, stride: 2, pad: 'same' }, // dx in sub-pixel form, as the small ResNet
  { x: [1, 4, 4, 40], k: 3, cout: 36, stride: 1, pad: 'same' }, // filter rotation: channel blocks of 32 on both axes
];

function seeded(shape: number[], seed: number): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, 'float32', seed);
}

/** Input and filter gradients of sum(conv(x, w) · dy) computed on `backend`, as plain numbers. */
async function gradients(
  backend: string,
  c: Case,
): Promise<{ dx: Float32Array; dw: Float32Array }> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const x = seeded(c.x, 1) as tf.Tensor4D;
    const w = seeded([c.k, c.k, c.x[3], c.cout], 2) as tf.Tensor4D;
    const outShape = tf.conv2d(x, w, c.stride, c.pad).shape;
    const dy = seeded(outShape, 3) as tf.Tensor4D;
    const [dx, dw] = tf.grads((input: tf.Tensor, filter: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(input as tf.Tensor4D, filter as tf.Tensor4D, c.stride, c.pad), dy)),
    )([x, w]);
    return { dx: dx!.dataSync() as Float32Array, dw: dw!.dataSync() as Float32Array };
  });
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return worst;
}

// This file tests the XNNPACK forms (the fallbacks); conv2d-backprop-{filter,input}-simd.test.ts test
// the WebAssembly SIMD kernels against them and cpu.
const saved = { filter: process.env['CWB_WASM_FILTER_KERNEL'], input: process.env['CWB_WASM_INPUT_KERNEL'] };

describe('wasm conv gradients, XNNPACK forms (Conv2DBackpropFilter added, Conv2DBackpropInput replaced)', () => {
  beforeAll(async () => {
    process.env['CWB_WASM_FILTER_KERNEL'] = 'xnnpack';
    process.env['CWB_WASM_INPUT_KERNEL'] = 'xnnpack';
    await initBackend('wasm');
  });
  afterAll(() => {
    for (const [key, value] of [['CWB_WASM_FILTER_KERNEL', saved.filter], ['CWB_WASM_INPUT_KERNEL', saved.input]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('runs the XNNPACK forms here', () => {
    const x = seeded([1, 4, 4, 2], 1) as tf.Tensor4D;
    const w = seeded([3, 3, 2, 2], 2) as tf.Tensor4D;
    tf.dispose(tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')))([x, w]));
    expect(filterKernelStatus()?.kernel).toBe('xnnpack');
    expect(inputKernelStatus()?.kernel).toBe('xnnpack');
    tf.dispose([x, w]);
  });

  it('is registered on wasm only', () => {
    for (const name of ['Conv2DBackpropFilter', 'Conv2DBackpropInput']) {
      expect(tf.getKernel(name, 'wasm')).toBeDefined();
      expect(tf.getKernel(name, 'cpu')?.kernelFunc).not.toBe(
        tf.getKernel(name, 'wasm')?.kernelFunc,
      );
    }
  });

  for (const c of cases) {
    it(`matches cpu for x=${c.x.join('×')} k=${c.k} stride=${c.stride} ${c.pad}`, async () => {
      const onWasm = await gradients('wasm', c);
      const onCpu = await gradients('cpu', c);
      await tf.setBackend('wasm');
      expect(onWasm.dw.some((v) => v !== 0)).toBe(true);
      expect(maxAbsDiff(onWasm.dw, onCpu.dw)).toBeLessThan(1e-4);
      expect(maxAbsDiff(onWasm.dx, onCpu.dx)).toBeLessThan(1e-4);
    });
  }

  it('gives the gradient of fused conv2d (bias + relu), as tfjs-layers uses', async () => {
    const run = async (backend: string): Promise<Float32Array[]> => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const x = seeded([2, 6, 6, 3], 4) as tf.Tensor4D;
        const w = seeded([3, 3, 3, 5], 5) as tf.Tensor4D;
        const b = seeded([5], 6) as tf.Tensor1D;
        const grads = tf.grads((input: tf.Tensor, filter: tf.Tensor, bias: tf.Tensor) =>
          tf.sum(
            tf.square(
              tf.fused.conv2d({
                x: input as tf.Tensor4D,
                filter: filter as tf.Tensor4D,
                bias,
                strides: 2,
                pad: 'same',
                activation: 'relu',
              }),
            ),
          ),
        )([x, w, b]);
        return grads.map((g) => g.dataSync() as Float32Array);
      });
    };
    const wasm = await run('wasm');
    const cpu = await run('cpu');
    await tf.setBackend('wasm');
    expect(maxAbsDiff(wasm[0]!, cpu[0]!)).toBeLessThan(1e-3);
    expect(maxAbsDiff(wasm[1]!, cpu[1]!)).toBeLessThan(1e-3);
    expect(maxAbsDiff(wasm[2]!, cpu[2]!)).toBeLessThan(1e-3);
  });

  it('leaks no tensor or backend buffer', () => {
    const x = seeded([2, 8, 8, 3], 7) as tf.Tensor4D;
    const dy = seeded([2, 3, 3, 4], 8) as tf.Tensor4D;
    const w = seeded([3, 3, 3, 4], 9) as tf.Tensor4D;
    const attrs = {
      strides: [2, 2],
      pad: 'valid',
      dataFormat: 'NHWC',
      filterShape: [3, 3, 3, 4],
      inputShape: [2, 8, 8, 3],
    };
    const run = (): void => {
      const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs) as tf.Tensor;
      const dx = tf
        .engine()
        .runKernel('Conv2DBackpropInput', { dy, filter: w }, attrs) as tf.Tensor;
      expect(dw.shape).toEqual([3, 3, 3, 4]);
      expect(dx.shape).toEqual([2, 8, 8, 3]);
      tf.dispose([dw, dx]);
    };
    run();
    const before = tf.memory().numTensors;
    const dataBefore = tf.engine().backend.numDataIds();
    for (let i = 0; i < 3; i++) run();
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.engine().backend.numDataIds()).toBe(dataBefore);
    tf.dispose([x, dy, w]);
  });
});
