/**
 * tfjs LayersModel (encoder, optionally followed by its projection head) → ONNX ModelProto bytes.
 *
 * Graph contract (docs/export.md):
 * - input `input`: float32 [batch, C, H, W] (NCHW, as PyTorch users expect) — or [batch, H, W, C]
 *   with `inputLayout: 'NHWC'`, in which case a Transpose is the first node — holding images already
 *   normalised with the metadata's mean/std;
 * - output `features`: float32 [batch, F], the encoder's output; `projection` [batch, P] as well when a
 *   head is exported.
 * BatchNormalization is folded into the Conv2D / Dense it follows (inference mode, moving statistics);
 * 'same' padding becomes explicit pads (see padding.ts), which needs a static H and W.
 */
import type { tf } from '../../compute/tf';
import { GraphBuilder } from './graph-builder';
import { FOLDABLE_CLASSES, LAYER_CONVERTERS, type OnnxValue } from './layers';
import { encodeModelProto, ONNX_FLOAT, type ModelProto, type ValueInfoProto } from './schema';

export const ONNX_OPSET = 13;
/** IR version 7 is the first that opset 13 needs; older readers accept it. */
export const ONNX_IR_VERSION = 7;
export const ONNX_INPUT_NAME = 'input';
export const ONNX_FEATURES_NAME = 'features';
export const ONNX_PROJECTION_NAME = 'projection';

export interface OnnxExportOptions {
  /** Projection head [B, F] → [B, P], exported as the second output `projection`. */
  head?: tf.LayersModel;
  /** [H, W]: required when the encoder's input has no static size (multi-crop encoders). */
  inputSize?: [number, number];
  /** Default NCHW. */
  inputLayout?: 'NCHW' | 'NHWC';
  producerVersion?: string;
  docString?: string;
  /** Extra key/value pairs stored in the model's metadata_props (e.g. normalisation). */
  metadataProps?: Record<string, string>;
}

/** Serialised form of a functional model, as tfjs' `getConfig()` returns it. */
interface ModelConfig {
  layers: { name: string; className: string; config: Record<string, unknown>; inboundNodes: unknown[] }[];
  inputLayers: [string, number, number][];
  outputLayers: [string, number, number][];
}

type InboundRef = [string, number, number, ...unknown[]];

function modelConfig(model: tf.LayersModel): ModelConfig {
  const config = model.getConfig() as unknown as ModelConfig;
  if (!Array.isArray(config.layers) || !Array.isArray(config.inputLayers)) {
    throw new Error(`model "${model.name}" is not a functional LayersModel`);
  }
  return config;
}

function inboundRefs(entry: ModelConfig['layers'][number]): InboundRef[] {
  if (entry.inboundNodes.length > 1) {
    throw new Error(`layer "${entry.name}" (${entry.className}) is applied ${entry.inboundNodes.length} times; shared layers are not supported`);
  }
  return (entry.inboundNodes[0] ?? []) as InboundRef[];
}

const key = (layer: string, node: number, tensor: number): string => `${layer}#${node}#${tensor}`;

/** BatchNormalization layers that can be folded, keyed by the name of the layer they fold into. */
function foldablePairs(config: ModelConfig): Map<string, string> {
  const consumers = new Map<string, number>();
  for (const entry of config.layers) {
    for (const [producer] of inboundRefs(entry)) consumers.set(producer, (consumers.get(producer) ?? 0) + 1);
  }
  const outputs = new Set(config.outputLayers.map(([name]) => name));
  const byName = new Map(config.layers.map((entry) => [entry.name, entry]));
  const pairs = new Map<string, string>();
  for (const entry of config.layers) {
    if (entry.className !== 'BatchNormalization') continue;
    const refs = inboundRefs(entry);
    const producer = refs.length === 1 ? byName.get(refs[0]![0]) : undefined;
    if (!producer || !FOLDABLE_CLASSES.has(producer.className)) continue;
    const linear = (producer.config['activation'] ?? 'linear') === 'linear';
    if (linear && consumers.get(producer.name) === 1 && !outputs.has(producer.name)) pairs.set(producer.name, entry.name);
  }
  return pairs;
}

/**
 * Translates every layer of `model` into `graph`, its (single) input bound to `input`. Returns the
 * model's output value.
 */
