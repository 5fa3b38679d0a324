/**
 * Fix for tfjs-backend-wasm 4.22's `OneHot` with a float dtype: the C++ kernel always writes int32
 * values, so `tf.oneHot(i, n, 1, 0, 'float32')` on wasm returns bit patterns like 1.4e-45 instead of
 * 1 (silently wrong one-hot labels and selections). The replacement runs the original kernel in
 * int32 with on = 1, off = 0, casts, and maps x ↦ x·on + (1 − x)·off, which yields `on` and `off`
 * exactly. int32 requests go straight to the original kernel. Registered for wasm only.
 */

import {
  installWasmKernel,
  wasmKernel,
  wasmKernelToReplace,
  type RawKernel,
  type TensorInfo,
  type WasmBackendLike,
} from './wasm-kernel-call';

interface OneHotAttrs {
  dtype: string;
  depth: number;
  onValue: number;
  offValue: number;
}

export function registerWasmOneHotFloatFix(): void {
  const originalFunc = wasmKernelToReplace('OneHot');
  if (!originalFunc) return;

  const fixed = (args: {
    inputs: Record<string, TensorInfo>;
    backend: unknown;
    attrs: OneHotAttrs;
  }): TensorInfo => {
    const { attrs } = args;
    if (attrs.dtype === 'int32') return originalFunc(args as unknown as Parameters<RawKernel>[0]);
    const backend = args.backend as WasmBackendLike;
    const cast = wasmKernel('Cast');
    const multiply = wasmKernel('Multiply');
    const subtract = wasmKernel('Sub');
    const add = wasmKernel('Add');
    const scalar = (v: number): TensorInfo =>
      backend.makeOutput([], 'float32', undefined, Float32Array.of(v));
    const ints = originalFunc({
      ...args,
      attrs: { ...attrs, dtype: 'int32', onValue: 1, offValue: 0 },
    } as unknown as Parameters<RawKernel>[0]);
    const x = cast({ inputs: { x: ints }, backend, attrs: { dtype: 'float32' } });
    const [on, off, one] = [scalar(attrs.onValue), scalar(attrs.offValue), scalar(1)];
    const onPart = multiply({ inputs: { a: x, b: on }, backend });
    const notX = subtract({ inputs: { a: one, b: x }, backend });
    const offPart = multiply({ inputs: { a: notX, b: off }, backend });
    const out = add({ inputs: { a: onPart, b: offPart }, backend });
    for (const t of [ints, x, on, off, one, onPart, notX, offPart]) backend.disposeData(t.dataId);
    return out;
  };
  installWasmKernel('OneHot', fixed);
}
