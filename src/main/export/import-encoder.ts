/**
 * An ONNX encoder — exported here or made elsewhere (e.g. `torch.onnx.export` of a torchvision
 * backbone) — loaded with onnxruntime-node as a frozen feature extractor for downstream evaluation
 * (kNN, linear probe) on another dataset. The input size and layout come from `metadata.json` when the
 * file sits in an export folder, else from the graph's declared input shape.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { imageCount, nhwcToNchw, normalizeNhwc, type ImageSize } from './image-layout';
import { readMetadata, type ExportMetadata, type Normalization } from './metadata';
import { decodeModelProto, type DimensionProto } from './onnx/schema';
import { ONNX_FEATURES_NAME } from './onnx/writer';

export const ONNX_FILE = 'model.onnx';

export interface LoadOnnxEncoderOptions {
  /** Needed when neither metadata nor the graph fixes H and W. */
  inputSize?: ImageSize;
  /** Override (or supply, for external models) the input layout. */
  layout?: 'NCHW' | 'NHWC';
  /** Normalisation for external models without metadata.json. */
  normalization?: Normalization;
  /** Images per onnxruntime call (bounds memory). Default 64. */
  batchSize?: number;
}

export interface EmbedOptions {
  /** The images are already normalised: skip (x − mean) / std. */
  normalized?: boolean;
}

export interface FrozenOnnxEncoder {
  inputSize: ImageSize;
  layout: 'NCHW' | 'NHWC';
  /** Width D of the returned features; known after the first embed() for models with dynamic outputs. */
  outputDim: number | undefined;
  metadata: ExportMetadata | undefined;
  /** Images NHWC float32 [N, H, W, C], pixels in the metadata's range → features [N, D], row-major. */
  embed(images: Float32Array, opts?: EmbedOptions): Promise<Float32Array>;
  dispose(): Promise<void>;
}

function staticDim(dim: DimensionProto | undefined): number | undefined {
  return typeof dim?.dimValue === 'number' && dim.dimValue > 0 ? dim.dimValue : undefined;
}

interface GraphSignature {
  inputName: string;
  inputDims: (number | undefined)[];
  outputName: string;
  outputDim: number | undefined;
}

/** The first real graph input (initializers may be listed as inputs in older IR versions). */
function graphSignature(bytes: Uint8Array): GraphSignature {
  const graph = decodeModelProto(bytes).graph;
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name));
  const input = (graph.input ?? []).find((v) => !initializers.has(v.name));
  const outputs = graph.output ?? [];
  const output = outputs.find((v) => v.name === ONNX_FEATURES_NAME) ?? outputs[0];
  if (!input || !output) throw new Error('the ONNX graph declares no input or no output');
  const inputDims = (input.type?.tensorType?.shape?.dim ?? []).map(staticDim);
  const outDims = output.type?.tensorType?.shape?.dim ?? [];
  return { inputName: input.name, inputDims, outputName: output.name, outputDim: staticDim(outDims[outDims.length - 1]) };
}

function guessLayout(dims: (number | undefined)[]): 'NCHW' | 'NHWC' {
  const isChannels = (d: number | undefined): boolean => d === 1 || d === 3;
  if (isChannels(dims[3]) && !isChannels(dims[1])) return 'NHWC';
  return 'NCHW';
}

function resolveInputSize(
  dims: (number | undefined)[],
  layout: 'NCHW' | 'NHWC',
  metadata: ExportMetadata | undefined,
  override: ImageSize | undefined,
): ImageSize {
  if (override) return override;
  if (metadata) return metadata.encoder.inputSize;
  if (dims.length !== 4) throw new Error(`the ONNX input has rank ${dims.length}; an image encoder takes [N, C, H, W] or [N, H, W, C]`);
  const [c, h, w] = layout === 'NCHW' ? [dims[1], dims[2], dims[3]] : [dims[3], dims[1], dims[2]];
  if (!c || !h || !w) throw new Error('the ONNX input has a dynamic size: pass inputSize { height, width, channels }');
  return { height: h, width: w, channels: c };
}

/** `path` is an .onnx file or an export folder holding model.onnx (+ metadata.json). */
export async function loadOnnxEncoder(path: string, opts: LoadOnnxEncoderOptions = {}): Promise<FrozenOnnxEncoder> {
  const file = (await stat(path)).isDirectory() ? join(path, ONNX_FILE) : path;
  const metadata = await readMetadata(dirname(file));
  const bytes = new Uint8Array(await readFile(file));
  const signature = graphSignature(bytes);
  const layout = opts.layout ?? metadata?.encoder.layout ?? guessLayout(signature.inputDims);
  const inputSize = resolveInputSize(signature.inputDims, layout, metadata, opts.inputSize);
  const normalization = opts.normalization ?? metadata?.encoder.normalization;
  const batchSize = opts.batchSize ?? 64;
  const session = await ort.InferenceSession.create(bytes);
  let outputDim = metadata?.encoder.outputDim ?? signature.outputDim;
  const { height, width, channels } = inputSize;
  const perImage = height * width * channels;

  return {
    inputSize,
    layout,
    get outputDim() {
      return outputDim;
    },
    metadata,
    async embed(images, embedOpts = {}) {
      const n = imageCount(images, inputSize);
      const ready = normalization && !embedOpts.normalized ? normalizeNhwc(images, channels, normalization.mean, normalization.std) : images;
      const chunks: Float32Array[] = [];
      for (let start = 0; start < n; start += batchSize) {
        const b = Math.min(batchSize, n - start);
        const slice = ready.subarray(start * perImage, (start + b) * perImage);
        const tensor =
          layout === 'NCHW'
            ? new ort.Tensor('float32', nhwcToNchw(slice, inputSize), [b, channels, height, width])
            : new ort.Tensor('float32', Float32Array.from(slice), [b, height, width, channels]);
        const result = (await session.run({ [signature.inputName]: tensor }, [signature.outputName]))[signature.outputName];
        if (!result || !(result.data instanceof Float32Array)) throw new Error(`the ONNX model returned no float32 "${signature.outputName}"`);
        const dim = result.data.length / b;
        if (outputDim !== undefined && dim !== outputDim) throw new Error(`the ONNX model returned ${dim} features per image, expected ${outputDim}`);
        outputDim = dim;
        chunks.push(Float32Array.from(result.data));
      }
      const out = new Float32Array(n * (outputDim ?? 0));
      let offset = 0;
      for (const chunk of chunks) {
        out.set(chunk, offset);
        offset += chunk.length;
      }
      return out;
    },
    async dispose() {
      await session.release();
    },
  };
}
