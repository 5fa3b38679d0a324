/**
 * Small seeded PRNG (mulberry32): 32-bit state, fast, good enough for shuffling and sampling.
 * Not for cryptography. Same seed → same sequence on every platform.
 */
export type Rng = () => number;

export function createRng(seed: number): Rng {
  let state = (seed >>> 0) ^ 0x9e3779b9;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle in place (arrays and typed arrays). */
export function shuffleInPlace<A extends { length: number; [index: number]: unknown }>(
  items: A,
  rng: Rng,
): A {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const a = items[i];
    items[i] = items[j];
    items[j] = a;
  }
  return items;
}

/** Integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** Derives an independent seed from a base seed and a stream number (e.g. the epoch). */
export function deriveSeed(seed: number, stream: number): number {
  let h = (seed ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A stable score in [0, 1) for a string key under a seed (FNV-1a, then mixed). */
export function keyScore(seed: number, key: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return deriveSeed(h >>> 0, seed) / 4294967296;
}
