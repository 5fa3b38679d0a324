/**
 * Pixel boxes → `tf.image.cropAndResize` boxes.
 *
 * A box is continuous, in pixel units with the image spanning [0, H] × [0, W] (pixel edges). The
 * output pixel k of a crop resized to S samples the box at its centre, top + (k + ½)·h/S − ½ in
 * pixel-index coordinates (half-pixel centres, like torchvision's resize), so a full-image box at the
 * input size is the identity. cropAndResize wants the first/last sample in [0, 1] normalised by
 * (H − 1); samples are clamped to the image so no zero padding leaks in.
 */
export interface PixelBox {
  top: number;
  left: number;
  height: number;
  width: number;
}

function axis(start: number, extent: number, size: number, out: number): [number, number] {
  const step = extent / out;
  const first = Math.min(Math.max(start + step / 2 - 0.5, 0), size - 1);
  const last = Math.min(Math.max(start + extent - step / 2 - 0.5, 0), size - 1);
  const denom = Math.max(size - 1, 1);
  return [first / denom, last / denom];
}

/** [y1, x1, y2, x2] normalised for cropAndResize; `inH×inW` is the image, `outH×outW` the crop size. */
export function toCropAndResizeBox(
  box: PixelBox,
  inH: number,
  inW: number,
  outH: number,
  outW: number,
): [number, number, number, number] {
  const [y1, y2] = axis(box.top, box.height, inH, outH);
  const [x1, x2] = axis(box.left, box.width, inW, outW);
  return [y1, x1, y2, x2];
}
