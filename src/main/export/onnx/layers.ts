/**
 * One translation per tfjs layer class, from Keras' NHWC world to ONNX's NCHW one. Values carry
 * their shape without the batch axis: image tensors are [C, H, W], vectors [F]. Anything not listed
 * in LAYER_CONVERTERS is refused with the layer's class and name rather than exported wrongly.
 */
import type { tf } from '../../compute/tf';
import type { AttributeValue, GraphBuilder } from './graph-builder';
import { windowPads } from './padding';
import { batchNormAffine, convKernelToOihw, foldBias, namedWeights, requireWeight, scaleColumns } from './weights';

export interface OnnxValue {
  name: string;
  /** Without the batch axis: [C, H, W] for images (NCHW), [F] for vectors. */
  shape: number[];
}

export interface LayerContext {
  graph: GraphBuilder;
  layer: tf.layers.Layer;
  config: Record<string, unknown>;
  inputs: OnnxValue[];
  /** A BatchNormalization that follows this layer and is folded into its weights. */
  foldedBatchNorm?: tf.layers.Layer;
}

export type LayerConverter = (ctx: LayerContext) => OnnxValue;

/** Conv2D and Dense can absorb the BatchNormalization that consumes them. */
export const FOLDABLE_CLASSES = new Set(['Conv2D', 'Dense']);

function pair(value: unknown, what: string): [number, number] {
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) return [value[0] as number, value[1] as number];
  throw new Error(`expected a number or a pair for ${what}, got ${JSON.stringify(value)}`);
}

function only(ctx: LayerContext): OnnxValue {
  const input = ctx.inputs[0];
  if (ctx.inputs.length !== 1 || !input) throw new Error(`layer "${ctx.layer.name}" expects one input, got ${ctx.inputs.length}`);
  return input;
}

function imageInput(ctx: LayerContext): [number, number, number, OnnxValue] {
  const input = only(ctx);
  const [c, h, w] = input.shape;
  if (input.shape.length !== 3 || c === undefined || h === undefined || w === undefined) {
    throw new Error(`layer "${ctx.layer.name}" (${ctx.layer.getClassName()}) needs an image input [H, W, C], got rank ${input.shape.length + 1}`);
  }
  if ((ctx.config['dataFormat'] ?? 'channelsLast') !== 'channelsLast') {
    throw new Error(`layer "${ctx.layer.name}": only dataFormat 'channelsLast' is supported`);
  }
  return [c, h, w, input];
}

/** Appends the Keras `activation` of a layer (Conv2D, Dense, Activation) as ONNX nodes. */
export function applyActivation(graph: GraphBuilder, value: OnnxValue, activation: unknown, layerName: string): OnnxValue {
  const base = layerName;
  switch (activation ?? 'linear') {
    case 'linear':
      return value;
    case 'relu':
      return { name: graph.addNode('Relu', [value.name], base), shape: value.shape };
    case 'relu6': {
      const lo = graph.addFloat(`${base}/min`, [], Float32Array.of(0));
      const hi = graph.addFloat(`${base}/max`, [], Float32Array.of(6));
      return { name: graph.addNode('Clip', [value.name, lo, hi], base), shape: value.shape };
    }
    case 'sigmoid':
      return { name: graph.addNode('Sigmoid', [value.name], base), shape: value.shape };
    case 'tanh':
      return { name: graph.addNode('Tanh', [value.name], base), shape: value.shape };
    default:
      throw new Error(`layer "${layerName}": activation "${String(activation)}" has no ONNX translation here`);
  }
}

const conv2d: LayerConverter = (ctx) => {
  const [, h, w, input] = imageInput(ctx);
  const { graph, layer, config } = ctx;
  const kernelSize = pair(config['kernelSize'], 'kernelSize');
  const strides = pair(config['strides'] ?? 1, 'strides');
  const dilations = pair(config['dilationRate'] ?? 1, 'dilationRate');
  const { pads, out } = windowPads([h, w], kernelSize, strides, dilations, String(config['padding']));
  const weights = namedWeights(layer);
  const kernel = requireWeight(weights, 'kernel', layer.name);
  const bias = weights.get('bias')?.values;
  const affine = ctx.foldedBatchNorm ? batchNormAffine(ctx.foldedBatchNorm) : undefined;
  const oihw = convKernelToOihw(kernel, affine?.scale);
  const filters = oihw.shape[0] ?? 0;
  const inputs = [input.name, graph.addFloat(`${layer.name}/kernel`, oihw.shape, oihw.values)];
  const folded = affine ? foldBias(bias, affine) : bias;
  if (folded) inputs.push(graph.addFloat(`${layer.name}/bias`, [filters], folded));
  const outputName = ctx.foldedBatchNorm?.name ?? layer.name;
  const y = graph.addNode('Conv', inputs, outputName, {
    kernel_shape: kernelSize,
    strides,
    dilations,
    pads,
    group: 1,
  });
  return applyActivation(graph, { name: y, shape: [filters, out[0], out[1]] }, config['activation'], `${layer.name}/activation`);
};

