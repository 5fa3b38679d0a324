/**
 * Faster `Conv2DBackpropInput` for tfjs-backend-wasm 4.22, whose own kernel is a plain C++ loop
 * (it dominated a training step: ~470 of ~1150 ms for a small ResNet, batch 32 × 2 views, 32 px).
 *
 * The input gradient of a stride-s convolution is a stride-1 forward convolution of dy with zeros
 * inserted between its rows/columns ("dilated" by s) by the filter rotated 180° with its in/out
 * channels swapped:
 *
 *   dx[b, h, w, c] = Σ_{kh, kw, o} dyᴰ[b, h + kh − P, w + kw − Q, o] · W[KH−1−kh, KW−1−kw, c, o]
 *
 * with P = KH − 1 − padTop (Q likewise). The zeros are inserted with the backend's Reshape + PadV2,
 * the convolution runs on XNNPACK. Exact up to float32 summation order. Registered for wasm only.
 *
 * At stride s > 1, three quarters (at s = 2) of that convolution multiplies inserted zeros. When the
 * shapes allow (H and W multiples of s, no cropping), dx is computed instead as s² interleaved
 * stride-1 convolutions of dy itself ("sub-pixel" form): the output row y = s·u + r only sees the
 * filter rows p ≡ r + padTop (mod s), so one convolution of dy by a filter of ⌈KH/s⌉ × ⌈KW/s⌉ taps
 * with s²·C output channels (one group per residue (r, r')) gives every residue, and a transpose
 * interleaves them. At s = 2 with 3×3 filters that is 16 instead of 36 multiplies per dy value.
 */
import { tf } from '../tfjs';
import {
  convDims,
  type HeapBackend,
  installWasmKernel,
  isReplacedWasmKernel,
  nhwcConv2DInfo,
  type Pad,
  stride1Conv2D,
  type TensorInfo,
  wasmKernel,
  type WasmBackendLike,
} from './wasm-kernel-call';
import { inputKernelEverywhere, inputSimdPays, simdConv2DBackpropInput } from './native-kernels';
import { inputGradShape, winogradApplies, winogradConv2D, winogradFunctions } from './winograd-wasm';

interface BackpropInputAttrs {
  strides: [number, number] | number;
  pad: Pad;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

/** Filter offsets d = (p − r − pad)/s over residues r of one axis: [dMin, dMax]. */
function offsetRange(kernel: number, stride: number, pad: number): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < stride; r++) {
    for (let p = 0; p < kernel; p++) {
      const d = (p - r - pad) / stride;
      if (Number.isInteger(d)) {
        lo = Math.min(lo, d);
        hi = Math.max(hi, d);
      }
    }
  }
  return [lo, hi];
}

