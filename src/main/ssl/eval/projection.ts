/**
 * 2-D projections of embeddings for inspection: PCA (top principal axes by power iteration with
 * deflation on the D×D covariance, with the variance each explains) and UMAP (McInnes et al. 2018, arXiv:1802.03426, via umap-js).
 * Plain arrays in and out: rows of `features` [N, D] row-major → coordinates [N, 2].
 */
import { UMAP } from 'umap-js';
import { SeededRng } from '../../random/index';

/** Components whose share of the variance a PCA projection reports (the view lists them). */
export const PCA_SPECTRUM = 10;

export interface PcaProjection {
  /** Rows projected on the first two principal axes, [N, 2] row-major. */
  coords: Float32Array;
  /**
   * Fraction of the total variance (the covariance's trace) along each of the first
   * min(PCA_SPECTRUM, D) principal axes, largest first: λ_k / Σ λ. All 0 when every row is the same.
   */
  varianceRatio: number[];
}

/**
 * PCA to 2-D with the variance each principal axis explains. Deterministic: power iteration with
 * deflation starts from a fixed vector; λ_k is the Rayleigh quotient vᵀCv of the converged axis.
 * Example: rows (±2, 0, 0), (0, ±1, 0) → C = diag(8, 2, 0), ratios [0.8, 0.2, 0].
 */
export function pcaProjection(features: Float32Array, n: number, d: number, iterations = 100): PcaProjection {
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
  let trace = 0;
  for (let a = 0; a < d; a += 1) trace += cov[a * d + a]!;
  const times = (v: Float64Array): Float64Array => {
    const out = new Float64Array(d);
    for (let a = 0; a < d; a += 1) {
      let s = 0;
      for (let b = 0; b < d; b += 1) s += cov[a * d + b]! * v[b]!;
      out[a] = s;
    }
    return out;
  };
  const axes: Float64Array[] = [];
  // Gram-Schmidt against the axes found so far, twice: once is not enough when C·v is tiny (the
  // null space of a low-rank embedding), where rounding would leave the top axes back in v.
  const deflate = (vec: Float64Array): Float64Array => {
    for (let pass = 0; pass < 2; pass += 1) {
      for (const axis of axes) {
        let dot = 0;
        for (let j = 0; j < d; j += 1) dot += vec[j]! * axis[j]!;
        for (let j = 0; j < d; j += 1) vec[j]! -= dot * axis[j]!;
      }
    }
    return vec;
  };
  const unit = (vec: Float64Array): Float64Array => {
    let sum = 0;
    for (let j = 0; j < d; j += 1) sum += vec[j]! * vec[j]!;
    const norm = Math.sqrt(sum) || 1;
    return vec.map((x) => x / norm);
  };
  const eigenvalues: number[] = [];
  for (let k = 0; k < Math.min(PCA_SPECTRUM, d); k += 1) {
    let v = unit(deflate(new Float64Array(d).map((_, j) => 1 / Math.sqrt(d) + (j % 2 ? 1e-3 : -1e-3) * (k + 1))));
    // The two drawn axes get the full budget; the others only give their variance, and a Rayleigh
    // quotient is accurate long before its vector is (error ~ the vector's squared). Every axis
    // stops early once it no longer moves.
    const budget = k < 2 ? iterations : Math.min(iterations, 30);
    for (let it = 0; it < budget; it += 1) {
      const next = unit(deflate(unit(deflate(times(v)))));
      const moved = next.reduce((sum, x, j) => sum + Math.abs(x - v[j]!), 0);
      v = next;
      if (moved < 1e-10) break;
    }
    const cv = times(v);
    let lambda = 0;
    for (let j = 0; j < d; j += 1) lambda += v[j]! * cv[j]!;
    axes.push(v);
    // Rounding noise of a rank-deficient covariance is no variance.
    eigenvalues.push(lambda > trace * 1e-12 ? lambda : 0);
  }
  const coords = new Float32Array(n * 2);
  for (let i = 0; i < n; i += 1) {
    for (let k = 0; k < Math.min(2, axes.length); k += 1) {
      let s = 0;
      for (let j = 0; j < d; j += 1) s += (features[i * d + j]! - mean[j]!) * axes[k]![j]!;
      coords[i * 2 + k] = s;
    }
  }
  // Near-equal eigenvalues can come out of deflation slightly out of order; the list is by size.
  const ratios = eigenvalues.map((l) => (trace > 0 ? l / trace : 0)).sort((a, b) => b - a);
  return { coords, varianceRatio: ratios };
}

/** PCA to 2-D: the coordinates of `pcaProjection`. */
export function pca2d(features: Float32Array, n: number, d: number, iterations = 100): Float32Array {
  return pcaProjection(features, n, d, iterations).coords;
}

/** UMAP's random source: the workbench generator, its state the seed as given. */
function umapRandom(seed: number): () => number {
  const rng = new SeededRng(seed);
  return () => rng.next();
}

/** UMAP to 2-D with a seeded random source (same seed, same layout). */
export function umap2d(features: Float32Array, n: number, d: number, seed: number): Float32Array {
  if (n < 3) return pca2d(features, n, d);
  const rows: number[][] = [];
  for (let i = 0; i < n; i += 1) rows.push(Array.from(features.subarray(i * d, (i + 1) * d)));
  const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(15, n - 1), minDist: 0.1, random: umapRandom(seed) });
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