const dense: LayerConverter = (ctx) => {
  const input = only(ctx);
  const { graph, layer, config } = ctx;
  if (input.shape.length !== 1) {
    throw new Error(`layer "${layer.name}" (Dense) on a rank-${input.shape.length + 1} input: add a Flatten or pooling layer first`);
  }
  const weights = namedWeights(layer);
  const kernel = requireWeight(weights, 'kernel', layer.name);
  const bias = weights.get('bias')?.values;
  const affine = ctx.foldedBatchNorm ? batchNormAffine(ctx.foldedBatchNorm) : undefined;
  const matrix = affine ? scaleColumns(kernel, affine.scale) : kernel;
  const units = matrix.shape[1] ?? 0;
  const inputs = [input.name, graph.addFloat(`${layer.name}/kernel`, matrix.shape, matrix.values)];
  const folded = affine ? foldBias(bias, affine) : bias;
  if (folded) inputs.push(graph.addFloat(`${layer.name}/bias`, [units], folded));
  const y = graph.addNode('Gemm', inputs, ctx.foldedBatchNorm?.name ?? layer.name, { transB: 0 });
  return applyActivation(graph, { name: y, shape: [units] }, config['activation'], `${layer.name}/activation`);
};

/** A BatchNormalization that could not be folded (its input has other consumers, or is no conv). */
const batchNorm: LayerConverter = (ctx) => {
  const input = only(ctx);
  const { graph, layer, config } = ctx;
  const axis = Number(config['axis'] ?? -1);
  if (axis !== -1 && axis !== input.shape.length) {
    throw new Error(`layer "${layer.name}": BatchNormalization over axis ${axis} is not supported (only the channel axis)`);
  }
  const { scale, shift } = batchNormAffine(layer);
  const channels = scale.length;
  // Stored as its affine form (mean 0, variance 1 − ε) so every epsilon reproduces tfjs exactly.
  const epsilon = 1e-5;
  const inputs = [
    input.name,
    graph.addFloat(`${layer.name}/scale`, [channels], Float32Array.from(scale)),
    graph.addFloat(`${layer.name}/shift`, [channels], Float32Array.from(shift)),
    graph.addFloat(`${layer.name}/mean`, [channels], new Float32Array(channels)),
    graph.addFloat(`${layer.name}/variance`, [channels], new Float32Array(channels).fill(1 - epsilon)),
  ];
  return { name: graph.addNode('BatchNormalization', inputs, layer.name, { epsilon: { float: epsilon } }), shape: input.shape };
};

const relu: LayerConverter = (ctx) => {
  const input = only(ctx);
  const { graph, layer, config } = ctx;
  const maxValue = config['maxValue'];
  if (maxValue === undefined || maxValue === null) return { name: graph.addNode('Relu', [input.name], layer.name), shape: input.shape };
  const lo = graph.addFloat(`${layer.name}/min`, [], Float32Array.of(0));
  const hi = graph.addFloat(`${layer.name}/max`, [], Float32Array.of(Number(maxValue)));
  return { name: graph.addNode('Clip', [input.name, lo, hi], layer.name), shape: input.shape };
};

const leakyRelu: LayerConverter = (ctx) => {
  const input = only(ctx);
  const alpha = Number(ctx.config['alpha'] ?? 0.3);
  return { name: ctx.graph.addNode('LeakyRelu', [input.name], ctx.layer.name, { alpha: { float: alpha } }), shape: input.shape };
};

const activation: LayerConverter = (ctx) => applyActivation(ctx.graph, only(ctx), ctx.config['activation'], ctx.layer.name);