/** The sub-pixel form (see the module comment), or undefined when the shapes do not allow it. */
function backpropInputSubPixel(
  dy: TensorInfo,
  filter: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  backend: HeapBackend,
): TensorInfo | undefined {
  const { h, w, c, oh, ow, o, kh, kw, sh, sw, top, left } = convDims(info);
  if (
    sh !== sw ||
    sh < 2 ||
    kh < sh ||
    kw < sw ||
    h % sh !== 0 ||
    w % sw !== 0 ||
    top < 0 ||
    left < 0
  )
    return undefined;
  const s = sh;
  const [dMinH, dMaxH] = offsetRange(kh, s, top);
  const [dMinW, dMaxW] = offsetRange(kw, s, left);
  const u = h / s;
  const v = w / s;
  const padBottom = u - oh - dMinH;
  const padRight = v - ow - dMinW;
  if (dMaxH < 0 || dMaxW < 0 || padBottom < 0 || padRight < 0) return undefined;
  const mh = dMaxH - dMinH + 1;
  const mw = dMaxW - dMinW + 1;
  const groups = s * s * c;
  // F[m, n, o, (rh·s + rw)·C + ci] = W[rh + top + (dMaxH − m)·s, rw + left + (dMaxW − n)·s, ci, o].
  const weights = backend.typedArrayFromHeap(filter);
  const values = new Float32Array(mh * mw * o * groups);
  for (let m = 0; m < mh; m++) {
    for (let n = 0; n < mw; n++) {
      for (let rh = 0; rh < s; rh++) {
        const p = rh + top + (dMaxH - m) * s;
        if (p < 0 || p >= kh) continue;
        for (let rw = 0; rw < s; rw++) {
          const q = rw + left + (dMaxW - n) * s;
          if (q < 0 || q >= kw) continue;
          for (let ci = 0; ci < c; ci++) {
            const from = ((p * kw + q) * c + ci) * o;
            const channel = (rh * s + rw) * c + ci;
            for (let oi = 0; oi < o; oi++)
              values[((m * mw + n) * o + oi) * groups + channel] = weights[from + oi] ?? 0;
          }
        }
      }
    }
  }
  const subFilters = backend.makeOutput([mh, mw, o, groups], 'float32', undefined, values);
  const reshape = wasmKernel('Reshape');
  const transpose = wasmKernel('Transpose');
  const phases = stride1Conv2D(backend, dy, subFilters, [dMaxH, padBottom], [dMaxW, padRight]);
  // Interleave the residues (DepthToSpace, whose wasm kernel is ~10× slower than this transpose):
  // [B, U, V, s, s·C] → [B, U, s, V, s·C] = [B, H, W, C].
  const b = dy.shape[0] ?? 1;
  const grouped = reshape({
    inputs: { x: phases },
    backend,
    attrs: { shape: [b, u, v, s, s * c] },
  });
  const interleaved = transpose({
    inputs: { x: grouped },
    backend,
    attrs: { perm: [0, 1, 3, 2, 4] },
  });
  const dx = reshape({ inputs: { x: interleaved }, backend, attrs: { shape: [b, h, w, c] } });
  for (const t of [subFilters, phases, grouped, interleaved]) backend.disposeData(t.dataId);
  return dx;
}

/**
 * The filter rotated 180° with its in/out channels swapped, in one pass:
 * out[p, q, o, c] = W[KH − 1 − p, KW − 1 − q, c, o]. wasm's Reverse + Transpose took 130 ms (3×3×256×256)
 * and 330 ms (3×3×512×512) per call — most of the input gradient's cost on ResNet-18's deepest layers;
 * blocks of 32 × 32 channels keep both the strided reads and the writes in cache.
 */
function rotatedSwappedFilter(backend: HeapBackend, filter: TensorInfo): TensorInfo {
  const [kh = 1, kw = 1, c = 1, o = 1] = filter.shape;
  const out = backend.makeOutput([kh, kw, o, c], 'float32');
  const src = backend.typedArrayFromHeap(filter);
  const dst = backend.typedArrayFromHeap(out);
  const block = 32;
  for (let p = 0; p < kh; p++) {
    for (let q = 0; q < kw; q++) {
      const from = ((kh - 1 - p) * kw + (kw - 1 - q)) * c * o;
      const to = (p * kw + q) * o * c;
      for (let c0 = 0; c0 < c; c0 += block) {
        const c1 = Math.min(c, c0 + block);
        for (let o0 = 0; o0 < o; o0 += block) {
          const o1 = Math.min(o, o0 + block);
          for (let oi = o0; oi < o1; oi++) {
            const row = to + oi * c;
            for (let ci = c0; ci < c1; ci++) dst[row + ci] = src[from + ci * o + oi]!;
          }
        }
      }
    }
  }
  return out;
}

