/**
 * Calling tfjs-backend-wasm's own kernels from inside another kernel (the way backends compose
 * kernels): no tensors, no tape, just TensorInfos that the caller must release with `disposeData`.
 */
import { tf } from '../tf';

export type TensorInfo = tf.TensorInfo;
export type Pad =
  | 'valid'
  | 'same'
  | number
  | [[number, number], [number, number], [number, number], [number, number]];
export type RawKernel = (args: {
  inputs: Record<string, TensorInfo>;
  backend: unknown;
  attrs?: Record<string, unknown>;
}) => TensorInfo;

export interface WasmBackendLike {
  makeOutput(
    shape: number[],
    dtype: string,
    memoryOffset?: number,
    values?: Float32Array,
  ): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
}

export function wasmKernel(name: string): RawKernel {
  const config = tf.getKernel(name, 'wasm');
  if (!config) throw new Error(`wasm backend has no ${name} kernel`);
  return config.kernelFunc as unknown as RawKernel;
}