function convertModel(graph: GraphBuilder, model: tf.LayersModel, input: OnnxValue): OnnxValue {
  const config = modelConfig(model);
  if (config.inputLayers.length !== 1 || config.outputLayers.length !== 1) {
    throw new Error(`model "${model.name}" must have one input and one output to export`);
  }
  const values = new Map<string, OnnxValue>();
  const [inputLayer] = config.inputLayers[0]!;
  values.set(key(inputLayer, 0, 0), input);
  const folds = foldablePairs(config);
  const foldedInto = new Map([...folds].map(([producer, bn]) => [bn, producer]));
  for (const entry of config.layers) {
    if (entry.className === 'InputLayer') continue;
    const refs = inboundRefs(entry);
    const inputs = refs.map(([layer, node, tensor]) => {
      const value = values.get(key(layer, node, tensor));
      if (!value) throw new Error(`layer "${entry.name}" consumes "${layer}" before it is computed`);
      return value;
    });
    let output: OnnxValue;
    const producer = foldedInto.get(entry.name);
    if (producer) {
      // Already computed by the layer it was folded into.
      output = values.get(key(producer, 0, 0))!;
    } else {
      const convert = LAYER_CONVERTERS[entry.className];
      if (!convert) {
        throw new Error(
          `cannot export layer "${entry.name}" of class ${entry.className} to ONNX; supported: ${Object.keys(LAYER_CONVERTERS).join(', ')}`,
        );
      }
      const bnName = folds.get(entry.name);
      output = convert({
        graph,
        layer: model.getLayer(entry.name),
        config: entry.config,
        inputs,
        ...(bnName ? { foldedBatchNorm: model.getLayer(bnName) } : {}),
      });
    }
    values.set(key(entry.name, 0, 0), output);
  }
  const [outLayer, outNode, outTensor] = config.outputLayers[0]!;
  const result = values.get(key(outLayer, outNode, outTensor));
  if (!result) throw new Error(`model "${model.name}": output layer "${outLayer}" was never computed`);
  return result;
}

function valueInfo(name: string, dims: (number | string)[]): ValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: ONNX_FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/** Static [H, W, C] the export is built for. */
export function exportInputShape(encoder: tf.LayersModel, inputSize?: [number, number]): [number, number, number] {
  const shape = encoder.inputs[0]?.shape;
  if (!shape || shape.length !== 4) throw new Error('the encoder must take images [B, H, W, C]');
  const [, h, w, c] = shape;
  if (typeof c !== 'number') throw new Error('the encoder input has no static channel count');
  const height = inputSize?.[0] ?? h;
  const width = inputSize?.[1] ?? w;
  if (typeof height !== 'number' || typeof width !== 'number') {
    throw new Error('the encoder input has no static height/width: pass inputSize [H, W] to export it');
  }
  if ((typeof h === 'number' && h !== height) || (typeof w === 'number' && w !== width)) {
    throw new Error(`inputSize [${height}, ${width}] differs from the encoder's fixed input [${h}, ${w}]`);
  }
  return [height, width, c];
}

/** Refuses unsupported layers before anything is written. */
export function assertOnnxExportable(model: tf.LayersModel): void {
  for (const entry of modelConfig(model).layers) {
    if (entry.className !== 'InputLayer' && !LAYER_CONVERTERS[entry.className]) {
      throw new Error(`cannot export layer "${entry.name}" of class ${entry.className} to ONNX`);
    }
  }
}

export function encoderToOnnx(encoder: tf.LayersModel, opts: OnnxExportOptions = {}): Uint8Array {
  const [h, w, c] = exportInputShape(encoder, opts.inputSize);
  const layout = opts.inputLayout ?? 'NCHW';
  const graph = new GraphBuilder();
  graph.reserve(ONNX_INPUT_NAME);
  graph.reserve(ONNX_FEATURES_NAME);
  graph.reserve(ONNX_PROJECTION_NAME);
  let input: OnnxValue = { name: ONNX_INPUT_NAME, shape: [c, h, w] };
  if (layout === 'NHWC') {
    input = { name: graph.addNode('Transpose', [ONNX_INPUT_NAME], 'input_nchw', { perm: [0, 3, 1, 2] }), shape: [c, h, w] };
  }
  const features = convertModel(graph, encoder, input);
  if (features.shape.length !== 1) throw new Error(`the encoder output must be [B, F], got rank ${features.shape.length + 1}`);
  // Graph outputs get stable names through Identity nodes (cheap, and they keep inner names intact).
  graph.nodes.push({ name: 'features/Identity', opType: 'Identity', input: [features.name], output: [ONNX_FEATURES_NAME] });
  const outputs = [valueInfo(ONNX_FEATURES_NAME, ['batch', features.shape[0]!])];
  if (opts.head) {
    const projection = convertModel(graph, opts.head, { name: ONNX_FEATURES_NAME, shape: features.shape });
    if (projection.shape.length !== 1) throw new Error('the projection head output must be [B, P]');
    graph.nodes.push({ name: 'projection/Identity', opType: 'Identity', input: [projection.name], output: [ONNX_PROJECTION_NAME] });
    outputs.push(valueInfo(ONNX_PROJECTION_NAME, ['batch', projection.shape[0]!]));
  }
  const model: ModelProto = {
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'contrastive-workbench',
    producerVersion: opts.producerVersion ?? '',
    docString: opts.docString ?? '',
    graph: {
      name: encoder.name,
      node: graph.nodes,
      initializer: graph.initializers,
      input: [valueInfo(ONNX_INPUT_NAME, layout === 'NCHW' ? ['batch', c, h, w] : ['batch', h, w, c])],
      output: outputs,
    },
    metadataProps: Object.entries(opts.metadataProps ?? {}).map(([k, value]) => ({ key: k, value })),
  };
  return encodeModelProto(model);
}
