import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../src/main/compute/tf';
import { applyPipeline } from '../../../src/main/augment/pipeline';
import { horizontalFlip, verticalFlip } from '../../../src/main/augment/flip';
import { randomResizedCrop, type CropParams } from '../../../src/main/augment/random-resized-crop';
import { solarizeAll } from '../../../src/main/augment/solarize';
import { gaussianKernel } from '../../../src/main/augment/gaussian-blur';
import { rotate90 } from '../../../src/main/augment/rotation-prediction';
import { createRng } from '../../../src/main/random/index';
import {
  parseOpSpec,
  type OpSpecInput,
  type RandomResizedCropSpec,
} from '../../../src/shared/schemas/augment';
import { expectNoLeak, maxAbsDiff, randomImages } from './fixtures';

beforeAll(async () => {
  await initBackend('wasm');
});

const context = (h: number, w: number, c = 3) => ({
  input: { height: h, width: w, channels: c },
  output: { height: h, width: w },
});

describe('flips', () => {
  it('flipping twice with the same parameters is the identity, and once is not', () => {
    const images = randomImages(4, 8, 10, 3);
    for (const op of [horizontalFlip, verticalFlip]) {
      const params = [true, false, true, true].map((applied) => ({ applied }));
      const spec = parseOpSpec({ op: op.name }) as never;
      const once = tf.tidy(() => op.apply(images, params, spec, context(8, 10)));
      const twice = tf.tidy(() => op.apply(once, params, spec, context(8, 10)));
      expect(maxAbsDiff(twice.dataSync(), images.dataSync())).toBe(0);
      expect(maxAbsDiff(once.dataSync(), images.dataSync())).toBeGreaterThan(0);
      // The unflipped image is untouched.
      expect(
        maxAbsDiff(tf.slice(once, [1], [1]).dataSync(), tf.slice(images, [1], [1]).dataSync()),
      ).toBe(0);
      tf.dispose([once, twice]);
    }
    images.dispose();
  });

  it('a horizontal flip mirrors columns', () => {
    const images = tf.tensor4d([0, 0.25, 0.5, 1], [1, 2, 2, 1]);
    const out = applyPipeline(images, [{ op: 'horizontal-flip', p: 1 }], { seed: 0 });
    expect(Array.from(out.images.dataSync())).toEqual([0.25, 0, 1, 0.5]);
    tf.dispose([images, out.images]);
  });
});

describe('random resized crop', () => {
  it('draws boxes inside the image with area and aspect in range', () => {
    const spec = parseOpSpec({
      op: 'random-resized-crop',
      scale: [0.2, 0.6],
      ratio: [0.5, 2],
    }) as RandomResizedCropSpec;
    const rng = createRng(42);
    let fallbacks = 0;
    for (let i = 0; i < 500; i++) {
      const q: CropParams = randomResizedCrop.sample(rng, spec, context(24, 40));
      const [top = -1, left = -1, h = -1, w = -1] = q.box;
      expect(top).toBeGreaterThanOrEqual(0);
      expect(left).toBeGreaterThanOrEqual(0);
      expect(top + h).toBeLessThanOrEqual(24 + 1e-9);
      expect(left + w).toBeLessThanOrEqual(40 + 1e-9);
      if (q.fallback) {
        fallbacks++;
        continue;
      }
      const area = (h * w) / (24 * 40);
      expect(area).toBeGreaterThanOrEqual(0.2 - 1e-9);
      expect(area).toBeLessThanOrEqual(0.6 + 1e-9);
      expect(w / h).toBeGreaterThanOrEqual(0.5 - 1e-9);
      expect(w / h).toBeLessThanOrEqual(2 + 1e-9);
    }
    expect(fallbacks).toBeLessThan(10);
  });

  it('a full box at the input size is the identity; a crop samples inside the box', () => {
    const images = randomImages(2, 12, 12, 1);
    const full = applyPipeline(
      images,
      [{ op: 'random-resized-crop', scale: [1, 1], ratio: [1, 1] }],
      { seed: 3 },
    );
    expect(maxAbsDiff(full.images.dataSync(), images.dataSync())).toBeLessThan(1e-6);
    // A constant left half and right half: a crop of the left half only sees the left value.
    const halves = tf.tidy(
      () => tf.concat([tf.fill([1, 12, 6, 1], 0.2), tf.fill([1, 12, 6, 1], 0.9)], 2) as tf.Tensor4D,
    );
    const box = { applied: true, scale: 0.5, ratio: 0.5, box: [0, 0, 12, 6], fallback: false };
    const spec = parseOpSpec({ op: 'random-resized-crop' }) as RandomResizedCropSpec;
    const crop = tf.tidy(() =>
      randomResizedCrop.apply(halves, [box], spec, {
        input: { height: 12, width: 12, channels: 1 },
        output: { height: 4, width: 4 },
      }),
    );
    expect(crop.shape).toEqual([1, 4, 4, 1]);
    expect(Math.max(...crop.dataSync())).toBeCloseTo(0.2, 6);
    tf.dispose([images, full.images, halves, crop]);
  });
});

