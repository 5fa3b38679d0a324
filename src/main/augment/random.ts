/**
 * Seeded pseudo-random numbers for augmentation parameters.
 *
 * All randomness of the augmentation engine is drawn here, in JavaScript doubles, never on the
 * device: the same seed gives the same parameters on every backend, and the tensors then differ only
 * by float rounding. Streams are per image (`deriveSeed(seed, view, imageKey)`), so an image's
 * augmentation does not depend on its batch neighbours or on the batch size — a preview of image k
 * is exactly what training computes for image k with the same step seed.
 *
 * Generator: mulberry32 (Tommy Ettinger), 32-bit state, period 2^32; seeds are mixed with the
 * murmur3 finaliser so that nearby seeds (0, 1, 2 …) give unrelated streams.
 */

/** murmur3 fmix32: a bijective avalanche on 32-bit integers. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Fold any finite number (negative, > 2^32, fractional) into 32 bits without losing high bits. */
function toUint32(value: number): number {
  const int = Math.trunc(value);
  const low = int >>> 0;
  const high = Math.floor(int / 4294967296) >>> 0;
  return (low ^ fmix32(high + 0x9e3779b9)) >>> 0;
}

/** Combine a seed with keys (view index, image key, step …) into a new 32-bit seed. */
export function deriveSeed(seed: number, ...keys: number[]): number {
  let h = fmix32(toUint32(seed) ^ 0x6a09e667);
  for (const key of keys)
    h = fmix32((h ^ toUint32(key)) + 0x9e3779b9 + ((h << 6) >>> 0) + (h >>> 2));
  return h >>> 0;
}

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Integer uniform in [lo, hi) (hi exclusive). */
  int(lo: number, hi: number): number;
  /** true with probability p (p = 1 is always true, p = 0 never). */
  chance(p: number): boolean;
  /** A uniformly random permutation of 0..n−1 (Fisher–Yates). */
  permutation(n: number): number[];
}

export function createRng(seed: number): Rng {
  let state = fmix32(toUint32(seed));
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo)),
    chance: (p) => next() < p,
    permutation: (n) => {
      const out = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const tmp = out[i] as number;
        out[i] = out[j] as number;
        out[j] = tmp;
      }
      return out;
    },
  };
}
