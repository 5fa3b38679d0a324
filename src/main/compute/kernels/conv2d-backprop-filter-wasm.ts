/**
 * `Conv2DBackpropFilter` for tfjs-backend-wasm 4.22, which ships no such kernel (so the gradient of
 * every convolution, fused or not, throws on wasm and no conv net can train there).
 *
 * The filter gradient is, for every filter tap (p, q), one matrix product over K = B·OH·OW rows:
 *
 *   dW[p, q, c, o] = Σ_{b, i, j} xpad[b, p + i·s, q + j·s, c] · dy[b, i, j, o]
 *                  = (X_pq [C, K]) · (dy' [K, O]),   dy' = dy as [OH, OW, B, O] rows.
 *
 * X_pq, the input seen by tap (p, q) with the batch innermost, is copied out of x transposed to
 * [C, H, W, B] (whole rows of OW·B values at stride 1, runs of B values at stride 2; zeros where the
 * tap reads padding). The products run on XNNPACK, which packs dy' once and reuses it for every tap
 * (its operator cache is keyed by the tensor). Taps are stacked G at a time (G·C rows) so that
 * narrow inputs (an RGB stem) still give XNNPACK enough rows. The previous form, one dilated
 * convolution of x by dy, packed dy through a slower path and was ~1.2–2× slower (measured in the
 * speed branch's report). Sums are exact up to float32 summation order. Registered for wasm only.
 *
 * Preferred over that: the same sum as a direct, register-blocked WebAssembly SIMD kernel of our own
 * (`native/conv2d-backprop-filter.c`, run in the backend's memory by `native-kernels.ts`), which reads
 * x and dy where they are and packs nothing. The XNNPACK form above stays as the fallback when that
 * module is not built or cannot load (and with `CWB_WASM_FILTER_KERNEL=xnnpack`).
 */
import { tf } from '../tfjs';

import {
  convDims,
  type HeapBackend,
  nhwcConv2DInfo,
  type Pad,
  type TensorInfo,
  wasmKernel,
} from './wasm-kernel-call';
import { type Conv2DBackpropFilterFn, simdConv2DBackpropFilter } from './native-kernels';
import { winogradApplies, winogradFilterGrad, winogradFunctions } from './winograd-wasm';