describe('colour ops', () => {
  it('grayscale makes the three channels equal', () => {
    const images = randomImages(3, 8, 8, 3);
    const out = applyPipeline(images, [{ op: 'grayscale', p: 1 }], { seed: 1 });
    const d = out.images.dataSync();
    for (let i = 0; i < d.length; i += 3) {
      expect(d[i + 1]).toBe(d[i]);
      expect(d[i + 2]).toBe(d[i]);
    }
    expect(maxAbsDiff(d, images.dataSync())).toBeGreaterThan(0.01);
    tf.dispose([images, out.images]);
  });

  it('solarize inverts exactly the pixels at or above the threshold', () => {
    const images = tf.tensor4d([0, 0.3, 0.5, 0.7, 1, 0.49], [1, 2, 3, 1]);
    const out = tf.tidy(() => solarizeAll(images, 0.5));
    const d = Array.from(out.dataSync());
    const expected = [0, 0.3, 0.5, 1 - 0.7, 0, 0.49];
    expected.forEach((v, i) => expect(d[i]).toBeCloseTo(v, 6));
    tf.dispose([images, out]);
  });

  it('colour jitter with zero strength is the identity, and hue alone keeps luma-free gray pixels', () => {
    const images = randomImages(3, 8, 8, 3);
    const none = applyPipeline(
      images,
      [{ op: 'color-jitter', p: 1, brightness: 0, contrast: 0, saturation: 0, hue: 0 }],
      { seed: 4 },
    );
    expect(maxAbsDiff(none.images.dataSync(), images.dataSync())).toBe(0);
    const gray = tf.fill([1, 4, 4, 3], 0.4) as tf.Tensor4D;
    const hue = applyPipeline(
      gray,
      [{ op: 'color-jitter', p: 1, brightness: 0, contrast: 0, saturation: 0, hue: 0.5 }],
      { seed: 4 },
    );
    expect(maxAbsDiff(hue.images.dataSync(), gray.dataSync())).toBeLessThan(1e-6);
    tf.dispose([images, none.images, gray, hue.images]);
  });

  it('hue rotates chroma: ½ turn sends red towards cyan and mid colours keep their luma', () => {
    const hueOnly = (delta: number) => [
      { op: 'color-jitter' as const, p: 1, brightness: 0, contrast: 0, saturation: 0, hue: delta },
    ];
    const red = tf.tensor4d([1, 0, 0], [1, 1, 1, 3]).tile([1, 2, 2, 1]) as tf.Tensor4D;
    // hue range [0.5, 0.5] is not expressible (hue is [−h, h]); draw until |δ| is near ½.
    const r = applyPipeline(red, hueOnly(0.5), { seed: 1 });
    const delta = r.ops[0]?.params[0]?.['hue'] as number;
    const [R = 0, G = 0, B = 0] = r.images.dataSync();
    if (Math.abs(delta) > 0.4) {
      expect(R).toBeLessThan(0.5);
      expect(G).toBeGreaterThan(0.1);
      expect(B).toBeGreaterThan(0.1);
    }
    const mid = tf.tensor4d(
      [0.6, 0.4, 0.45, 0.35, 0.5, 0.55, 0.5, 0.5, 0.4, 0.45, 0.55, 0.5],
      [1, 2, 2, 3],
    );
    const shifted = applyPipeline(mid, hueOnly(0.1), { seed: 2 });
    const luma = (d: ArrayLike<number>, o: number) =>
      0.299 * (d[o] ?? 0) + 0.587 * (d[o + 1] ?? 0) + 0.114 * (d[o + 2] ?? 0);
    const before = mid.dataSync();
    const after = shifted.images.dataSync();
    expect(maxAbsDiff(after, before)).toBeGreaterThan(0.005);
    for (const o of [0, 3, 6, 9]) expect(luma(after, o)).toBeCloseTo(luma(before, o), 4);
    tf.dispose([red, r.images, mid, shifted.images]);
  });

  it("colour jitter follows each image's own order (brightness before contrast ≠ after)", () => {
    const images = randomImages(1, 6, 6, 3, 5);
    const base = {
      op: 'color-jitter' as const,
      p: 1,
      brightness: 0.9,
      contrast: 0.9,
      saturation: 0,
      hue: 0,
    };
    const random = applyPipeline(images, [base], { seed: 12 });
    const fixed = applyPipeline(images, [{ ...base, randomOrder: false }], { seed: 12 });
    const q = random.ops[0]?.params[0];
    const order = q?.['order'] as number[];
    const contrastFirst = order.indexOf(1) < order.indexOf(0);
    const diff = maxAbsDiff(random.images.dataSync(), fixed.images.dataSync());
    if (contrastFirst) expect(diff).toBeGreaterThan(1e-4);
    else expect(diff).toBeLessThan(1e-6);
    tf.dispose([images, random.images, fixed.images]);
  });

  it('gaussian kernels are normalised and symmetric; blur keeps a constant image constant', () => {
    const k = gaussianKernel(1.3, 4);
    expect(k.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(k[0]).toBeCloseTo(k[8] ?? NaN, 7);
    const flat = tf.fill([2, 10, 10, 3], 0.6) as tf.Tensor4D;
    const out = applyPipeline(flat, [{ op: 'gaussian-blur', p: 1, sigma: [0.5, 2] }], { seed: 2 });
    expect(maxAbsDiff(out.images.dataSync(), flat.dataSync())).toBeLessThan(1e-6);
    const noisy = randomImages(2, 10, 10, 1);
    const blurred = applyPipeline(noisy, [{ op: 'gaussian-blur', p: 1, sigma: [1.5, 2] }], {
      seed: 2,
    });
    const variance = (t: tf.Tensor) => tf.tidy(() => tf.moments(t).variance.dataSync()[0] ?? 0);
    expect(variance(blurred.images)).toBeLessThan(variance(noisy));
    tf.dispose([flat, out.images, noisy, blurred.images]);
  });

  it('normalize uses spec or dataset statistics and says when it has neither', () => {
    const images = tf.fill([1, 2, 2, 3], 0.5) as tf.Tensor4D;
    const a = applyPipeline(images, [{ op: 'normalize', mean: [0.5], std: [0.25] }], { seed: 0 });
    expect(Array.from(a.images.dataSync()).every((v) => v === 0)).toBe(true);
    const b = applyPipeline(images, [{ op: 'normalize' }], {
      seed: 0,
      stats: { mean: [0, 0, 0], std: [0.5, 0.5, 0.5] },
    });
    expect(Array.from(b.images.dataSync()).every((v) => v === 1)).toBe(true);
    expect(() => applyPipeline(images, [{ op: 'normalize' }], { seed: 0 })).toThrow(/mean\/std/);
    expect(() =>
      applyPipeline(images, [{ op: 'normalize', mean: [0, 0], std: [1, 1] }], { seed: 0 }),
    ).toThrow(/2 values/);
    tf.dispose([images, a.images, b.images]);
  });
});

describe('rotation', () => {
  it('right-angle rotation of every image in a batch equals the exact quarter turn', () => {
    const images = randomImages(3, 8, 8, 3);
    const r = applyPipeline(
      images,
      [{ op: 'rotation', p: 1, degrees: [90, 90], mode: 'right-angles' }],
      { seed: 0 },
    );
    const exact = rotate90(images, 1);
    expect(maxAbsDiff(r.images.dataSync(), exact.dataSync())).toBeLessThan(1e-6);
    const four = rotate90(exact, 3);
    expect(maxAbsDiff(four.dataSync(), images.dataSync())).toBe(0);
    tf.dispose([images, r.images, exact, four]);
  });

  it('a quarter turn is counter-clockwise: the top-right pixel goes to the top-left', () => {
    const img = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const out = rotate90(img, 1);
    expect(Array.from(out.dataSync())).toEqual([2, 4, 1, 3]);
    tf.dispose([img, out]);
  });
});

describe('no leaks', () => {
  it('every op leaves the tensor count unchanged', () => {
    const images = randomImages(3, 12, 12, 3);
    const specs: OpSpecInput[] = [
      { op: 'random-resized-crop' },
      { op: 'horizontal-flip' },
      { op: 'vertical-flip' },
      { op: 'rotation' },
      { op: 'affine', degrees: [-5, 5], translate: [0.1, 0.1] },
      { op: 'color-jitter' },
      { op: 'grayscale' },
      { op: 'gaussian-blur' },
      { op: 'solarize' },
      { op: 'normalize', mean: [0.5], std: [0.5] },
    ];
    for (const spec of specs)
      expectNoLeak(
        () => applyPipeline(images, [spec], { seed: 9, size: { height: 8, width: 8 } }).images,
      );
    images.dispose();
  });
});
