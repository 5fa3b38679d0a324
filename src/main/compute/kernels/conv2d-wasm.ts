/**
 * wasm's forward `Conv2D` with its 3×3 stride-1 layers as Winograd F(2×2, 3×3) (`winograd-wasm.ts`);
 * every other convolution (and every layer when the module is off or missing) goes to tfjs-backend-wasm's
 * own XNNPACK kernel unchanged. Registered for wasm only.
 */
import {
  convDims,
  type HeapBackend,
  installWasmKernel,
  nhwcConv2DInfo,
  type Pad,
  type RawKernel,
  type TensorInfo,
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

const isOne = (v: [number, number] | number | undefined) => v === undefined || (Array.isArray(v) ? v[0] === 1 && v[1] === 1 : v === 1);

export function registerWasmConv2D(): void {
  const original = wasmKernelToReplace('Conv2D');
  if (!original) return;
  const conv2D = (args: { inputs: { x: TensorInfo; filter: TensorInfo }; backend: unknown; attrs: Conv2DAttrs }): TensorInfo => {
    const { inputs, attrs } = args;
    const { x, filter } = inputs;
    if (
      x.dtype === 'float32' &&
      filter.dtype === 'float32' &&
      x.shape.length === 4 &&
      filter.shape.length === 4 &&
      attrs.dataFormat !== 'NCHW' &&
      isOne(attrs.dilations)
    ) {
      const dims = convDims(
        nhwcConv2DInfo('Conv2D', x.shape as [number, number, number, number], filter.shape as [number, number, number, number], {
          ...attrs,
          dataFormat: 'NHWC',
        }),
      );
      if (winogradApplies(dims)) {
        const fns = winogradFunctions(args.backend);
        if (fns) return winogradConv2D(fns, args.backend as HeapBackend, x, filter, dims, false);
      }
    }
    return original(args as unknown as Parameters<RawKernel>[0]);
  };
  installWasmKernel('Conv2D', conv2D);
}
