/**
 * Random resized crop (Szegedy et al. 2015 "Going deeper with convolutions", arXiv:1409.4842; the
 * sampling of torchvision's RandomResizedCrop): a box of area fraction s ∈ scale and aspect w/h = r
 * with log r uniform in log(ratio), placed uniformly inside the image, resized to the view size.
 * Boxes are continuous (no rounding), so area and aspect are exactly in range; after 10 failed
 * draws it falls back to the centre crop clamped to the ratio range (`fallback: true`).
 *
 * Batched: one `cropAndResize` with N per-image boxes. [N, H, W, C] → [N, outH, outW, C].
 */
import { tf } from '../compute/tf';
import type { RandomResizedCropSpec } from '../../shared/schemas/augment';
import type { AugmentOp, OpParams } from './op';
import { toCropAndResizeBox } from './crop-boxes';

export interface CropParams extends OpParams {
  /** Area fraction of the input image. */
  scale: number;
  /** Aspect ratio width / height. */
  ratio: number;
  /** The box in input pixels: top, left, height, width. */
  box: number[];
  fallback: boolean;
}

const ATTEMPTS = 10;

export const randomResizedCrop: AugmentOp<RandomResizedCropSpec, CropParams> = {
  name: 'random-resized-crop',
  resizes: true,
  sample(rng, spec, { input }) {
    const { height: H, width: W } = input;
    const applied = rng.chance(spec.p);
    if (!applied) return { applied, scale: 1, ratio: W / H, box: [0, 0, H, W], fallback: false };
    const [logLo, logHi] = [Math.log(spec.ratio[0]), Math.log(spec.ratio[1])];
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const scale = rng.uniform(spec.scale[0], spec.scale[1]);
      const ratio = Math.exp(rng.uniform(logLo, logHi));
      const area = scale * H * W;
      const w = Math.sqrt(area * ratio);
      const h = Math.sqrt(area / ratio);
      if (w > 0 && w <= W && h > 0 && h <= H) {
        const top = rng.uniform(0, H - h);
        const left = rng.uniform(0, W - w);
        return { applied, scale, ratio, box: [top, left, h, w], fallback: false };
      }
    }
    let w = W;
    let h = H;
    if (W / H < spec.ratio[0]) h = W / spec.ratio[0];
    else if (W / H > spec.ratio[1]) w = H * spec.ratio[1];
    const box = [(H - h) / 2, (W - w) / 2, h, w];
    return { applied, scale: (h * w) / (H * W), ratio: w / h, box, fallback: true };
  },
  apply(images, params, _spec, { input, output }) {
    const boxes = params.map(({ box: [top = 0, left = 0, height = 1, width = 1] }) =>
      toCropAndResizeBox(
        { top, left, height, width },
        input.height,
        input.width,
        output.height,
        output.width,
      ),
    );
    const index = tf.range(0, params.length, 1, 'int32') as tf.Tensor1D;
    return tf.image.cropAndResize(
      images,
      tf.tensor2d(boxes.flat(), [boxes.length, 4]),
      index,
      [output.height, output.width],
      'bilinear',
    );
  },
};
