/**
 * Zero-copy `Identity` for tfjs-backend-wasm 4.22, whose kernel copies the whole tensor. The engine
 * runs Identity for every tensor it saves for the backward pass (`saveTensorsForBackwardMode` clones
 * them), so a training step copied each activation once more (~330 copies a step for a small ResNet).
 * Tensor data is immutable in tfjs (variables swap their data id on assign), so, as the cpu backend
 * does, the output shares the input's memory and bumps its reference count. Strings go to the
 * original kernel. Registered for wasm only.
 */
import {
  installWasmKernel,
  wasmKernelToReplace,
  type RawKernel,
  type TensorInfo,
} from './wasm-kernel-call';

interface RefCountingBackend {
  incRef(dataId: object): void;
}

export function registerWasmIdentity(): void {
  const original = wasmKernelToReplace('Identity');
  if (!original) return;
  const identity = (args: { inputs: { x: TensorInfo }; backend: unknown }): TensorInfo => {
    const { x } = args.inputs;
    if (x.dtype === 'string') return original(args as unknown as Parameters<RawKernel>[0]);
    (args.backend as RefCountingBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  installWasmKernel('Identity', identity);
}
