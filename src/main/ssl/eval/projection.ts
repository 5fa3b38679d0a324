/**
 * 2-D projections of embeddings for inspection: PCA (top-2 principal axes by power iteration with
 * deflation on the D×D covariance) and UMAP (McInnes et al. 2018, arXiv:1802.03426, via umap-js).
 * Plain arrays in and out: rows of `features` [N, D] row-major → coordinates [N, 2].
 */
import { UMAP } from 'umap-js';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** PCA to 2-D. Deterministic: power iteration starts from a fixed vector. */
export function pca2d(features: Float32Array, n: number, d: number, iterations = 100): Float32Array {
  if (features.length !== n * d) throw new RangeError(`pca2d: ${features.length} values for [${n}, ${d}]`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i += 1) for (let j = 0; j < d; j += 1) mean[j]! += features[i * d + j]! / n;
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i += 1) {
    for (let j = 0; j < d; j += 1) row[j] = features[i * d + j]! - mean[j]!;
    for (let a = 0; a < d; a += 1) {
      const ra = row[a]!;
      if (ra === 0) continue;
      for (let b = a; b < d; b += 1) cov[a * d + b]! += ra * row[b]!;
    }
  }
  for (let a = 0; a < d; a += 1) for (let b = 0; b < a; b += 1) cov[a * d + b] = cov[b * d + a]!;
  const axes: Float64Array[] = [];
  for (let k = 0; k < 2; k += 1) {
    let v = new Float64Array(d).map((_, j) => 1 / Math.sqrt(d) + (j % 2 ? 1e-3 : -1e-3) * (k + 1));
    for (let it = 0; it < iterations; it += 1) {
      const next = new Float64Array(d);
      for (let a = 0; a < d; a += 1) {
        let s = 0;
        for (let b = 0; b < d; b += 1) s += cov[a * d + b]! * v[b]!;
        next[a] = s;
      }
      for (const axis of axes) {
        let dot = 0;
        for (let j = 0; j < d; j += 1) dot += next[j]! * axis[j]!;
        for (let j = 0; j < d; j += 1) next[j]! -= dot * axis[j]!;
      }
      const norm = Math.hypot(...next) || 1;
      v = next.map((x) => x / norm);
    }
    axes.push(v);
  }
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i += 1) {
    for (let k = 0; k < 2; k += 1) {
      let s = 0;
      for (let j = 0; j < d; j += 1) s += (features[i * d + j]! - mean[j]!) * axes[k]![j]!;
      out[i * 2 + k] = s;
    }
  }
  return out;
}

/** UMAP to 2-D with a seeded random source (same seed, same layout). */
export function umap2d(features: Float32Array, n: number, d: number, seed: number): Float32Array {
  if (n < 3) return pca2d(features, n, d);
  const rows: number[][] = [];
  for (let i = 0; i < n; i += 1) rows.push(Array.from(features.subarray(i * d, (i + 1) * d)));
  const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(15, n - 1), minDist: 0.1, random: mulberry32(seed) });
  const embedding = umap.fit(rows);
  const out = new Float32Array(n * 2);
  embedding.forEach((p, i) => {
    out[i * 2] = p[0] ?? 0;
    out[i * 2 + 1] = p[1] ?? 0;
  });
  return out;
}

/** Indices of the k rows most cosine-similar to row `query` (itself excluded), best first. */
export function nearestNeighbours(features: Float32Array, n: number, d: number, query: number, k: number): { index: number; similarity: number }[] {
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    let s = 0;
    for (let j = 0; j < d; j += 1) s += features[i * d + j]! ** 2;
    norms[i] = Math.sqrt(s) || 1;
  }
  const scores: { index: number; similarity: number }[] = [];
  for (let i = 0; i < n; i += 1) {
    if (i === query) continue;
    let s = 0;
    for (let j = 0; j < d; j += 1) s += features[i * d + j]! * features[query * d + j]!;
    scores.push({ index: i, similarity: s / (norms[i]! * norms[query]!) });
  }
  return scores.sort((a, b) => b.similarity - a.similarity).slice(0, k);
}
