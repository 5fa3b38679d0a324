import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../src/main/compute/tf';
import { buildViews, disposeViewBatch, viewsPerImage } from '../../../src/main/augment/views/index';
import { loadAugmentPreset } from '../../../src/main/augment/presets';
import { applyPipeline } from '../../../src/main/augment/pipeline';
import { AUGMENT_PRESET_NAMES } from '../../../src/main/augment/presets';
import { maxAbsDiff, randomImages } from './fixtures';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('view builders', () => {
  it('every preset builds its views on 1- and 3-channel batches, in range and without leaks', () => {
    for (const name of AUGMENT_PRESET_NAMES) {
      const spec = loadAugmentPreset(name);
      for (const c of [1, 3]) {
        const images = randomImages(3, 24, 24, c);
        const before = tf.memory().numTensors;
        const batch = buildViews(images, spec, { seed: 1 });
        expect(batch.views).toHaveLength(spec.views.reduce((s, g) => s + g.count, 0));
        for (const view of batch.views) {
          expect(view.images.shape[0]).toBe(3);
          expect(view.images.shape[3]).toBe(c);
          const d = view.images.dataSync();
          expect(Math.min(...d)).toBeGreaterThanOrEqual(0);
          expect(Math.max(...d)).toBeLessThanOrEqual(1);
        }
        disposeViewBatch(batch);
        expect(tf.memory().numTensors).toBe(before);
        images.dispose();
      }
    }
  });

  it('SwAV multi-crop scales 2 large + 6 small crops to the dataset size', () => {
    const spec = loadAugmentPreset('swav-multicrop');
    const images = randomImages(2, 32, 32, 3);
    const batch = buildViews(images, spec, { seed: 2 });
    expect(batch.views.map((v) => v.name)).toEqual([
      'global-1',
      'global-2',
      'local-1',
      'local-2',
      'local-3',
      'local-4',
      'local-5',
      'local-6',
    ]);
    expect(batch.views.map((v) => v.images.shape[1])).toEqual([32, 32, 14, 14, 14, 14, 14, 14]);
    expect(viewsPerImage(spec)).toBe(8);
    disposeViewBatch(batch);
    images.dispose();
  });

  it('a pair is two different views, each equal to the pipeline with its own stream', () => {
    const spec = loadAugmentPreset('simclr');
    const images = randomImages(2, 16, 16, 3);
    const batch = buildViews(images, spec, { seed: 5, imageKeys: [7, 8] });
    const [a, b] = batch.views;
    expect(maxAbsDiff(a?.images.dataSync() ?? [], b?.images.dataSync() ?? [])).toBeGreaterThan(
      0.01,
    );
    const direct = applyPipeline(images, spec.views[0]?.ops ?? [], {
      seed: 5,
      stream: 1,
      imageKeys: [7, 8],
      size: { height: 16, width: 16 },
    });
    expect(maxAbsDiff(direct.images.dataSync(), b?.images.dataSync() ?? [])).toBe(0);
    tf.dispose(direct.images);
    disposeViewBatch(batch);
    images.dispose();
  });

  it('PIRL gives shuffled tiles with permutation labels; triplet gives negatives ≠ anchor; RotNet gives labels', () => {
    const images = randomImages(4, 24, 24, 3);
    const pirl = buildViews(images, loadAugmentPreset('pirl-jigsaw'), { seed: 3 });
    expect(pirl.jigsaw?.tiles.shape).toEqual([36, 8, 8, 3]);
    expect(pirl.jigsaw?.permutationIndex.every((p) => p >= 0 && p < 100)).toBe(true);
    disposeViewBatch(pirl);

    const triplet = buildViews(
      images,
      {
        kind: 'triplet',
        views: [
          { name: 'anchor', ops: [{ op: 'horizontal-flip' }] },
          { name: 'positive', ops: [{ op: 'grayscale' }] },
        ],
      },
      { seed: 3 },
    );
    expect(Array.from(triplet.negatives ?? []).every((j, i) => j !== i && j >= 0 && j < 4)).toBe(
      true,
    );
    disposeViewBatch(triplet);

    const rot = buildViews(
      images,
      { kind: 'rotation', views: [{ name: 'view', ops: [] }], rotation: { mode: 'all' } },
      { seed: 3 },
    );
    expect(rot.views[0]?.images.shape).toEqual([16, 24, 24, 3]);
    expect(Array.from(rot.rotationLabels ?? [])).toEqual([
      0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
    ]);
    disposeViewBatch(rot);
    images.dispose();
  });

  it('same seed ⇒ identical views; the tiles are deterministic too', () => {
    const images = randomImages(2, 24, 24, 3);
    const spec = loadAugmentPreset('pirl-jigsaw');
    const a = buildViews(images, spec, { seed: 9 });
    const b = buildViews(images, spec, { seed: 9 });
    expect(
      maxAbsDiff(a.views[0]?.images.dataSync() ?? [], b.views[0]?.images.dataSync() ?? []),
    ).toBe(0);
    expect(maxAbsDiff(a.jigsaw?.tiles.dataSync() ?? [], b.jigsaw?.tiles.dataSync() ?? [])).toBe(0);
    disposeViewBatch(a);
    disposeViewBatch(b);
    images.dispose();
  });
});
