import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../src/main/compute/tf';
import { encoderToOnnx } from '../../../src/main/export/onnx/writer';
import { axisPadding } from '../../../src/main/export/onnx/padding';
import { decodeModelProto } from '../../../src/main/export/onnx/schema';
import { verifyOnnx } from '../../../src/main/export/verify';
import { buildEncoder, buildProjectionHead } from '../../../src/main/ssl/index';
import type { EncoderName } from '../../../src/shared/schemas/method';
import { randomizeBatchNorm, randomizeBiases } from './fixtures';

/** Measured differences, printed at the end so the report can quote them. */
const measured: string[] = [];

function opTypes(bytes: Uint8Array): string[] {
  return decodeModelProto(bytes).graph.node.map((n) => n.opType);
}

describe('ONNX export (onnxruntime-node vs tfjs)', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });
  afterAll(() => {
    console.log(`ONNX max |tfjs − onnxruntime|:\n  ${measured.join('\n  ')}`);
  });

  const cases: [EncoderName, number, number, number][] = [
    // name, input size, channels, width multiplier
    ['small', 16, 1, 0.5],
    ['small', 16, 3, 0.5],
    ['resnet18-cifar', 16, 1, 0.125],
    ['resnet18-cifar', 20, 3, 0.125],
    // Odd sizes: TF 'same' with stride 2 pads one more at the end — a symmetric pad would fail here.
    ['resnet18', 33, 3, 0.125],
    ['resnet18', 32, 1, 0.125],
    ['resnet34', 16, 3, 0.125],
    ['resnet50', 29, 3, 0.0625],
  ];
  for (const [name, size, channels, width] of cases) {
    it(`${name} ${size}×${size}×${channels}: onnxruntime agrees with tfjs to < 1e-4, BN folded`, async () => {
      const encoder = buildEncoder({ name, inputShape: [size, size, channels], widthMultiplier: width, seed: 11 });
      randomizeBatchNorm(encoder, 5);
      const bytes = encoderToOnnx(encoder);
      const ops = opTypes(bytes);
      expect(ops).not.toContain('BatchNormalization');
      expect(ops.filter((op) => op === 'Conv').length).toBe(encoder.layers.filter((l) => l.getClassName() === 'Conv2D').length);
      const before = tf.memory().numTensors;
      const result = await verifyOnnx({ encoder, onnx: bytes, count: 3, seed: 9 });
      expect(tf.memory().numTensors).toBe(before);
      measured.push(`${name} ${size}px C=${channels} ×${width}: ${result.maxAbsDiff.toExponential(2)} (max |feature| ${result.maxAbsReference.toFixed(2)})`);
      expect(result.images).toBe(3);
      expect(result.maxAbsDiff).toBeLessThan(1e-4);
      expect(result.passed).toBe(true);
      encoder.dispose();
    });
  }

  it('the check can fail: a model with other BN statistics is caught', async () => {
    const encoder = buildEncoder({ name: 'small', inputShape: [12, 12, 3], widthMultiplier: 0.5, seed: 2 });
    randomizeBatchNorm(encoder, 1);
    const bytes = encoderToOnnx(encoder);
    randomizeBatchNorm(encoder, 100);
    const result = await verifyOnnx({ encoder, onnx: bytes, count: 2 });
    expect(result.maxAbsDiff).toBeGreaterThan(1e-3);
    expect(result.passed).toBe(false);
    encoder.dispose();
  });

  it('exports the projection head as a second output, BN folded into Gemm', async () => {
    const encoder = buildEncoder({ name: 'small', inputShape: [16, 16, 3], widthMultiplier: 0.5, seed: 4 });
    const head = buildProjectionHead({
      inputDim: 32,
      blocks: [
        { units: 24, bias: false, batchNorm: true, activation: 'relu' },
        { units: 8, bias: true, batchNorm: false, activation: 'linear' },
      ],
      seed: 3,
      batchNormMomentum: 0.9,
      name: 'head',
    });
    randomizeBatchNorm(encoder, 6);
    randomizeBatchNorm(head, 7);
    randomizeBiases(head, 8);
    const bytes = encoderToOnnx(encoder, { head });
    const model = decodeModelProto(bytes);
    expect(model.graph.output.map((o) => o.name)).toEqual(['features', 'projection']);
    expect(opTypes(bytes)).not.toContain('BatchNormalization');
    const result = await verifyOnnx({ encoder, head, onnx: bytes, count: 3 });
    measured.push(`small + projection head: features ${result.perOutput['features']?.toExponential(2)}, projection ${result.perOutput['projection']?.toExponential(2)}`);
    expect(Object.keys(result.perOutput)).toEqual(['features', 'projection']);
    expect(result.maxAbsDiff).toBeLessThan(1e-4);
    encoder.dispose();
    head.dispose();
  });

  it('translates the other layer kinds (zero padding, average pool, unfoldable BN, flatten, dense) exactly', async () => {
    const input = tf.input({ shape: [11, 9, 3] });
    let x = tf.layers.zeroPadding2d({ padding: [[1, 2], [0, 1]] }).apply(input) as tf.SymbolicTensor;
    const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu', useBias: true }).apply(x) as tf.SymbolicTensor;
    // This BN cannot fold: the conv has an activation, and the conv output also feeds the Add.
    const bn = tf.layers.batchNormalization({ epsilon: 1e-3 }).apply(conv) as tf.SymbolicTensor;
    x = tf.layers.add().apply([bn, conv]) as tf.SymbolicTensor;
    x = tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
    x = tf.layers.dense({ units: 5, activation: 'tanh' }).apply(x) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: x });
    randomizeBatchNorm(model, 3);
    randomizeBiases(model, 4);
    const bytes = encoderToOnnx(model);
    expect(opTypes(bytes)).toEqual(
      expect.arrayContaining(['Pad', 'Conv', 'Relu', 'BatchNormalization', 'Add', 'AveragePool', 'Transpose', 'Flatten', 'Gemm', 'Tanh']),
    );
    const result = await verifyOnnx({ encoder: model, onnx: bytes, count: 2 });
    measured.push(`custom layers model: ${result.maxAbsDiff.toExponential(2)}`);
    expect(result.maxAbsDiff).toBeLessThan(1e-4);
    model.dispose();
  });

  it('NHWC input layout puts the transpose inside the graph', async () => {
    const encoder = buildEncoder({ name: 'small', inputShape: [10, 10, 3], widthMultiplier: 0.5, seed: 8 });
    randomizeBatchNorm(encoder, 2);
    const bytes = encoderToOnnx(encoder, { inputLayout: 'NHWC' });
    const dims = decodeModelProto(bytes).graph.input[0]?.type?.tensorType?.shape?.dim?.map((d) => d.dimValue ?? d.dimParam);
    expect(dims).toEqual(['batch', 10, 10, 3]);
    const result = await verifyOnnx({ encoder, onnx: bytes, inputLayout: 'NHWC', count: 2 });
    expect(result.maxAbsDiff).toBeLessThan(1e-4);
    encoder.dispose();
  });

  it('writes a standard ModelProto: opset 13, NCHW input with dynamic batch, named output', () => {
    const encoder = buildEncoder({ name: 'small', inputShape: [8, 8, 1], widthMultiplier: 0.25, seed: 1 });
    const model = decodeModelProto(encoderToOnnx(encoder));
    expect(model.opsetImport).toEqual([{ domain: '', version: 13 }]);
    expect(model.irVersion).toBeGreaterThanOrEqual(7);
    expect(model.graph.input[0]?.name).toBe('input');
    expect(model.graph.input[0]?.type?.tensorType?.shape?.dim?.map((d) => d.dimValue ?? d.dimParam)).toEqual(['batch', 1, 8, 8]);
    expect(model.graph.output[0]?.type?.tensorType?.shape?.dim?.map((d) => d.dimValue ?? d.dimParam)).toEqual(['batch', 16]);
    encoder.dispose();
  });

  it('refuses unknown layer types, naming the class', () => {
    const input = tf.input({ shape: [8, 8, 3] });
    const y = tf.layers.depthwiseConv2d({ kernelSize: 3 }).apply(input) as tf.SymbolicTensor;
    const pooled = tf.layers.globalAveragePooling2d({}).apply(y) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: pooled });
    expect(() => encoderToOnnx(model)).toThrow(/class DepthwiseConv2D/);
    model.dispose();
  });

  it('refuses a dynamic input size unless one is given', () => {
    const encoder = buildEncoder({ name: 'small', inputShape: [null, null, 3], widthMultiplier: 0.25, seed: 1 });
    expect(() => encoderToOnnx(encoder)).toThrow(/inputSize/);
    expect(decodeModelProto(encoderToOnnx(encoder, { inputSize: [12, 14] })).graph.input[0]?.type?.tensorType?.shape?.dim?.[3]).toEqual({ dimValue: 14 });
    encoder.dispose();
  });
});

describe("TF 'same' padding", () => {
  it('pads the extra pixel at the end when the total is odd', () => {
    // in 8, k 3, s 2 → out 4, total (4−1)·2 + 3 − 8 = 1 → [0, 1] (PyTorch-style symmetric would be [1, 1]).
    expect(axisPadding(8, 3, 2, 1, 'same')).toEqual({ before: 0, after: 1, out: 4 });
    // in 7, k 7, s 2 → out 4, total 6 + 7 − 7 = 6 → [3, 3].
    expect(axisPadding(7, 7, 2, 1, 'same')).toEqual({ before: 3, after: 3, out: 4 });
    // in 32, k 7, s 2 → out 16, total 30 + 7 − 32 = 5 → [2, 3].
    expect(axisPadding(32, 7, 2, 1, 'same')).toEqual({ before: 2, after: 3, out: 16 });
    expect(axisPadding(9, 3, 2, 1, 'valid')).toEqual({ before: 0, after: 0, out: 4 });
    expect(() => axisPadding(4, 3, 1, 1, 'causal')).toThrow(/causal/);
  });
});
