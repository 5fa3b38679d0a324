/**
 * 3×3 stride-1 convolutions on wasm by Winograd's minimal filtering F(2×2, 3×3) (Lavin & Gray 2016):
 * the forward `Conv2D`, the input gradient (the same convolution of dy by the filter rotated 180° with
 * its channels swapped) and the filter gradient (the chain rule through the same transform), as one
 * WebAssembly SIMD module of our own (`native/winograd.c`) working in tfjs-backend-wasm's memory.
 *
 * A 3×3 stride-1 layer is most of a ResNet's work (13 of ResNet-18-CIFAR's 20 convolutions, ≈ 88 % of
 * its multiply-adds), and XNNPACK computes it directly: 36 multiplies per 2×2 outputs and channel
 * pair, where F(2×2, 3×3) needs 16 after transforms that cost additions only. The transforms change
 * float32 rounding (not the result): tests hold it to the direct convolution on cpu.
 *
 * Used where it applies (`winogradApplies`: 3×3, stride 1, dilation 1, NHWC, float32, and wide enough
 * that the transforms pay — by measurement, docs/BENCHMARKS.md) unless `CWB_WASM_CONV_KERNEL=xnnpack`.
 */
import type { HeapBackend, TensorInfo } from './wasm-kernel-call';
import { winogradKernel } from './native-kernels';

/** A convolution's sizes (convDims). */
export interface ConvShape {
  b: number;
  h: number;
  w: number;
  c: number;
  oh: number;
  ow: number;
  o: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  top: number;
  left: number;
}

/** Smallest channel count on either side for which the transforms pay (measured; see the module comment). */
export const WINOGRAD_MIN_CHANNELS = 32;

/** Whether a convolution of these sizes runs as Winograd F(2×2, 3×3). */
export function winogradApplies(d: ConvShape): boolean {
  return (
    d.kh === 3 &&
    d.kw === 3 &&
    d.sh === 1 &&
    d.sw === 1 &&
    d.c >= WINOGRAD_MIN_CHANNELS &&
    d.o >= WINOGRAD_MIN_CHANNELS &&
    d.oh >= 2 &&
    d.ow >= 2
  );
}

const pad8 = (n: number) => Math.ceil(n / 8) * 8;

/**
 * Tiles per chunk: the transformed input of one transform position (tc × C floats) about 256 KB, so
 * it stays in the level-2 cache while every panel of output channels passes over it.
 */
export function tilesPerChunk(c: number, tiles: number): number {
  const tc = Math.max(16, Math.floor(65536 / Math.max(1, c)) & ~3);
  return Math.min(tc, Math.max(1, tiles));
}

/**
 * Tiles per chunk of the filter gradient: its product sums over the chunk's tiles for every block of
 * channels, so the chunk's transformed input and dy of one position (tc × (C + O) floats) should stay
 * well inside the level-2 cache — 64–256 tiles (measured: 1024 was up to 1.5× slower).
 */
export function tilesPerChunkForGrad(channels: number, tiles: number): number {
  const tc = Math.max(64, Math.min(256, Math.floor(65536 / Math.max(1, channels)) & ~3));
  return Math.min(tc, Math.max(1, tiles));
}

type Fn = (...args: number[]) => void;
interface WinogradFns {
  filter: Fn;
  conv: Fn;
  filterGrad: Fn;
}

/** The module's three functions for this backend, or undefined (turned off or not loadable). */
export function winogradFunctions(backend: unknown): WinogradFns | undefined {
  const exports = winogradKernel(backend);
  if (!exports) return undefined;
  const filter = exports['winograd_filter'];
  const conv = exports['winograd_conv2d'];
  const filterGrad = exports['winograd_filter_grad'];
  if (typeof filter !== 'function' || typeof conv !== 'function' || typeof filterGrad !== 'function') return undefined;
  return { filter: filter as Fn, conv: conv as Fn, filterGrad: filterGrad as Fn };
}

/** Byte offset of a tensor in the heap (take it after every allocation: the heap may have grown). */
const at = (backend: HeapBackend, t: TensorInfo) => backend.typedArrayFromHeap(t).byteOffset;

/**
 * y = conv(x, filter) for a 3×3 stride-1 convolution of sizes `d`. `flip`: the filter is used rotated
 * 180° with its channels swapped (the input gradient: x is then dy and d the sizes of that convolution).
 */
export function winogradConv2D(
  fns: WinogradFns,
  backend: HeapBackend,
  x: TensorInfo,
  filter: TensorInfo,
  d: Pick<ConvShape, 'b' | 'h' | 'w' | 'c' | 'oh' | 'ow' | 'o' | 'top' | 'left'>,
  flip: boolean,
): TensorInfo {
  const op = pad8(d.o);
  const tiles = d.b * Math.ceil(d.oh / 2) * Math.ceil(d.ow / 2);
  const tc = tilesPerChunk(d.c, tiles);
  const y = backend.makeOutput([d.b, d.oh, d.ow, d.o], 'float32');
  const u = backend.makeOutput([16 * op * d.c], 'float32');
  const scratch = backend.makeOutput([16 * tc * (d.c + op)], 'float32');
  fns.filter(at(backend, filter), at(backend, u), d.c, d.o, flip ? 1 : 0);
  fns.conv(at(backend, x), at(backend, u), at(backend, y), at(backend, scratch), d.b, d.h, d.w, d.c, d.oh, d.ow, d.o, d.top, d.left, tc);
  backend.disposeData(u.dataId);
  backend.disposeData(scratch.dataId);
  return y;
}

/** dW [3, 3, C, O] of the 3×3 stride-1 convolution of x by sizes `d`, given dy. */
export function winogradFilterGrad(
  fns: WinogradFns,
  backend: HeapBackend,
  x: TensorInfo,
  dy: TensorInfo,
  d: Pick<ConvShape, 'b' | 'h' | 'w' | 'c' | 'oh' | 'ow' | 'o' | 'top' | 'left'>,
): TensorInfo {
  const op = pad8(d.o);
  const tiles = d.b * Math.ceil(d.oh / 2) * Math.ceil(d.ow / 2);
  const tc = tilesPerChunkForGrad(d.c + op, tiles);
  const dw = backend.makeOutput([3, 3, d.c, d.o], 'float32');
  const scratch = backend.makeOutput([16 * tc * (d.c + op) + 16 * d.c * op], 'float32');
  fns.filterGrad(at(backend, x), at(backend, dy), at(backend, dw), at(backend, scratch), d.b, d.h, d.w, d.c, d.oh, d.ow, d.o, d.top, d.left, tc);
  backend.disposeData(scratch.dataId);
  return dw;
}

/** The sizes of the input gradient's convolution (dy by the flipped filter) for a forward of sizes `d`. */
export function inputGradShape(d: ConvShape): Pick<ConvShape, 'b' | 'h' | 'w' | 'c' | 'oh' | 'ow' | 'o' | 'top' | 'left'> {
  return { b: d.b, h: d.oh, w: d.ow, c: d.o, oh: d.h, ow: d.w, o: d.c, top: d.kh - 1 - d.top, left: d.kw - 1 - d.left };
}
