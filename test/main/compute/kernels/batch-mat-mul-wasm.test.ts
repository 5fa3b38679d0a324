import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../../src/main/compute/tf';
import { expectArrayClose } from '../../ssl/tensor-assertions';

interface Case {
  a: number[];
  b: number[];
  transposeA: boolean;
  transposeB: boolean;
}

const cases: Case[] = [
  { a: [5, 7], b: [3, 7], transposeA: false, transposeB: true }, // dense dx = dy·Wᵀ, z·zᵀ
  { a: [7, 5], b: [7, 3], transposeA: true, transposeB: false }, // dense dW = xᵀ·dy
  { a: [7, 5], b: [3, 7], transposeA: true, transposeB: true },
  { a: [1, 6, 4], b: [1, 5, 4], transposeA: false, transposeB: true }, // batch of one
  { a: [2, 6, 4], b: [2, 5, 4], transposeA: false, transposeB: true }, // batched: original kernel
  { a: [4, 6], b: [6, 2], transposeA: false, transposeB: false }, // plain: original kernel
];

async function product(backend: string, c: Case): Promise<number[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const a = tf.randomNormal(c.a, 0, 1, 'float32', 1);
    const b = tf.randomNormal(c.b, 0, 1, 'float32', 2);
    return Array.from(tf.matMul(a, b, c.transposeA, c.transposeB).dataSync());
  });
}

describe('wasm BatchMatMul of transposed operands on XNNPACK', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  for (const c of cases) {
    it(`matches cpu: [${c.a.join(', ')}]${c.transposeA ? 'ᵀ' : ''} · [${c.b.join(', ')}]${c.transposeB ? 'ᵀ' : ''}`, async () => {
      const wasm = await product('wasm', c);
      const cpu = await product('cpu', c);
      await tf.setBackend('wasm');
      expectArrayClose(wasm, cpu, 1e-5);
    });
  }

  it('gives a Dense layer the gradients it has on cpu, leaking nothing', async () => {
    const grads = async (backend: string): Promise<number[][]> => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const x = tf.randomNormal([6, 5], 0, 1, 'float32', 3);
        const w = tf.randomNormal([5, 4], 0, 1, 'float32', 4);
        const t = tf.randomNormal([6, 4], 0, 1, 'float32', 5);
        const g = tf.grads((xi: tf.Tensor, wi: tf.Tensor) => tf.sum(tf.mul(tf.matMul(xi, wi), t)))([
          x,
          w,
        ]);
        return g.map((gi) => Array.from(gi.dataSync()));
      });
    };
    const cpu = await grads('cpu');
    const wasm = await grads('wasm');
    wasm.forEach((g, i) => expectArrayClose(g, cpu[i]!, 1e-5));
    const tensors = tf.memory().numTensors;
    const data = tf.engine().backend.numDataIds();
    await grads('wasm');
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(data);
  });
});
