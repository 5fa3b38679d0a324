/**
 * Calling tfjs-backend-wasm's own kernels from inside another kernel (the way backends compose
 * kernels): no tensors, no tape, just TensorInfos that the caller must release with `disposeData`.
 */
import { tf } from '../tfjs';

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

/** Marks the kernels this module put in place, so registering again (every activation) is a no-op. */
const REPLACED = Symbol('cwb.replacedWasmKernel');

/** Whether wasm's `name` kernel is already one installed by `installWasmKernel`. */
export function isReplacedWasmKernel(name: string): boolean {
  const current = tf.getKernel(name, 'wasm');
  return Boolean(current && (current.kernelFunc as unknown as Record<symbol, boolean>)[REPLACED]);
}

/** wasm's own `name` kernel, to wrap; undefined when wasm has none or it was replaced already. */
export function wasmKernelToReplace(name: string): RawKernel | undefined {
  if (isReplacedWasmKernel(name)) return undefined;
  return tf.getKernel(name, 'wasm')?.kernelFunc as unknown as RawKernel | undefined;
}

/** Put `kernel` in place of wasm's `name` kernel (or add it), marked so it is installed once. */
export function installWasmKernel(name: string, kernel: object): void {
  (kernel as Record<symbol, boolean>)[REPLACED] = true;
  if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: kernel as tf.KernelFunc });
}

export function wasmKernel(name: string): RawKernel {
  const config = tf.getKernel(name, 'wasm');
  if (!config) throw new Error(`wasm backend has no ${name} kernel`);
  return config.kernelFunc as unknown as RawKernel;
}

export interface HeapBackend extends WasmBackendLike {
  /** A Float32Array view of a tensor's memory; invalid once the wasm heap grows (re-take it after allocating). */
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}

type Shape4 = [number, number, number, number];

/** The Conv2DInfo of a convolution kernel's attributes (dilation 1), which must be NHWC. */
export function nhwcConv2DInfo(
  kernelName: string,
  xShape: Shape4,
  filterShape: Shape4,
  attrs: {
    strides: [number, number] | number;
    pad: Pad;
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
  },
): tf.backend_util.Conv2DInfo {
  const format = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat);
  if (format !== 'channelsLast')
    throw new Error(`${kernelName} on wasm supports only NHWC, got ${attrs.dataFormat}`);
  return tf.backend_util.computeConv2DInfo(
    xShape,
    filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    format,
  );
}

/** A Conv2DInfo's sizes under short names: input b×h×w×c, output oh×ow×o, filter kh×kw, strides, top/left padding. */
export function convDims(info: tf.backend_util.Conv2DInfo) {
  return {
    b: info.batchSize,
    h: info.inHeight,
    w: info.inWidth,
    c: info.inChannels,
    oh: info.outHeight,
    ow: info.outWidth,
    o: info.outChannels,
    kh: info.filterHeight,
    kw: info.filterWidth,
    sh: info.strideHeight,
    sw: info.strideWidth,
    top: info.padInfo.top,
    left: info.padInfo.left,
  };
}

/** wasm's Conv2D (NHWC, strides and dilations 1) of x by filter, padding [top, bottom] and [left, right]. */
export function stride1Conv2D(
  backend: WasmBackendLike,
  x: TensorInfo,
  filter: TensorInfo,
  padHeight: [number, number],
  padWidth: [number, number],
): TensorInfo {
  return wasmKernel('Conv2D')({
    inputs: { x, filter },
    backend,
    attrs: {
      strides: [1, 1],
      dilations: [1, 1],
      pad: [[0, 0], padHeight, padWidth, [0, 0]],
      dataFormat: 'NHWC',
    },
  });
}
