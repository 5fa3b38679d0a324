/**
 * Colour jitter (SimCLR, Chen et al. 2020, arXiv:2002.05709, Appendix A; torchvision ColorJitter):
 * brightness b, contrast c, saturation s ∈ [max(0, 1 − x), 1 + x] and hue δ ∈ [−h, h] turns, in a
 * random order per image (randomOrder) or b, c, s, h. Each adjustment is clamped to [0, 1]:
 *   brightness x·b;  contrast c·x + (1 − c)·mean(luma);  saturation s·x + (1 − s)·luma;
 *   hue: rotation of the YIQ chroma plane (see color-matrices.ts).
 * All four are per-pixel affine maps, so the batch runs in four stages — at stage k every image
 * performs ITS k-th adjustment — each stage one batched matrix product [N, HW, C] × [N, C, C] plus a
 * per-image offset (contrast) and a clamp. Images that are not jittered get the identity.
 * One-channel images get brightness and contrast only. [N, H, W, C] → same shape.
 */
import { tf } from '../compute/tf';
import type { ColorJitterSpec } from '../../shared/schemas/augment';
import type { AugmentOp, OpParams } from './op';
import { luminance } from './grayscale';
import { hueMatrix, identity, saturationMatrix, scaled, type Matrix } from './color-matrices';

export interface ColorJitterParams extends OpParams {
  brightness: number;
  contrast: number;
  saturation: number;
  /** Hue rotation in turns. */
  hue: number;
  /** Order of the four adjustments, 0 = brightness, 1 = contrast, 2 = saturation, 3 = hue. */
  order: number[];
}

function factor(rng: { uniform(lo: number, hi: number): number }, strength: number): number {
  return strength > 0 ? rng.uniform(Math.max(0, 1 - strength), 1 + strength) : 1;
}

/** The linear part of adjustment `which` for one image. */
function stageMatrix(q: ColorJitterParams, which: number | undefined, channels: number): Matrix {
  switch (which) {
    case 0:
      return scaled(q.brightness, channels);
    case 1:
      return scaled(q.contrast, channels);
    case 2:
      return saturationMatrix(q.saturation, channels);
    case 3:
      return hueMatrix(q.hue, channels);
    default:
      return identity(channels);
  }
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
    const [n, h, w, c] = images.shape;
    let x = tf.reshape(images, [n, h * w, c]) as tf.Tensor3D;
    for (let stage = 0; stage < 4; stage++) {
      const matrices = params.map((q) => stageMatrix(q, q.applied ? q.order[stage] : undefined, c));
      const contrastWeights = params.map((q) =>
        q.applied && q.order[stage] === 1 ? 1 - q.contrast : 0,
      );
      const isIdentity = matrices.every((m) =>
        m.every((row, r) => row.every((v, k) => v === (r === k ? 1 : 0))),
      );
      if (isIdentity && contrastWeights.every((v) => v === 0)) continue;
      // x·Mᵀ applies M to every pixel (a row of x).
      const transposed = matrices.map((m) => m[0]!.map((_, j) => m.map((row) => row[j] ?? 0)));
      let next: tf.Tensor3D = tf.matMul(x, tf.tensor3d(transposed.flat(2), [n, c, c]));
      if (contrastWeights.some((v) => v !== 0)) {
        const meanLuma = tf.mean(luminance(tf.reshape(x, [n, h, w, c]) as tf.Tensor4D), [1, 2, 3]);
        next = tf.add(next, tf.reshape(tf.mul(meanLuma, tf.tensor1d(contrastWeights)), [n, 1, 1]));
      }
      x = tf.clipByValue(next, 0, 1);
    }
    return tf.reshape(x, [n, h, w, c]) as tf.Tensor4D;
  },
};