interface BackpropFilterAttrs {
  strides: [number, number] | number;
  pad: Pad;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/** Rows of stacked taps per product: enough for XNNPACK's tiles, at most ~16 MB of copies. */
const TARGET_ROWS = 48;
const MAX_STACK_VALUES = 4 * 2 ** 20;

interface BackpropFilterArgs {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: unknown;
  attrs: BackpropFilterAttrs;
}

/** The kernel's inputs, backend and sizes (convDims) from its arguments. */
function unpack(args: BackpropFilterArgs) {
  const backend = args.backend as HeapBackend;
  const { x, dy } = args.inputs;
  const info = nhwcConv2DInfo(
    'Conv2DBackpropFilter',
    x.shape as [number, number, number, number],
    args.attrs.filterShape,
    args.attrs,
  );
  return { backend, x, dy, ...convDims(info) };
}

/** The kernel body: inputs x [B, H, W, Cin] and dy [B, OH, OW, Cout] → dW [KH, KW, Cin, Cout]. */
export function conv2DBackpropFilterViaMatMul(args: BackpropFilterArgs): TensorInfo {
  const { backend, x, dy, b, h, w, c, oh, ow, o, kh, kw, sh, sw, top, left } = unpack(args);
  const k = oh * ow * b;
  const taps = kh * kw;
  const perProduct = Math.max(
    1,
    Math.min(taps, Math.floor(TARGET_ROWS / c), Math.floor(MAX_STACK_VALUES / (c * k))),
  );

  const transpose = wasmKernel('Transpose');
  const reshape = wasmKernel('Reshape');
  const matMul = wasmKernel('BatchMatMul');
  const xT = transpose({ inputs: { x }, backend, attrs: { perm: [3, 1, 2, 0] } }); // [C, H, W, B]
  const dyT = transpose({ inputs: { x: dy }, backend, attrs: { perm: [1, 2, 0, 3] } }); // [OH, OW, B, O]
  const dyRows = reshape({ inputs: { x: dyT }, backend, attrs: { shape: [1, k, o] } });
  const stack = backend.makeOutput([1, perProduct * c, k], 'float32');
  const out = backend.makeOutput([kh, kw, c, o], 'float32');
  const rowLength = ow * b;

  for (let first = 0; first < taps; first += perProduct) {
    const count = Math.min(perProduct, taps - first);
    const src = backend.typedArrayFromHeap(xT);
    const dst = backend.typedArrayFromHeap(stack);
    for (let t = 0; t < count; t++) {
      const p = Math.floor((first + t) / kw);
      const q = (first + t) % kw;
      // Output columns j whose input column j·sw + q − left lies inside the image: [j0, j1).
      const j0 = Math.min(ow, Math.max(0, Math.ceil((left - q) / sw)));
      const j1 = Math.max(j0, Math.min(ow, Math.floor((w - 1 - q + left) / sw) + 1));
      for (let ci = 0; ci < c; ci++) {
        for (let i = 0; i < oh; i++) {
          const row = ((t * c + ci) * oh + i) * rowLength;
          const hh = i * sh + p - top;
          if (hh < 0 || hh >= h || j1 === j0) {
            dst.fill(0, row, row + rowLength);
            continue;
          }
          if (j0 > 0) dst.fill(0, row, row + j0 * b);
          if (j1 < ow) dst.fill(0, row + j1 * b, row + rowLength);
          const base = (ci * h + hh) * w * b;
          if (sw === 1) {
            const from = base + (j0 + q - left) * b;
            dst.set(src.subarray(from, from + (j1 - j0) * b), row + j0 * b);
          } else {
            for (let j = j0; j < j1; j++) {
              const from = base + (j * sw + q - left) * b;
              dst.set(src.subarray(from, from + b), row + j * b);
            }
          }
        }
      }
    }
    let rows = stack;
    if (count < perProduct) {
      // The last, shorter stack: its first count·C rows, contiguous, as a tensor of their own.
      rows = backend.makeOutput([1, count * c, k], 'float32');
      backend
        .typedArrayFromHeap(rows)
        .set(backend.typedArrayFromHeap(stack).subarray(0, count * c * k));
    }
    const part = matMul({
      inputs: { a: rows, b: dyRows },
      backend,
      attrs: { transposeA: false, transposeB: false },
    });
    backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(part), first * c * o);
    backend.disposeData(part.dataId);
    if (rows !== stack) backend.disposeData(rows.dataId);
  }
  for (const t of [xT, dyT, dyRows, stack]) backend.disposeData(t.dataId);
  return out;
}

/** The kernel body on the SIMD module's function `simd`: dW written in place, no copies. */
export function conv2DBackpropFilterViaSimd(args: BackpropFilterArgs, simd: Conv2DBackpropFilterFn): TensorInfo {
  const { backend, x, dy, b, h, w, c, oh, ow, o, kh, kw, sh, sw, top, left } = unpack(args);
  const out = backend.makeOutput([kh, kw, c, o], 'float32');
  // Byte offsets into the heap; taken after makeOutput, which may grow (and move views of) the heap.
  const at = (t: TensorInfo) => backend.typedArrayFromHeap(t).byteOffset;
  simd(at(x), at(dy), at(out), b, h, w, c, oh, ow, o, kh, kw, sh, sw, top, left);
  return out;
}

/** The registered kernel: Winograd for 3×3 stride-1 layers, else the SIMD module when it loads, the XNNPACK form otherwise. */
export function conv2DBackpropFilterWasm(args: BackpropFilterArgs): TensorInfo {
  const parts = unpack(args);
  if (winogradApplies(parts)) {
    const fns = winogradFunctions(args.backend);
    if (fns) return winogradFilterGrad(fns, parts.backend, parts.x, parts.dy, parts);
  }
  const simd = simdConv2DBackpropFilter(args.backend);
  return simd ? conv2DBackpropFilterViaSimd(args, simd) : conv2DBackpropFilterViaMatMul(args);
}

/** Register the kernel on wasm when it is missing (idempotent; a later tfjs that ships one wins). */
export function registerWasmConv2DBackpropFilter(): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: conv2DBackpropFilterWasm as unknown as tf.KernelFunc,
  });
}
