/** Issue 17 §4: local crops drawn at their true size relative to the global crops. */
import { describe, expect, it } from 'vitest';
import { previewColumnWidths } from '../../src/renderer/src/components/augment/preview-columns';

describe('preview column widths', () => {
  it('SwAV 224/96: a local image is 0.43 of a global one, and the columns fill the table', () => {
    const sizes = [224, 224, 96, 96, 96, 96, 96, 96];
    const c = previewColumnWidths(sizes, sizes.length);
    const width = (col: number) => c.shares[col]! * c.relative[col]!;
    expect(width(3) / width(1)).toBeCloseTo(96 / 224, 6);
    expect(width(0)).toBeCloseTo(width(1), 9);
    expect(c.shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(c.shares).toHaveLength(9);
    // At most 96 px for the largest image (+8 px of padding per column share).
    expect(c.maxWidth).toBe(Math.round((3 + 6 * 0.45) * 104));
  });

  it('equal sizes (or none sent) give equal columns', () => {
    for (const sizes of [[28, 28], undefined]) {
      const c = previewColumnWidths(sizes, 2);
      expect(c.shares.map((s) => s.toFixed(6))).toEqual(Array(3).fill((1 / 3).toFixed(6)));
      expect(c.relative).toEqual([1, 1, 1]);
    }
  });

  it('a very small view keeps a readable column but its image stays to scale', () => {
    const c = previewColumnWidths([100, 10], 2);
    expect(c.shares[2]! / c.shares[1]!).toBeCloseTo(0.45, 6);
    expect((c.shares[2]! * c.relative[2]!) / (c.shares[1]! * c.relative[1]!)).toBeCloseTo(0.1, 6);
  });
});
