/**
 * `Conv2DBackpropFilter` for tfjs-backend-wasm 4.22, which ships no such kernel (so the gradient of
 * every convolution, fused or not, throws on wasm and no conv net can train there).
 *
 * The filter gradient of a stride-s convolution is itself a forward convolution:
 *
 *   dW[kh, kw, c, o] = Σ_{b, i, j} xpad[b, kh + i·s, kw + j·s, c] · dy[b, i, j, o]
 *
 * i.e. convolve x with the channels and batch axes swapped (x' = xᵀ [C_in, H, W, B]) by the filter
 * dy' = dy [OH, OW, B, C_out] with stride 1 and **dilation s**, giving [C_in, KH, KW, C_out]. The
 * padding is the forward pass's top/left padding; the bottom/right side is chosen so that exactly KH×KW
 * positions come out (rows the forward pass never read are cropped first). Everything runs on the
 * backend's own XNNPACK Conv2D, Transpose and Slice kernels, so the sums are exact up to float32
 * summation order and ~30× faster than the pure-JS cpu kernel.
 *
 * Registered for `wasm` only, so results on every other backend are unchanged.
 */
import { tf } from '../tf';

import { wasmKernel, type Pad, type TensorInfo, type WasmBackendLike } from './wasm-kernel-call';

interface BackpropFilterAttrs {
  strides: [number, number] | number;
  pad: Pad;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/** The kernel body: inputs x [B, H, W, Cin] and dy [B, OH, OW, Cout] → dW [KH, KW, Cin, Cout]. */
export function conv2DBackpropFilterViaForward(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: unknown;
  attrs: BackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  const format = tf.backend_util.convertConv2DDataFormat(dataFormat);
  if (format !== 'channelsLast') {
    throw new Error(`Conv2DBackpropFilter on wasm supports only NHWC, got ${dataFormat}`);
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    format,
  );
  const conv2d = wasmKernel('Conv2D');
  const transpose = wasmKernel('Transpose');
  const slice = wasmKernel('Slice');
  const temporaries: TensorInfo[] = [];

  // Padded extent the forward pass actually read: (K−1) + (O−1)·s + 1 rows/columns.
  const neededHeight = info.filterHeight + (info.outHeight - 1) * info.strideHeight;
  const neededWidth = info.filterWidth + (info.outWidth - 1) * info.strideWidth;
  const padBottom = neededHeight - info.padInfo.top - info.inHeight;
  const padRight = neededWidth - info.padInfo.left - info.inWidth;

  let input = x;
  if (padBottom < 0 || padRight < 0) {
    const [batch, height, width, channels] = x.shape as [number, number, number, number];
    input = slice({
      inputs: { x },
      backend,
      attrs: {
        begin: [0, 0, 0, 0],
        size: [batch, height + Math.min(0, padBottom), width + Math.min(0, padRight), channels],
      },
    });
    temporaries.push(input);
  }
  const swappedInput = transpose({ inputs: { x: input }, backend, attrs: { perm: [3, 1, 2, 0] } });
  const swappedGradient = transpose({ inputs: { x: dy }, backend, attrs: { perm: [1, 2, 0, 3] } });
  temporaries.push(swappedInput, swappedGradient);
  const raw = conv2d({
    inputs: { x: swappedInput, filter: swappedGradient },
    backend,
    attrs: {
      strides: [1, 1],
      dilations: [info.strideHeight, info.strideWidth],
      pad: [
        [0, 0],
        [info.padInfo.top, Math.max(0, padBottom)],
        [info.padInfo.left, Math.max(0, padRight)],
        [0, 0],
      ],
      dataFormat: 'NHWC',
    },
  });
  temporaries.push(raw);
  const filterGradient = transpose({ inputs: { x: raw }, backend, attrs: { perm: [1, 2, 0, 3] } });
  for (const t of temporaries) (backend as WasmBackendLike).disposeData(t.dataId);
  return filterGradient;
}

/** Register the kernel on wasm when it is missing (idempotent; a later tfjs that ships one wins). */
export function registerWasmConv2DBackpropFilter(): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: conv2DBackpropFilterViaForward as unknown as tf.KernelFunc,
  });
}