export function conv2DBackpropInputViaForward(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: unknown;
  attrs: BackpropInputAttrs;
}): TensorInfo {
  const { inputs, attrs } = args;
  const backend = args.backend as WasmBackendLike;
  const { dy, filter } = inputs;
  const info = nhwcConv2DInfo(
    'Conv2DBackpropInput',
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs,
  );
  const dims = convDims(info);
  if (winogradApplies(dims)) {
    // A 3×3 stride-1 layer: dx is the Winograd convolution of dy by the rotated, swapped filter.
    const fns = winogradFunctions(backend);
    if (fns) return winogradConv2D(fns, backend as HeapBackend, dy, filter, inputGradShape(dims), true);
  }
  const simd = simdConv2DBackpropInput(backend);
  if (simd && (inputKernelEverywhere() || inputSimdPays(dims))) {
    // The WebAssembly SIMD kernel (native/conv2d-backprop-input.c): dx written in place.
    const heap = backend as HeapBackend;
    const { b, h, w, c, oh, ow, o, kh, kw, sh, sw, top, left } = dims;
    const dx = heap.makeOutput([b, h, w, c], 'float32');
    const scratch = heap.makeOutput([kh * kw * o * c + o], 'float32');
    // Byte offsets, taken after the allocations (which may grow, and move views of, the heap).
    const at = (t: TensorInfo) => heap.typedArrayFromHeap(t).byteOffset;
    simd(at(dy), at(filter), at(scratch), at(dx), b, h, w, c, oh, ow, o, kh, kw, sh, sw, top, left);
    heap.disposeData(scratch.dataId);
    return dx;
  }
  const subPixel = backpropInputSubPixel(dy, filter, info, backend as HeapBackend);
  if (subPixel) return subPixel;
  const [reshape, pad, slice] = ['Reshape', 'PadV2', 'Slice'].map(wasmKernel) as [
    ReturnType<typeof wasmKernel>,
    ReturnType<typeof wasmKernel>,
    ReturnType<typeof wasmKernel>,
  ];
  const temporaries: TensorInfo[] = [];
  const keep = (t: TensorInfo): TensorInfo => {
    temporaries.push(t);
    return t;
  };
  const {
    batchSize: b,
    outHeight: oh,
    outWidth: ow,
    outChannels: co,
    strideHeight: sh,
    strideWidth: sw,
  } = info;

  // dy with s − 1 zeros after every row / column: [B, OH·sh, OW·sw, Co].
  let dilated = dy;
  if (sh > 1 || sw > 1) {
    const split = keep(
      reshape({ inputs: { x: dy }, backend, attrs: { shape: [b, oh, 1, ow, 1, co] } }),
    );
    const padded = keep(
      pad({
        inputs: { x: split },
        backend,
        attrs: {
          paddings: [
            [0, 0],
            [0, 0],
            [0, sh - 1],
            [0, 0],
            [0, sw - 1],
            [0, 0],
          ],
          constantValue: 0,
        },
      }),
    );
    dilated = keep(
      reshape({ inputs: { x: padded }, backend, attrs: { shape: [b, oh * sh, ow * sw, co] } }),
    );
  }

  // Padding so that exactly H × W outputs come out; negative amounts become crops.
  const top = info.filterHeight - 1 - info.padInfo.top;
  const left = info.filterWidth - 1 - info.padInfo.left;
  const bottom = info.inHeight + info.filterHeight - 1 - top - oh * sh;
  const right = info.inWidth + info.filterWidth - 1 - left - ow * sw;
  if (top < 0 || left < 0 || bottom < 0 || right < 0) {
    const cropTop = Math.max(0, -top);
    const cropLeft = Math.max(0, -left);
    dilated = keep(
      slice({
        inputs: { x: dilated },
        backend,
        attrs: {
          begin: [0, cropTop, cropLeft, 0],
          size: [
            b,
            oh * sh - cropTop - Math.max(0, -bottom),
            ow * sw - cropLeft - Math.max(0, -right),
            co,
          ],
        },
      }),
    );
  }

  const swapped = keep(rotatedSwappedFilter(backend as HeapBackend, filter));
  const dx = stride1Conv2D(
    backend,
    dilated,
    swapped,
    [Math.max(0, top), Math.max(0, bottom)],
    [Math.max(0, left), Math.max(0, right)],
  );
  for (const t of temporaries) backend.disposeData(t.dataId);
  return dx;
}

/** Replace wasm's loop kernel (idempotent). */
export function registerWasmConv2DBackpropInput(): void {
  if (isReplacedWasmKernel('Conv2DBackpropInput')) return;
  installWasmKernel(
    'Conv2DBackpropInput',
    (a: Parameters<typeof conv2DBackpropInputViaForward>[0]) => conv2DBackpropInputViaForward(a),
  );
}
