import { describe, expect, it } from 'vitest';
import { classBalancedSubset } from '../../../src/main/ssl/eval/finetune';
import type { LoaderItem } from '../../../src/main/data/loader';

const item = (cacheIndex: number, label: number): LoaderItem => ({ cacheIndex, label, group: -1, frameIndex: -1 });
/** 100 of class 0, 30 of class 1, 5 of class 2, 7 unlabelled. */
const items: LoaderItem[] = [
  ...Array.from({ length: 100 }, (_, i) => item(i, 0)),
  ...Array.from({ length: 30 }, (_, i) => item(100 + i, 1)),
  ...Array.from({ length: 5 }, (_, i) => item(130 + i, 2)),
  ...Array.from({ length: 7 }, (_, i) => item(135 + i, -1)),
];
const countBy = (xs: LoaderItem[]): Record<number, number> =>
  xs.reduce<Record<number, number>>((acc, x) => ({ ...acc, [x.label]: (acc[x.label] ?? 0) + 1 }), {});

describe('classBalancedSubset', () => {
  it('takes round(fraction · n) of every class, at least one, never an unlabelled item', () => {
    expect(countBy(classBalancedSubset(items, 0.1, 0))).toEqual({ 0: 10, 1: 3, 2: 1 });
    expect(countBy(classBalancedSubset(items, 0.01, 0))).toEqual({ 0: 1, 1: 1, 2: 1 });
    expect(countBy(classBalancedSubset(items, 1, 0))).toEqual({ 0: 100, 1: 30, 2: 5 });
  });

  it('is seeded: same seed same subset, another seed another, no duplicates', () => {
    const a = classBalancedSubset(items, 0.1, 3).map((i) => i.cacheIndex);
    expect(classBalancedSubset(items, 0.1, 3).map((i) => i.cacheIndex)).toEqual(a);
    expect(classBalancedSubset(items, 0.1, 4).map((i) => i.cacheIndex)).not.toEqual(a);
    expect(new Set(a).size).toBe(a.length);
  });

  it('rejects a fraction outside (0, 1]', () => {
    for (const f of [0, -0.1, 1.5, Number.NaN]) expect(() => classBalancedSubset(items, f, 0)).toThrow(/fraction/);
  });
});
