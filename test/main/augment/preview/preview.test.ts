import { beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { initBackend, tf } from '../../../../src/main/compute/tf';
import { previewAugmentations } from '../../../../src/main/augment/preview';
import { renderPreviewGrid } from '../../../../src/main/augment/preview/grid';
import { buildViews, disposeViewBatch } from '../../../../src/main/augment/views/index';
import { loadAugmentPreset } from '../../../../src/main/augment/presets';
import { benchAugment } from '../../../../src/main/augment/bench';
import { randomImages } from '../fixtures';

beforeAll(async () => {
  await initBackend('wasm');
});

async function pixels(
  png: Buffer,
): Promise<{ data: Buffer; width: number; height: number; channels: number }> {
  const gray = (await sharp(png).metadata()).channels === 1;
  const { data, info } = await (gray ? sharp(png).toColourspace('b-w') : sharp(png))
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

describe('previewAugmentations', () => {
  it('shows bit-for-bit the views training computes (after 8-bit quantisation)', async () => {
    const images = randomImages(3, 16, 16, 3, 4);
    const spec = loadAugmentPreset('simclr');
    const preview = await previewAugmentations({ images, spec, seed: 21, imageKeys: [5, 6, 7] });
    const training = buildViews(images, spec, { seed: 21, imageKeys: [5, 6, 7] });
    expect(preview.items).toHaveLength(3);
    expect(preview.viewNames).toEqual(['view-1', 'view-2']);
    for (let v = 0; v < 2; v++) {
      const data = training.views[v]?.images.dataSync() ?? new Float32Array();
      for (let j = 0; j < 3; j++) {
        const png = await pixels(preview.items[j]?.views[v] ?? Buffer.alloc(0));
        expect([png.width, png.height, png.channels]).toEqual([16, 16, 3]);
        const offset = j * 16 * 16 * 3;
        for (let k = 0; k < png.data.length; k++)
          expect(png.data[k]).toBe(Math.round((data[offset + k] ?? 0) * 255));
      }
    }
    expect(preview.params[1]?.views[0]?.ops.map((o) => o.op)).toEqual([
      'random-resized-crop',
      'horizontal-flip',
      'color-jitter',
      'grayscale',
      'gaussian-blur',
    ]);
    expect(preview.params[1]?.key).toBe(6);
    disposeViewBatch(training);
    images.dispose();
  });

  it('accepts raw 8-bit images, repeats them with new draws, and returns the steps', async () => {
    const gray = {
      data: Uint8Array.from({ length: 12 * 12 }, (_, i) => (i * 7) % 256),
      width: 12,
      height: 12,
      channels: 1,
    };
    const before = tf.memory().numTensors;
    const preview = await previewAugmentations({
      images: [gray],
      spec: [
        { op: 'random-resized-crop', scale: [0.3, 1] },
        { op: 'horizontal-flip' },
        { op: 'normalize', mean: [0.5], std: [0.5] },
      ],
      seed: 3,
      pairs: 2,
      stepByStep: true,
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(preview.items).toHaveLength(2);
    expect(preview.params.map((p) => p.image)).toEqual([0, 0]);
    expect(preview.items[0]?.views[0]?.equals(preview.items[1]?.views[0] ?? Buffer.alloc(0))).toBe(
      false,
    );
    const steps = preview.items[0]?.steps ?? [];
    expect(steps.map((s) => `${s.view}:${s.op}`)).toEqual([
      '0:random-resized-crop',
      '0:horizontal-flip',
      '0:normalize',
      '1:random-resized-crop',
      '1:horizontal-flip',
      '1:normalize',
    ]);
    // The view is shown de-normalised: it equals the step before normalize.
    const last = await pixels(preview.items[0]?.views[0] ?? Buffer.alloc(0));
    const flip = await pixels(steps[1]?.png ?? Buffer.alloc(0));
    expect(last.channels).toBe(1);
    expect(maxByteDiff(last.data, flip.data)).toBeLessThanOrEqual(1);
  });

  it('renders a labelled grid PNG of the right size', async () => {
    const images = randomImages(2, 16, 16, 3);
    const preview = await previewAugmentations({
      images,
      spec: loadAugmentPreset('pirl-jigsaw'),
      seed: 1,
      stepByStep: true,
    });
    images.dispose();
    expect(preview.viewNames).toEqual(['image', 'jigsaw 3×3']);
    const grid = await renderPreviewGrid(preview, { cellSize: 48 });
    const meta = await sharp(grid).metadata();
    expect(meta.format).toBe('png');
    // 1 original + 2 views, but steps rows have 1 + 4 ops = 5 columns.
    expect(meta.width).toBe(6 + 5 * (48 + 6));
    const plain = await renderPreviewGrid(preview, { cellSize: 48, labels: false, steps: false });
    const plainMeta = await sharp(plain).metadata();
    expect(plainMeta.width).toBe(6 + 3 * (48 + 6));
    expect(plainMeta.height).toBe(6 + 2 * (48 + 6));
    // Labels put dark text pixels into the caption band under the first thumbnail.
    const { data, info } = await sharp(grid).raw().toBuffer({ resolveWithObject: true });
    let dark = 0;
    for (let y = 6 + 21 + 48; y < 6 + 21 + 48 + 30; y++)
      for (let x = 6; x < 54; x++)
        if ((data[(y * info.width + x) * info.channels] ?? 255) < 128) dark++;
    expect(dark).toBeGreaterThan(10);
  });
});

describe('preview column sizes', () => {
  it.each(['swav-multicrop', 'pirl-jigsaw'])('%s: viewSizes are the PNG sides of every column', async (preset) => {
    const images = randomImages(2, 28, 28, 3);
    const preview = await previewAugmentations({ images, spec: loadAugmentPreset(preset), seed: 3 });
    images.dispose();
    expect(preview.viewSizes).toHaveLength(preview.viewNames.length);
    const widths = await Promise.all(preview.items[0]!.views.map(async (png) => (await sharp(png).metadata()).width));
    expect(preview.viewSizes).toEqual(widths);
  });

  it('SwAV local crops are 96/224 of the global ones, all 8 columns listed', async () => {
    const images = randomImages(1, 28, 28, 3);
    const preview = await previewAugmentations({ images, spec: loadAugmentPreset('swav-multicrop'), seed: 0 });
    images.dispose();
    expect(preview.viewNames).toHaveLength(8);
    const global = preview.viewSizes[0]!;
    const local = preview.viewSizes.at(-1)!;
    expect(global).toBe(28);
    expect(local / global).toBeCloseTo(96 / 224, 1);
  });
});

describe('benchAugment', () => {
  it('measures images per second without leaking', async () => {
    const result = await benchAugment({
      preset: 'simclr',
      batchSize: 8,
      imageSize: 16,
      iterations: 2,
    });
    expect(result.imagesPerSecond).toBeGreaterThan(0);
    expect(result.viewsPerSecond).toBeCloseTo(2 * result.imagesPerSecond, 6);
    expect(result.leakedTensors).toBe(0);
    expect(result.backend).toBe('wasm');
  });
});

function maxByteDiff(a: Buffer, b: Buffer): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return max;
}