const add: LayerConverter = (ctx) => {
  const [first, ...rest] = ctx.inputs;
  if (!first || rest.length === 0) throw new Error(`layer "${ctx.layer.name}" (Add) needs at least two inputs`);
  let sum = first;
  rest.forEach((next, i) => {
    if (next.shape.join() !== first.shape.join()) {
      throw new Error(`layer "${ctx.layer.name}" (Add): shapes [${first.shape}] and [${next.shape}] differ`);
    }
    const name = ctx.graph.addNode('Add', [sum.name, next.name], i === rest.length - 1 ? ctx.layer.name : `${ctx.layer.name}/partial`);
    sum = { name, shape: first.shape };
  });
  return sum;
};

function pooling(opType: 'MaxPool' | 'AveragePool'): LayerConverter {
  return (ctx) => {
    const [c, h, w, input] = imageInput(ctx);
    const poolSize = pair(ctx.config['poolSize'], 'poolSize');
    const strides = pair(ctx.config['strides'] ?? poolSize, 'strides');
    const { pads, out } = windowPads([h, w], poolSize, strides, [1, 1], String(ctx.config['padding'] ?? 'valid'));
    // TF's 'same' average pool divides by the number of real (unpadded) pixels.
    const attributes: Record<string, AttributeValue> = { kernel_shape: poolSize, strides, pads };
    if (opType === 'AveragePool') attributes['count_include_pad'] = 0;
    const name = ctx.graph.addNode(opType, [input.name], ctx.layer.name, attributes);
    return { name, shape: [c, out[0], out[1]] };
  };
}

function globalPooling(opType: 'GlobalAveragePool' | 'GlobalMaxPool'): LayerConverter {
  return (ctx) => {
    const [c, , , input] = imageInput(ctx);
    const pooled = ctx.graph.addNode(opType, [input.name], `${ctx.layer.name}/pooled`);
    if (ctx.config['keepDims'] === true) return { name: pooled, shape: [c, 1, 1] };
    return { name: ctx.graph.addNode('Flatten', [pooled], ctx.layer.name, { axis: 1 }), shape: [c] };
  };
}

/** Keras flattens in NHWC order; transposing back first keeps a following Dense's weights valid. */
const flatten: LayerConverter = (ctx) => {
  const input = only(ctx);
  if (input.shape.length === 1) return input;
  if (input.shape.length !== 3) throw new Error(`layer "${ctx.layer.name}" (Flatten): rank-${input.shape.length + 1} input is not supported`);
  const size = input.shape.reduce((a, b) => a * b, 1);
  const nhwc = ctx.graph.addNode('Transpose', [input.name], `${ctx.layer.name}/nhwc`, { perm: [0, 2, 3, 1] });
  return { name: ctx.graph.addNode('Flatten', [nhwc], ctx.layer.name, { axis: 1 }), shape: [size] };
};

const zeroPadding2d: LayerConverter = (ctx) => {
  const [c, h, w, input] = imageInput(ctx);
  const padding = ctx.config['padding'];
  const [[top, bottom], [left, right]] = Array.isArray(padding) && Array.isArray(padding[0])
    ? [pair(padding[0], 'padding'), pair(padding[1], 'padding')]
    : [pair(padding, 'padding'), pair(padding, 'padding')];
  const pads = ctx.graph.addInt64(`${ctx.layer.name}/pads`, [0, 0, top, left, 0, 0, bottom, right]);
  return { name: ctx.graph.addNode('Pad', [input.name, pads], ctx.layer.name, { mode: 'constant' }), shape: [c, h + top + bottom, w + left + right] };
};

/** Inference-time no-ops. */
const identity: LayerConverter = (ctx) => only(ctx);

export const LAYER_CONVERTERS: Record<string, LayerConverter> = {
  Conv2D: conv2d,
  Dense: dense,
  BatchNormalization: batchNorm,
  ReLU: relu,
  LeakyReLU: leakyRelu,
  Activation: activation,
  Add: add,
  MaxPooling2D: pooling('MaxPool'),
  AveragePooling2D: pooling('AveragePool'),
  GlobalAveragePooling2D: globalPooling('GlobalAveragePool'),
  GlobalMaxPooling2D: globalPooling('GlobalMaxPool'),
  Flatten: flatten,
  ZeroPadding2D: zeroPadding2d,
  Dropout: identity,
};
