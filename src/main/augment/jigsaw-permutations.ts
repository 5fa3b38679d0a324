/**
 * The fixed permutation set of the jigsaw task (Noroozi & Favaro 2016, arXiv:1603.09246, Alg. 1):
 * P permutations of the n² tiles chosen greedily for maximal minimum Hamming distance, so the
 * classes are as far apart as possible. Deterministic from `seed` (first pick and tie-breaks).
 * Candidates: all (n²)! permutations for n ≤ 3 (9! = 362 880); for n = 4 a seeded pool of 20 000.
 * Cost for 3×3: O(P · 9! · 9) — about a second for P = 100, so sets are memoised.
 */
import { createRng, deriveSeed } from '../random/index';

const POOL_LIMIT = 20_000;
const cache = new Map<string, number[][]>();

function allPermutations(k: number): Uint8Array {
  const count = Array.from({ length: k }, (_, i) => i + 1).reduce((a, b) => a * b, 1);
  const out = new Uint8Array(count * k);
  const current = Array.from({ length: k }, (_, i) => i);
  let row = 0;
  // Heap's algorithm, iterative.
  const c = new Array<number>(k).fill(0);
  out.set(current, row++ * k);
  let i = 0;
  while (i < k) {
    if ((c[i] ?? 0) < i) {
      const j = i % 2 === 0 ? 0 : (c[i] ?? 0);
      [current[j], current[i]] = [current[i] ?? 0, current[j] ?? 0];
      out.set(current, row++ * k);
      c[i] = (c[i] ?? 0) + 1;
      i = 0;
    } else {
      c[i] = 0;
      i++;
    }
  }
  return out;
}

function randomPool(k: number, seed: number): Uint8Array {
  const rng = createRng(deriveSeed(seed, 0x9001));
  const out = new Uint8Array(POOL_LIMIT * k);
  for (let r = 0; r < POOL_LIMIT; r++) out.set(rng.permutation(k), r * k);
  return out;
}

/** P permutations of 0..n²−1, each `perm[position] = cell` (the tile shown at `position`). */
export function jigsawPermutations(grid: number, count: number, seed = 0): number[][] {
  const key = `${grid}:${count}:${seed}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const k = grid * grid;
  const pool = k <= 9 ? allPermutations(k) : randomPool(k, seed);
  const size = pool.length / k;
  if (count > size)
    throw new Error(
      `jigsaw: ${count} permutations requested but only ${size} exist for a ${grid}×${grid} grid`,
    );
  const rng = createRng(deriveSeed(seed, grid, count));
  const minDistance = new Int32Array(size).fill(k + 1);
  const chosen: number[][] = [];
  let pick = rng.int(0, size);
  for (let step = 0; step < count; step++) {
    const perm = Array.from(pool.subarray(pick * k, pick * k + k));
    chosen.push(perm);
    minDistance[pick] = -1;
    let best = -1;
    let ties = 0;
    for (let r = 0; r < size; r++) {
      if (minDistance[r] === -1) continue;
      let d = 0;
      for (let t = 0, o = r * k; t < k; t++) if (pool[o + t] !== perm[t]) d++;
      const m = Math.min(minDistance[r] ?? 0, d);
      minDistance[r] = m;
      // Reservoir sampling over the arg-max ties keeps the choice uniform and seeded.
      if (m > best) {
        best = m;
        ties = 1;
        pick = r;
      } else if (m === best && rng.int(0, ++ties) === 0) {
        pick = r;
      }
    }
  }
  cache.set(key, chosen);
  return chosen;
}

/** The inverse permutation: `inverse[cell] = position`. */
export function invertPermutation(perm: readonly number[]): number[] {
  const inverse = new Array<number>(perm.length).fill(0);
  perm.forEach((cell, position) => (inverse[cell] = position));
  return inverse;
}

/** Minimum pairwise Hamming distance of a permutation set (for tests and the UI). */
export function minimumHamming(perms: readonly (readonly number[])[]): number {
  let min = Infinity;
  for (let a = 0; a < perms.length; a++) {
    for (let b = a + 1; b < perms.length; b++) {
      const pa = perms[a] ?? [];
      const pb = perms[b] ?? [];
      min = Math.min(
        min,
        pa.reduce((d, v, i) => d + (v !== pb[i] ? 1 : 0), 0),
      );
    }
  }
  return min;
}
