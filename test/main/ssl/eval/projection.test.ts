import { describe, expect, it } from 'vitest';
import { nearestNeighbours, pca2d, pcaProjection, PCA_SPECTRUM, umap2d } from '../../../../src/main/ssl/eval/projection';

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

describe('PCA variance explained', () => {
  it('matches a hand-computable covariance: rows (±3,0,0), (0,±2,0), (0,0,±1) → diag(18, 8, 2)', () => {
    const rows = [
      [3, 0, 0],
      [-3, 0, 0],
      [0, 2, 0],
      [0, -2, 0],
      [0, 0, 1],
      [0, 0, -1],
    ];
    const { coords, varianceRatio } = pcaProjection(new Float32Array(rows.flat()), 6, 3);
    expect(varianceRatio).toHaveLength(3);
    expect(varianceRatio[0]).toBeCloseTo(18 / 28, 6);
    expect(varianceRatio[1]).toBeCloseTo(8 / 28, 6);
    expect(varianceRatio[2]).toBeCloseTo(2 / 28, 6);
    // Cumulative for the two shown axes: 26/28.
    expect(varianceRatio[0]! + varianceRatio[1]!).toBeCloseTo(26 / 28, 6);
    // The first axis is x (±3), the second y (±2), up to sign.
    expect(Array.from(coords, (v) => Math.abs(Math.round(v * 1e6) / 1e6))).toEqual([3, 0, 3, 0, 0, 2, 0, 2, 0, 0, 0, 0]);
  });

  it('lists at most PCA_SPECTRUM components, largest first, summing to at most 1', () => {
    const n = 40;
    const d = 16;
    let state = 12345;
    const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5;
    const f = new Float32Array(n * d).map((_, i) => next() * ((i % d) + 1));
    const { varianceRatio } = pcaProjection(f, n, d);
    expect(varianceRatio).toHaveLength(PCA_SPECTRUM);
    for (let k = 1; k < varianceRatio.length; k += 1) expect(varianceRatio[k]!).toBeLessThanOrEqual(varianceRatio[k - 1]! + 1e-9);
    expect(varianceRatio.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-9);
  });

  it('a rank-2 embedding explains everything in two components (no rounding noise beyond)', () => {
    const n = 40;
    const d = 16;
    // sin((r·d + j)·c) = sin(r·d·c)·cos(j·c) + cos(r·d·c)·sin(j·c): every row is in a 2-D span.
    const f = new Float32Array(n * d).map((_, i) => Math.sin(i * 12.9898));
    const { varianceRatio } = pcaProjection(f, n, d);
    expect(varianceRatio[0]! + varianceRatio[1]!).toBeCloseTo(1, 6);
    expect(varianceRatio.slice(2).every((r) => r < 1e-9)).toBe(true);
  });

  it('gives zeros, not NaN, when every row is the same', () => {
    expect(pcaProjection(new Float32Array([1, 2, 1, 2, 1, 2]), 3, 2).varianceRatio).toEqual([0, 0]);
  });
});
