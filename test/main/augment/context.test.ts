import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../src/main/compute/tf';
import {
  invertPermutation,
  jigsawPermutations,
  minimumHamming,
} from '../../../src/main/augment/jigsaw-permutations';
import { applyJigsaw, jigsaw, sampleJigsaw } from '../../../src/main/augment/jigsaw';
import { rotationPrediction } from '../../../src/main/augment/rotation-prediction';
import { samplePositives } from '../../../src/main/augment/positives';
import { createRng } from '../../../src/main/random/index';
import { expectNoLeak, maxAbsDiff, randomImages } from './fixtures';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('jigsaw permutation set', () => {
  it('is deterministic from the seed, distinct, and spread by Hamming distance', () => {
    const a = jigsawPermutations(3, 10, 1);
    expect(a).toEqual(jigsawPermutations(3, 10, 1));
    expect(a).not.toEqual(jigsawPermutations(3, 10, 2));
    expect(new Set(a.map((p) => p.join())).size).toBe(10);
    for (const p of a) expect([...p].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    // Greedy max-min on 9 tiles keeps 10 permutations at least 7 apart (random ones collide far sooner).
    expect(minimumHamming(a)).toBeGreaterThanOrEqual(7);
    // 2×2: 24 permutations exist; asking for 4 gives pairwise-disjoint placements (distance 4).
    expect(minimumHamming(jigsawPermutations(2, 4, 0))).toBe(4);
    expect(() => jigsawPermutations(2, 25)).toThrow(/only 24 exist/);
  });

  it('inverting a permutation undoes it', () => {
    for (const p of jigsawPermutations(3, 5, 3)) {
      const inv = invertPermutation(p);
      expect(p.map((cell) => inv[cell])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    }
  });
});

describe('jigsaw tiles', () => {
  const spec = { grid: 3, permutations: 10, permutationSeed: 0, jitter: 0 };

  it('cover the image: un-shuffling the tiles rebuilds it', () => {
    const images = randomImages(2, 12, 12, 3);
    const rngs = [createRng(1), createRng(2)];
    const cut = jigsaw(images, rngs, spec);
    expect(cut.tiles.shape).toEqual([18, 4, 4, 3]);
    const rebuilt = tf.tidy(() => {
      const rows: tf.Tensor[] = [];
      for (let i = 0; i < 2; i++) {
        const perm = cut.permutations[cut.permutationIndex[i] ?? 0] ?? [];
        const inverse = invertPermutation(perm);
        const cells = inverse.map((position) => tf.slice(cut.tiles, [i * 9 + position], [1]));
        const grid = [0, 1, 2].map((r) => tf.concat(cells.slice(3 * r, 3 * r + 3), 2));
        rows.push(tf.concat(grid, 1));
      }
      return tf.concat(rows, 0);
    });
    expect(maxAbsDiff(rebuilt.dataSync(), images.dataSync())).toBeLessThan(1e-5);
    tf.dispose([images, cut.tiles, rebuilt]);
  });

  it('the permutation actually moves tiles and the index is the label', () => {
    const images = randomImages(1, 12, 12, 1);
    const base = sampleJigsaw(createRng(5), spec, 12, 12);
    const perms = jigsawPermutations(3, 10, 0);
    const moving = perms.findIndex((p) => p[0] !== 0);
    const cut = applyJigsaw(images, [{ ...base, permutationIndex: moving }], spec);
    const first = tf.slice(cut.tiles, [0], [1]);
    const cell0 = tf.slice(images, [0, 0, 0, 0], [1, 4, 4, 1]);
    expect(maxAbsDiff(first.dataSync(), cell0.dataSync())).toBeGreaterThan(0.01);
    expect(Array.from(cut.permutationIndex)).toEqual([moving]);
    tf.dispose([images, cut.tiles, first, cell0]);
  });

  it('jittered tiles stay inside their cells and nothing leaks', () => {
    const images = randomImages(2, 16, 16, 3);
    const q = sampleJigsaw(createRng(3), { ...spec, jitter: 0.25 }, 16, 16);
    for (const [dy = -1, dx = -1] of q.offsets) {
      expect(dy).toBeGreaterThanOrEqual(0);
      expect(dy).toBeLessThanOrEqual((16 / 3) * 0.25);
      expect(dx).toBeLessThanOrEqual((16 / 3) * 0.25);
    }
    expectNoLeak(
      () => jigsaw(images, [createRng(1), createRng(2)], { ...spec, jitter: 0.25 }).tiles,
    );
    images.dispose();
  });
});

describe('rotation prediction', () => {
  it('all mode gives four labelled rotations; random mode one per image', () => {
    const images = randomImages(3, 8, 8, 1);
    const all = rotationPrediction(images, 'all', []);
    expect(all.images.shape).toEqual([12, 8, 8, 1]);
    expect(Array.from(all.labels)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]);
    const block0 = tf.slice(all.images, [0], [3]);
    expect(maxAbsDiff(block0.dataSync(), images.dataSync())).toBe(0);
    const random = rotationPrediction(images, 'random', [createRng(1), createRng(2), createRng(3)]);
    expect(random.images.shape).toEqual([3, 8, 8, 1]);
    for (let i = 0; i < 3; i++) {
      const k = random.labels[i] ?? 0;
      const expected = tf.slice(all.images, [k * 3 + i], [1]);
      const got = tf.slice(random.images, [i], [1]);
      expect(maxAbsDiff(got.dataSync(), expected.dataSync())).toBe(0);
      tf.dispose([expected, got]);
    }
    tf.dispose([images, all.images, block0, random.images]);
    const wide = tf.zeros([1, 4, 6, 1]) as tf.Tensor4D;
    expect(() => rotationPrediction(wide, 'all', [])).toThrow(/square/);
    wide.dispose();
  });
});

describe('cross-view and temporal positives', () => {
  const groups = [
    { kind: 'sequence' as const, items: [10, 11, 12, 13, 14, 15, 16, 17] },
    { kind: 'multi-view' as const, items: [20, 21, 22] },
    { kind: 'multi-view' as const, items: [30] },
  ];

  it('temporal positives are other frames within Δt', () => {
    const anchors = Array.from({ length: 200 }, (_, i) => 10 + (i % 8));
    const positives = samplePositives(anchors, groups, { source: 'temporal', maxFrameGap: 2 }, 7);
    const seen = new Set<number>();
    anchors.forEach((a, i) => {
      const p = positives[i] ?? -1;
      expect(p).not.toBe(a);
      expect(Math.abs(p - a)).toBeLessThanOrEqual(2);
      seen.add(p - a);
    });
    expect([...seen].sort()).toEqual([-1, -2, 1, 2].sort());
    expect(samplePositives(anchors, groups, { source: 'temporal', maxFrameGap: 2 }, 7)).toEqual(
      positives,
    );
  });

  it('multi-view positives are another member; singletons and strangers are their own positive', () => {
    const positives = samplePositives([20, 21, 22, 30, 99], groups, { source: 'multi-view' }, 1);
    for (let i = 0; i < 3; i++) {
      expect([20, 21, 22]).toContain(positives[i]);
      expect(positives[i]).not.toBe([20, 21, 22][i]);
    }
    expect(Array.from(positives.slice(3))).toEqual([30, 99]);
    expect(Array.from(samplePositives([20, 21], groups, { source: 'same-image' }, 1))).toEqual([
      20, 21,
    ]);
  });
});
