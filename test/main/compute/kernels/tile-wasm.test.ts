import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../../src/main/compute/tf';

const cases: Array<{ shape: number[]; reps: number[]; dtype: 'float32' | 'int32' | 'bool' }> = [
  { shape: [1, 1, 1, 5], reps: [3, 4, 2, 1], dtype: 'float32' }, // BatchNorm gradient
  { shape: [2, 3], reps: [2, 3], dtype: 'float32' }, // repeats of non-unit axes
  { shape: [3, 1, 2, 2], reps: [2, 3, 1, 2], dtype: 'float32' }, // 8-D broadcast inside
  { shape: [4], reps: [3], dtype: 'int32' },
  { shape: [2, 2], reps: [1, 1], dtype: 'float32' }, // no-op
  { shape: [2, 1], reps: [2, 3], dtype: 'bool' }, // original kernel
];

async function tileOn(backend: string, c: (typeof cases)[number]): Promise<number[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const size = c.shape.reduce((a, b) => a * b, 1);
    const values = Array.from({ length: size }, (_, i) =>
      c.dtype === 'bool' ? i % 2 : i === 1 ? -0 : i * 1.5 - 2,
    );
    const x = tf.tensor(values, c.shape, c.dtype === 'float32' ? 'float32' : c.dtype);
    const y = tf.tile(x, c.reps);
    expect(y.shape).toEqual(c.shape.map((d, i) => d * c.reps[i]!));
    return Array.from(y.dataSync());
  });
}

describe('wasm Tile via broadcasting', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  for (const c of cases) {
    it(`matches cpu bit for bit: ${c.dtype} [${c.shape.join(', ')}] × [${c.reps.join(', ')}]`, async () => {
      const wasm = await tileOn('wasm', c);
      const cpu = await tileOn('cpu', c);
      await tf.setBackend('wasm');
      expect(wasm.map((v) => (Object.is(v, -0) ? '-0' : v))).toEqual(
        cpu.map((v) => (Object.is(v, -0) ? '-0' : v)),
      );
    });
  }

  it('has the gradient tfjs defines and leaks nothing', () => {
    const x = tf.tensor2d([[1, 2]]);
    const g = tf.grad((t: tf.Tensor) =>
      tf.sum(tf.mul(tf.tile(t, [3, 2]), tf.range(0, 12).reshape([3, 4]))),
    )(x);
    // Column j of x feeds output columns j and j + 2 of every row.
    expect(Array.from(g.dataSync())).toEqual([0 + 2 + 4 + 6 + 8 + 10, 1 + 3 + 5 + 7 + 9 + 11]);
    const before = tf.memory().numTensors;
    const ids = tf.engine().backend.numDataIds();
    tf.tile(x, [2, 2]).dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.engine().backend.numDataIds()).toBe(ids);
    tf.dispose([x, g]);
  });
});
