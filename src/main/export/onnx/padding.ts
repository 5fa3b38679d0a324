/**
 * Explicit ONNX pads that reproduce TensorFlow's 'same' and 'valid' padding exactly.
 *
 * TF 'same': out = ceil(in / stride), total = max((out − 1)·stride + effectiveKernel − in, 0),
 * before = floor(total / 2), after = total − before — so an odd total pads one more at the END
 * (bottom / right), which is ONNX's SAME_UPPER, not PyTorch's symmetric padding. Writing the pads out
 * keeps the graph independent of auto_pad support and documents the asymmetry in the file itself.
 */
export interface AxisPadding {
  before: number;
  after: number;
  out: number;
}

export function effectiveKernel(kernel: number, dilation: number): number {
  return (kernel - 1) * dilation + 1;
}

export function axisPadding(size: number, kernel: number, stride: number, dilation: number, mode: string): AxisPadding {
  const k = effectiveKernel(kernel, dilation);
  if (mode === 'valid') {
    const out = Math.floor((size - k) / stride) + 1;
    if (out < 1) throw new Error(`'valid' window of ${k} does not fit an input of ${size}`);
    return { before: 0, after: 0, out };
  }
  if (mode === 'same') {
    const out = Math.ceil(size / stride);
    const total = Math.max((out - 1) * stride + k - size, 0);
    const before = Math.floor(total / 2);
    return { before, after: total - before, out };
  }
  throw new Error(`padding '${mode}' is not supported (only 'same' and 'valid')`);
}

/** ONNX order for 2-D windows: [top, left, bottom, right]; also returns the output [H, W]. */
export function windowPads(
  [h, w]: [number, number],
  [kh, kw]: [number, number],
  [sh, sw]: [number, number],
  [dh, dw]: [number, number],
  mode: string,
): { pads: [number, number, number, number]; out: [number, number] } {
  const y = axisPadding(h, kh, sh, dh, mode);
  const x = axisPadding(w, kw, sw, dw, mode);
  return { pads: [y.before, x.before, y.after, x.after], out: [y.out, x.out] };
}
