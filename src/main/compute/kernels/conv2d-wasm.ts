/**
 * wasm's forward `Conv2D` and `FusedConv2D` with their 3×3 stride-1 layers as Winograd F(2×2, 3×3)
 * (`winograd-wasm.ts`); every other convolution (and every layer when the module is off or missing)
 * goes to tfjs-backend-wasm's own XNNPACK kernel unchanged. `FusedConv2D` is what tf.layers' conv
 * layers run at inference (an exported encoder reloaded, say): routing it too keeps a model and its
 * reload on the same kernel, so their outputs stay identical. Its bias and a linear or ReLU activation
 * are applied after the convolution by wasm's own Add and Relu; other activations go to XNNPACK.
 * Registered for wasm only.
 */
import {
  convDims,
  type HeapBackend,
  installWasmKernel,
  nhwcConv2DInfo,
  type Pad,
  type RawKernel,
  type TensorInfo,
  wasmKernel,
  wasmKernelToReplace,
} from './wasm-kernel-call';
import { winogradApplies, winogradConv2D, winogradFunctions } from './winograd-wasm';

interface Conv2DAttrs {
  strides: [number, number] | number;
  pad: Pad;
  dataFormat: 'NHWC' | 'NCHW';
  dilations?: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

const isOne = (v: [number, number] | number | undefined) =>
  v === undefined || (Array.isArray(v) ? v[0] === 1 && v[1] === 1 : v === 1);

/** The Winograd output for a Conv2D-shaped call, or undefined when it does not apply or is off. */
function viaWinograd(
  x: TensorInfo,
  filter: TensorInfo,
  attrs: Conv2DAttrs,
  backend: unknown,
): TensorInfo | undefined {
  if (
    x.dtype === 'float32' &&
    filter.dtype === 'float32' &&
    x.shape.length === 4 &&
    filter.shape.length === 4 &&
    attrs.dataFormat !== 'NCHW' &&
    isOne(attrs.dilations)
  ) {
    const dims = convDims(
      nhwcConv2DInfo(
        'Conv2D',
        x.shape as [number, number, number, number],
        filter.shape as [number, number, number, number],
        {
          ...attrs,
          dataFormat: 'NHWC',
        },
      ),
    );
    if (winogradApplies(dims)) {
      const fns = winogradFunctions(backend);
      if (fns) return winogradConv2D(fns, backend as HeapBackend, x, filter, dims, false);
    }
  }
  return undefined;
}

interface FusedInputs {
  x: TensorInfo;
  filter: TensorInfo;
  bias?: TensorInfo;
  preluActivationWeights?: TensorInfo;
}

export function registerWasmConv2D(): void {
  const original = wasmKernelToReplace('Conv2D');
  if (original) {
    const conv2D = (args: {
      inputs: { x: TensorInfo; filter: TensorInfo };
      backend: unknown;
      attrs: Conv2DAttrs;
    }): TensorInfo =>
      viaWinograd(args.inputs.x, args.inputs.filter, args.attrs, args.backend) ??
      original(args as unknown as Parameters<RawKernel>[0]);
    installWasmKernel('Conv2D', conv2D);
  }
  const fused = wasmKernelToReplace('FusedConv2D');
  if (fused) {
    const fusedConv2D = (args: {
      inputs: FusedInputs;
      backend: unknown;
      attrs: Conv2DAttrs & { activation?: string };
    }): TensorInfo => {
      const { x, filter, bias, preluActivationWeights } = args.inputs;
      const activation = args.attrs.activation ?? 'linear';
      const simple =
        (activation === 'linear' || activation === 'relu') &&
        !preluActivationWeights &&
        (!bias || bias.dtype === 'float32');
      const y = simple ? viaWinograd(x, filter, args.attrs, args.backend) : undefined;
      if (!y) return fused(args as unknown as Parameters<RawKernel>[0]);
      const backend = args.backend as HeapBackend;
      let out = y;
      if (bias) {
        const added = wasmKernel('Add')({ inputs: { a: out, b: bias }, backend });
        backend.disposeData(out.dataId);
        out = added;
      }
      if (activation === 'relu') {
        const rectified = wasmKernel('Relu')({ inputs: { x: out }, backend });
        backend.disposeData(out.dataId);
        out = rectified;
      }
      return out;
    };
    installWasmKernel('FusedConv2D', fusedConv2D);
  }
}
