import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../../src/main/compute/tf';

async function oneHot(
  backend: string,
  dtype: 'float32' | 'int32',
  on: number,
  off: number,
): Promise<number[]> {
  await tf.setBackend(backend);
  return tf.tidy(() =>
    Array.from(tf.oneHot(tf.tensor1d([2, 0, 1, -1], 'int32'), 3, on, off, dtype).dataSync()),
  );
}

describe('wasm OneHot with a float dtype', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  for (const [on, off] of [
    [1, 0],
    [0.9, 0.1 / 3],
    [-2.5, 7],
  ] as const) {
    it(`matches cpu exactly for on=${on}, off=${off}`, async () => {
      const wasm = await oneHot('wasm', 'float32', on, off);
      const cpu = await oneHot('cpu', 'float32', on, off);
      await tf.setBackend('wasm');
      expect(wasm).toEqual(cpu);
      expect(wasm.slice(0, 3)).toEqual([Math.fround(off), Math.fround(off), Math.fround(on)]);
    });
  }

  it('leaves int32 one-hot unchanged and leaks nothing', async () => {
    expect(await oneHot('wasm', 'int32', 1, 0)).toEqual(await oneHot('cpu', 'int32', 1, 0));
    await tf.setBackend('wasm');
    const indices = tf.tensor1d([0, 1], 'int32');
    tf.oneHot(indices, 4, 1, 0, 'float32').dispose();
    const before = tf.memory().numTensors;
    const ids = tf.engine().backend.numDataIds();
    tf.oneHot(indices, 4, 1, 0, 'float32').dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.engine().backend.numDataIds()).toBe(ids);
    indices.dispose();
  });
});
