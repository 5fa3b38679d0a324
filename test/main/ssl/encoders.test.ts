import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../src/main/compute/tf';
import {
  buildEncoder,
  buildProjectionHead,
  featureDim,
  Prototypes,
} from '../../../src/main/ssl/index';
import { ENCODER_NAMES, type EncoderName } from '../../../src/shared/schemas/method';

/** Expected feature width: last stage width (× 4 for bottlenecks) × multiplier. */
const WIDTH: Record<EncoderName, number> = {
  small: 64,
  resnet18: 512,
  'resnet18-cifar': 512,
  resnet34: 512,
  resnet50: 2048,
};

const maxDiff = (a: tf.Tensor, b: tf.Tensor): number =>
  tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

describe('encoders', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  for (const name of ENCODER_NAMES) {
    it(`${name}: images [B, 16, 16, C] → features [B, F] for 1 and 3 channels`, () => {
      for (const channels of [1, 3]) {
        const model = buildEncoder({
          name,
          inputShape: [16, 16, channels],
          widthMultiplier: 0.125,
          seed: 1,
        });
        const x = tf.randomUniform([2, 16, 16, channels], 0, 1, 'float32', 2) as tf.Tensor4D;
        const y = model.apply(x, { training: false }) as tf.Tensor;
        expect(y.shape).toEqual([2, Math.round(WIDTH[name] * 0.125)]);
        expect(featureDim(model)).toBe(y.shape[1]);
        tf.dispose([x, y]);
        model.dispose();
      }
    });
  }

  it('has the layer structure of the paper (conv count, stem, max-pool)', () => {
    const convs = (name: EncoderName): number => {
      const m = buildEncoder({ name, inputShape: [16, 16, 3], widthMultiplier: 0.125, seed: 1 });
      const count = m.layers.filter(
        (l) => l.getClassName() === 'Conv2D' && !l.name.endsWith('_proj'),
      ).length;
      const pools = m.layers.filter((l) => l.getClassName() === 'MaxPooling2D').length;
      const stemKernel = m.getLayer('stem_conv').getWeights()[0]!.shape[0];
      m.dispose();
      return count * 100 + pools * 10 + stemKernel;
    };
    // 17 / 33 / 49 weighted convs + the fc layer would be 18 / 34 / 50.
    expect(convs('resnet18')).toBe(1700 + 10 + 7);
    expect(convs('resnet18-cifar')).toBe(1700 + 3);
    expect(convs('resnet34')).toBe(3300 + 10 + 7);
    expect(convs('resnet50')).toBe(4900 + 10 + 7);
  });

  it('same seed → same initial weights; another seed → different ones', () => {
    const a = buildEncoder({ name: 'small', inputShape: [8, 8, 3], widthMultiplier: 0.5, seed: 5 });
    const b = buildEncoder({ name: 'small', inputShape: [8, 8, 3], widthMultiplier: 0.5, seed: 5 });
    const c = buildEncoder({ name: 'small', inputShape: [8, 8, 3], widthMultiplier: 0.5, seed: 6 });
    const wa = a.getWeights();
    wa.forEach((w, i) => expect(maxDiff(w, b.getWeights()[i]!)).toBe(0));
    expect(maxDiff(wa[0]!, c.getWeights()[0]!)).toBeGreaterThan(0);
    [a, b, c].forEach((m) => m.dispose());
  });

  it('BatchNorm: training mode updates moving stats, so inference matches after training', () => {
    const model = buildEncoder({
      name: 'small',
      inputShape: [8, 8, 3],
      widthMultiplier: 0.5,
      seed: 3,
      batchNormMomentum: 0.9,
    });
    // Inputs far from the N(0, 1) the fresh moving stats assume.
    const x = tf.add(
      tf.mul(tf.randomUniform([16, 8, 8, 3], 0, 1, 'float32', 4), 5),
      3,
    ) as tf.Tensor4D;
    const inferenceBefore = model.apply(x, { training: false }) as tf.Tensor;
    const training = model.apply(x, { training: true }) as tf.Tensor;
    expect(maxDiff(inferenceBefore, training)).toBeGreaterThan(0.1);
    // Inside variableGrads, as the trainer calls it: the updates must still happen and not leak.
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    for (let i = 0; i < 80; i++) {
      const { value, grads } = tf.variableGrads(
        () => tf.tidy(() => tf.mean(model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar),
        vars,
      );
      tf.dispose([value, ...Object.values(grads)]);
    }
    const inferenceAfter = model.apply(x, { training: false }) as tf.Tensor;
    expect(maxDiff(inferenceAfter, training)).toBeLessThan(1e-2);
    tf.dispose([x, inferenceBefore, training, inferenceAfter]);
    model.dispose();
  });

  it('accepts any input size when built with null H, W (multi-crop, jigsaw tiles)', () => {
    const model = buildEncoder({
      name: 'resnet18',
      inputShape: [null, null, 3],
      widthMultiplier: 0.125,
      seed: 1,
    });
    for (const size of [8, 16, 24]) {
      const y = tf.tidy(
        () => model.apply(tf.zeros([1, size, size, 3]), { training: false }) as tf.Tensor,
      );
      expect(y.shape).toEqual([1, 64]);
      y.dispose();
    }
    model.dispose();
  });

  it('serialises and reloads with identical outputs', async () => {
    const model = buildEncoder({
      name: 'small',
      inputShape: [8, 8, 3],
      widthMultiplier: 0.5,
      seed: 9,
    });
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const reloaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    const x = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const [y1, y2] = [model.predict(x) as tf.Tensor, reloaded.predict(x) as tf.Tensor];
    expect(maxDiff(y1, y2)).toBe(0);
    tf.dispose([x, y1, y2]);
    model.dispose();
    reloaded.dispose();
  });

  it('rejects unknown encoders, bad channel counts and widths', () => {
    expect(() =>
      buildEncoder({ name: 'vgg' as EncoderName, inputShape: [8, 8, 3], seed: 1 }),
    ).toThrow(RangeError);
    expect(() => buildEncoder({ name: 'small', inputShape: [8, 8, 2], seed: 1 })).toThrow(
      /channels/,
    );
    expect(() =>
      buildEncoder({ name: 'small', inputShape: [8, 8, 3], widthMultiplier: 0, seed: 1 }),
    ).toThrow(RangeError);
  });
});

describe('heads', () => {
  it('builds a projection head from blocks (SimCLR preset shape)', () => {
    const head = buildProjectionHead({
      inputDim: 8,
      blocks: [
        { units: 16, batchNorm: true, activation: 'relu', bias: false },
        { units: 4, batchNorm: false, activation: 'linear', bias: true },
      ],
      seed: 1,
      batchNormMomentum: 0.9,
      name: 'head',
    });
    expect(head.layers.map((l) => l.getClassName())).toEqual([
      'InputLayer',
      'Dense',
      'BatchNormalization',
      'ReLU',
      'Dense',
    ]);
    expect(head.outputs[0]!.shape).toEqual([null, 4]);
    head.dispose();
  });

  it('keeps SwAV prototypes on the unit sphere', () => {
    const prototypes = new Prototypes(5, 3, 1);
    const norms = (): number[] =>
      Array.from(tf.tidy(() => tf.norm(prototypes.weights, 2, 1)).dataSync());
    norms().forEach((n) => expect(n).toBeCloseTo(1, 5));
    prototypes.weights.assign(tf.mul(prototypes.weights, tf.tensor2d([[2], [3], [0.5], [1], [7]])));
    prototypes.normalize();
    norms().forEach((n) => expect(n).toBeCloseTo(1, 5));
    prototypes.dispose();
  });
});
