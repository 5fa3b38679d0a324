/**
 * Colour jitter (SimCLR, Chen et al. 2020, arXiv:2002.05709, Appendix A; torchvision ColorJitter):
 * brightness b, contrast c, saturation s ∈ [max(0, 1 − x), 1 + x] and hue δ ∈ [−h, h], applied in a
 * random order per image (randomOrder) or in the order b, c, s, h. Each step clamps to [0, 1]:
 *   brightness: x·b;  contrast: c·x + (1 − c)·mean(luma);  saturation: s·x + (1 − s)·luma;  hue: HSV shift.
 * Batched in four stages: at stage k every image performs its k-th operation while the others get
 * the neutral factor (1, or no hue shift), which is bit-exact (1·x + 0·y = x). One-channel images
 * get brightness and contrast only (saturation and hue are the identity on gray).
 * [N, H, W, C] → same shape.
 */
import { tf } from '../engine/tf';
import type { ColorJitterSpec } from '../../shared/schemas/augment';
import type { AugmentOp, OpParams } from './op';
import { perImageScalar, selectPerImage } from './per-image';
import { luminance } from './grayscale';
import { shiftHue } from './hue';

export interface ColorJitterParams extends OpParams {
  brightness: number;
  contrast: number;
  saturation: number;
  hue: number;
  /** Order of the four adjustments, 0 = brightness, 1 = contrast, 2 = saturation, 3 = hue. */
  order: number[];
}

const NEUTRAL = [1, 1, 1, 0];

function factor(rng: { uniform(lo: number, hi: number): number }, strength: number): number {
  return strength > 0 ? rng.uniform(Math.max(0, 1 - strength), 1 + strength) : 1;
}

/** c·x + (1 − c)·y, clamped to [0, 1]; factors is [N, 1, 1, 1]. */
function blend(x: tf.Tensor4D, y: tf.Tensor, factors: tf.Tensor4D): tf.Tensor4D {
  return tf.clipByValue(tf.add(tf.mul(factors, x), tf.mul(tf.sub(1, factors), y)), 0, 1) as tf.Tensor4D;
}

function adjust(images: tf.Tensor4D, which: number, values: number[]): tf.Tensor4D {
  const f = perImageScalar(values);
  if (which === 0) return tf.clipByValue(tf.mul(images, f), 0, 1) as tf.Tensor4D;
  if (which === 1) return blend(images, tf.mean(luminance(images), [1, 2, 3], true), f);
  return blend(images, luminance(images), f);
}

export const colorJitter: AugmentOp<ColorJitterSpec, ColorJitterParams> = {
  name: 'color-jitter',
  sample(rng, spec) {
    const applied = rng.chance(spec.p);
    const brightness = factor(rng, spec.brightness);
    const contrast = factor(rng, spec.contrast);
    const saturation = factor(rng, spec.saturation);
    const hue = spec.hue > 0 ? rng.uniform(-spec.hue, spec.hue) : 0;
    const order = spec.randomOrder ? rng.permutation(4) : [0, 1, 2, 3];
    if (!applied) return { applied, brightness: 1, contrast: 1, saturation: 1, hue: 0, order };
    return { applied, brightness, contrast, saturation, hue, order };
  },
  apply(images, params) {
    const gray = images.shape[3] === 1;
    let x = images;
    for (let stage = 0; stage < 4; stage++) {
      for (let which = 0; which < 4; which++) {
        if (gray && which >= 2) continue;
        const values = params.map((q) =>
          q.order[stage] === which ? [q.brightness, q.contrast, q.saturation, q.hue][which] ?? 0 : (NEUTRAL[which] ?? 0),
        );
        const neutral = NEUTRAL[which] ?? 0;
        if (values.every((v) => v === neutral)) continue;
        const current = x;
        x =
          which === 3
            ? selectPerImage(values.map((v) => v !== 0), () => shiftHue(current, perImageScalar(values)), current)
            : adjust(current, which, values);
      }
    }
    return x;
  },
};
