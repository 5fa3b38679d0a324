import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../../src/main/compute/tf';

describe('wasm Identity without a copy', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('shares the data and frees it only when the last holder is disposed', () => {
    const ids = tf.engine().backend.numDataIds();
    const x = tf.tensor1d([1.5, -0, NaN, 3]);
    const y = tf.clone(x);
    expect(tf.engine().backend.numDataIds()).toBe(ids + 1);
    x.dispose();
    expect(Array.from(y.dataSync()).map((v) => (Object.is(v, -0) ? '-0' : v))).toEqual([
      1.5,
      '-0',
      NaN,
      3,
    ]);
    y.dispose();
    expect(tf.engine().backend.numDataIds()).toBe(ids);
  });

  it('keeps a saved tensor intact when a variable it came from is reassigned', () => {
    const v = tf.variable(tf.tensor1d([1, 2, 3]));
    const saved = tf.clone(v);
    v.assign(tf.tensor1d([7, 8, 9]));
    expect(Array.from(saved.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(v.dataSync())).toEqual([7, 8, 9]);
    tf.dispose([v, saved]);
  });

  it('copies strings through the original kernel', () => {
    const s = tf.tensor1d(['a', 'bc'], 'string');
    const t = tf.clone(s);
    s.dispose();
    expect(t.dataSync()).toEqual(['a', 'bc']);
    t.dispose();
  });

  it('gives the same gradients as cpu and leaks no tensors or data', async () => {
    const run = async (backend: string): Promise<number[]> => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const x = tf.tensor2d([
          [0.5, -1, 2],
          [3, -0.25, 1],
        ]);
        // relu, square and exp all save inputs or outputs for the backward pass (cloned by the engine).
        const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.exp(tf.relu(t)), tf.square(t))))(x);
        return Array.from(g.dataSync());
      });
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    for (let i = 0; i < cpu.length; i++) expect(wasm[i]).toBeCloseTo(cpu[i]!, 4);
    const before = tf.memory().numTensors;
    const ids = tf.engine().backend.numDataIds();
    await run('wasm');
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.engine().backend.numDataIds()).toBe(ids);
  });
});
