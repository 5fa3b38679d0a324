/**
 * Plain-array image layout helpers for the ONNX side, which runs outside tfjs: NHWC ↔ NCHW and the
 * per-channel normalisation (x − mean) / std the encoders were trained with.
 */
export interface ImageSize {
  height: number;
  width: number;
  channels: number;
}

/** Number of images in a flat NHWC / NCHW array, checking it divides evenly. */
export function imageCount(data: Float32Array, size: ImageSize): number {
  const per = size.height * size.width * size.channels;
  if (per === 0 || data.length % per !== 0) {
    throw new Error(`${data.length} values do not make whole ${size.height}×${size.width}×${size.channels} images`);
  }
  return data.length / per;
}

export function nhwcToNchw(data: Float32Array, size: ImageSize): Float32Array {
  const { height: h, width: w, channels: c } = size;
  const n = imageCount(data, size);
  const out = new Float32Array(data.length);
  for (let b = 0; b < n; b++) {
    const base = b * h * w * c;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let k = 0; k < c; k++) out[base + (k * h + y) * w + x] = data[base + (y * w + x) * c + k] ?? 0;
      }
    }
  }
  return out;
}

/** (x − mean[c]) / std[c] over NHWC data; a single mean/std value applies to every channel. */
export function normalizeNhwc(data: Float32Array, channels: number, mean: readonly number[], std: readonly number[]): Float32Array {
  const pick = (values: readonly number[], c: number, what: string): number => {
    const v = values.length === 1 ? values[0] : values[c];
    if (v === undefined) throw new Error(`normalisation ${what} has ${values.length} values for ${channels} channels`);
    return v;
  };
  const m = Array.from({ length: channels }, (_, c) => pick(mean, c, 'mean'));
  const s = Array.from({ length: channels }, (_, c) => pick(std, c, 'std'));
  return Float32Array.from(data, (v, i) => (v - (m[i % channels] ?? 0)) / (s[i % channels] ?? 1));
}
