import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../../src/main/compute/tf';
import { conv2d } from '../../../../src/main/ssl/encoders/conv2d';
import { expectArrayClose } from '../tensor-assertions';

type Args = Parameters<typeof tf.layers.conv2d>[0];

/** Output, kernel gradient and input gradient of a layer with a given kernel, as numbers. */
function run(layer: tf.layers.Layer, x: tf.Tensor, kernel: tf.Tensor, w: tf.Tensor): number[][] {
  return tf.tidy(() => {
    tf.dispose(layer.apply(x) as tf.Tensor); // build
    layer.setWeights([kernel, ...layer.getWeights().slice(1)]);
    const variables = layer.trainableWeights.map((v) => v.read() as tf.Variable);
    const y = layer.apply(x) as tf.Tensor;
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, w)) as tf.Scalar,
      variables,
    );
    const [dx] = tf.grads((input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input) as tf.Tensor, w)))(
      [x],
    );
    return [y, grads[variables[0]!.name]!, dx!].map((t) => Array.from(t.dataSync()));
  });
}

const cases: Array<{ args: Args; x: number[] }> = [
  {
    args: { filters: 4, kernelSize: 3, strides: 1, padding: 'same', useBias: false },
    x: [2, 6, 6, 3],
  },
  {
    args: { filters: 5, kernelSize: 3, strides: 2, padding: 'same', useBias: false },
    x: [2, 7, 7, 2],
  },
  {
    args: { filters: 3, kernelSize: 1, strides: 2, padding: 'valid', useBias: false },
    x: [1, 6, 6, 4],
  },
  // Not plain: bias and activation go through tfjs-layers' own fused path.
  {
    args: {
      filters: 3,
      kernelSize: 3,
      strides: 1,
      padding: 'same',
      useBias: true,
      activation: 'relu',
    },
    x: [2, 5, 5, 2],
  },
];

describe('conv2d layer (bias-free linear convolutions unfused)', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  for (const backend of ['cpu', 'wasm']) {
    for (const c of cases) {
      it(`matches tf.layers.conv2d on ${backend}: ${JSON.stringify(c.args)} x [${c.x.join(', ')}]`, async () => {
        await tf.setBackend(backend);
        const x = tf.randomNormal(c.x, 0, 1, 'float32', 1);
        const probe = tf.layers.conv2d(c.args);
        const outShape = (probe.apply(x) as tf.Tensor).shape;
        const kernel = tf.randomNormal(probe.getWeights()[0]!.shape, 0, 1, 'float32', 2);
        const w = tf.randomNormal(outShape, 0, 1, 'float32', 3);
        const [mine, original] = [conv2d(c.args), tf.layers.conv2d(c.args)];
        const a = run(mine, x, kernel, w);
        const b = run(original, x, kernel, w);
        a.forEach((values, i) => expectArrayClose(values, b[i]!, 1e-5));
        expect(mine.getClassName()).toBe('Conv2D');
        expect({ ...mine.getConfig(), name: '' }).toEqual({ ...original.getConfig(), name: '' });
        [probe, mine, original].forEach((l) => l.dispose());
        tf.dispose([x, kernel, w]);
        await tf.setBackend('wasm');
      });
    }
  }

  it('computes no input gradient when only the kernel needs one (the stem)', async () => {
    const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 4);
    const args: Args = { filters: 4, kernelSize: 3, padding: 'same', useBias: false };
    const backwardInputKernels = async (layer: tf.layers.Layer): Promise<number> => {
      tf.dispose(layer.apply(x) as tf.Tensor);
      const variables = layer.trainableWeights.map((v) => v.read() as tf.Variable);
      const profile = await tf.profile(() => {
        const { value, grads } = tf.variableGrads(
          () => tf.sum(layer.apply(x) as tf.Tensor) as tf.Scalar,
          variables,
        );
        tf.dispose([value, ...Object.values(grads)]);
      });
      layer.dispose();
      return profile.kernels.filter((k) => k.name === 'Conv2DBackpropInput').length;
    };
    expect(await backwardInputKernels(tf.layers.conv2d(args))).toBe(1);
    expect(await backwardInputKernels(conv2d(args))).toBe(0);
    x.dispose();
  });
});
