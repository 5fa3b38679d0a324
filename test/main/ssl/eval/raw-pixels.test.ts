import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../../src/main/compute/tf';
import { flattenPixels, rawPixelEncoder } from '../../../../src/main/ssl/eval/raw-pixels';
import { expectArrayClose, expectNoLeakedTensors } from '../tensor-assertions';

describe('raw pixels as an encoder (the no-learning reference)', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('flattens [B, S, S, C] row-major to [B, S·S·C], as the model does', () => {
    const images = tf.tensor4d(Array.from({ length: 2 * 3 * 3 * 2 }, (_, i) => i / 10), [2, 3, 3, 2]);
    const flat = flattenPixels(images);
    expect(flat.shape).toEqual([2, 18]);
    expectArrayClose(flat.dataSync(), images.dataSync());
    const model = rawPixelEncoder(3, 2);
    const out = model.predict(images) as tf.Tensor;
    expect(out.shape).toEqual([2, 18]);
    expectArrayClose(out.dataSync(), images.dataSync());
    // Nothing to fine-tune: only the linear head learns on raw pixels.
    expect(model.trainableWeights).toHaveLength(0);
    expect(model.outputs[0]?.shape).toEqual([null, 18]);
    tf.dispose([images, flat, out]);
    model.dispose();
  });

  it('leaks nothing and refuses a shape that is not an image', () => {
    const images = tf.ones([4, 2, 2, 1]) as tf.Tensor4D;
    expectNoLeakedTensors(() => tf.dispose(flattenPixels(images)));
    images.dispose();
    expect(() => rawPixelEncoder(0, 1)).toThrow(/positive integers/);
    expect(() => rawPixelEncoder(16, 1.5)).toThrow(/positive integers/);
  });
});
