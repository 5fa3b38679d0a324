/**
 * Zero-copy `Identity` for tfjs-backend-wasm 4.22, whose kernel copies the whole tensor. The engine
 * runs Identity for every tensor it saves for the backward pass (`saveTensorsForBackwardMode` clones
 * them), so a training step copied each activation once more (~330 copies a step for a small ResNet).
 * Tensor data is immutable in tfjs (variables swap their data id on assign), so, as the cpu backend
 * does, the output shares the input's memory and bumps its reference count. Strings go to the
 * original kernel. Registered for wasm only.
 */
import { tf } from '../tf';
import type { RawKernel, TensorInfo } from './wasm-kernel-call';

const REPLACED = Symbol('cwb.identityShared');

interface RefCountingBackend {
  incRef(dataId: object): void;
}

export function registerWasmIdentity(): void {
  const current = tf.getKernel('Identity', 'wasm');
  if (!current || (current.kernelFunc as unknown as Record<symbol, boolean>)[REPLACED]) return;
  const original = current.kernelFunc as unknown as RawKernel;
  const identity = (args: { inputs: { x: TensorInfo }; backend: unknown }): TensorInfo => {
    const { x } = args.inputs;
    if (x.dtype === 'string') return original(args as unknown as Parameters<RawKernel>[0]);
    (args.backend as RefCountingBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  (identity as unknown as Record<symbol, boolean>)[REPLACED] = true;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({
    kernelName: 'Identity',
    backendName: 'wasm',
    kernelFunc: identity as unknown as tf.KernelFunc,
  });
}
