import { describe, expect, it } from 'vitest';
import { nearestNeighbours, pca2d, umap2d } from '../../../../src/main/ssl/eval/projection';

describe('2-D projections', () => {
  it('PCA finds the axis of largest variance first', () => {
    // Points on the line y = 2x in 3-D plus a small spread along z.
    const n = 50;
    const f = new Float32Array(n * 3);
    for (let i = 0; i < n; i += 1) {
      const t = i - n / 2;
      f.set([t, 2 * t, 0.1 * ((i % 5) - 2)], i * 3);
    }
    const xy = pca2d(f, n, 3);
    const first = Array.from({ length: n }, (_, i) => xy[2 * i]!);
    const second = Array.from({ length: n }, (_, i) => xy[2 * i + 1]!);
    const spread = (v: number[]) => Math.max(...v) - Math.min(...v);
    expect(spread(first)).toBeCloseTo(Math.sqrt(5) * (n - 1), 2);
    expect(spread(second)).toBeLessThan(0.5);
    // Projections preserve order along the line (up to the axis sign).
    const sign = Math.sign(first[n - 1]! - first[0]!);
    for (let i = 1; i < n; i += 1) expect(sign * (first[i]! - first[i - 1]!)).toBeGreaterThan(0);
  });

  it('rejects a shape that does not match the data', () => {
    expect(() => pca2d(new Float32Array(5), 2, 3)).toThrow(RangeError);
  });

  it('UMAP is seeded and keeps two well-separated clusters apart', () => {
    const n = 40;
    const f = new Float32Array(n * 4);
    for (let i = 0; i < n; i += 1) f.set(i < n / 2 ? [1, 0, 0, (i % 7) * 0.01] : [0, 1, 0, (i % 7) * 0.01], i * 4);
    const a = umap2d(f, n, 4, 3);
    expect(umap2d(f, n, 4, 3)).toEqual(a);
    const centre = (lo: number, hi: number) => {
      let x = 0;
      let y = 0;
      for (let i = lo; i < hi; i += 1) {
        x += a[2 * i]!;
        y += a[2 * i + 1]!;
      }
      return [x / (hi - lo), y / (hi - lo)] as const;
    };
    const [c0, c1] = [centre(0, n / 2), centre(n / 2, n)];
    const within = Math.max(...Array.from({ length: n / 2 }, (_, i) => Math.hypot(a[2 * i]! - c0[0], a[2 * i + 1]! - c0[1])));
    expect(Math.hypot(c0[0] - c1[0], c0[1] - c1[1])).toBeGreaterThan(within);
  });

  it('nearest neighbours rank by cosine similarity and exclude the query', () => {
    const f = new Float32Array([1, 0, 0.9, 0.1, 0, 1, -1, 0]);
    expect(nearestNeighbours(f, 4, 2, 0, 2).map((r) => r.index)).toEqual([1, 2]);
    expect(nearestNeighbours(f, 4, 2, 0, 3)[2]).toMatchObject({ index: 3, similarity: -1 });
  });
});
