/**
 * THE seeded pseudo-random generator of the workbench: mulberry32 (Tommy Ettinger), 32-bit state,
 * period 2^32, drawn in JavaScript doubles — never on the device — so the same seed gives the same
 * numbers on every backend and platform. Not for cryptography.
 *
 * One generator, three ways to turn a seed into its starting state, each kept because streams that
 * are already on disk depend on it (checkpoints store `position`; datasets, splits and subsets were
 * chosen with them; test/main/random/streams.test.ts pins all of them):
 * - `createRng(seed)`: the seed through the murmur3 finaliser, so nearby seeds (0, 1, 2 …) give
 *   unrelated streams — augmentation parameters, per-image streams, jigsaw permutations.
 * - `createDataRng(seed)`: seed XOR the golden ratio — loader orders, subsets, the demo dataset.
 * - `new SeededRng(state)`: the state as given — the methods' own sampling (memory-bank negatives,
 *   in-batch shifts), the linear probe's shuffles, UMAP's random source.
 */
import { fmix32, toUint32 } from './mix';

export class SeededRng {
  private state: number;

  constructor(state: number) {
    this.state = state >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer uniform in [lo, hi) (hi exclusive); with one argument n, in [0, n). */
  int(lo: number, hi?: number): number {
    if (hi === undefined) return Math.floor(this.next() * lo);
    return lo + Math.floor(this.next() * (hi - lo));
  }

  /** true with probability p (p = 1 is always true, p = 0 never). */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A uniformly random permutation of 0..n−1 (Fisher–Yates). */
  permutation(n: number): number[] {
    return shuffleInPlace(
      Array.from({ length: n }, (_, i) => i),
      this,
    );
  }

  /** The generator's state, for checkpoints: setting it back continues the stream exactly. */
  get position(): number {
    return this.state;
  }

  set position(value: number) {
    this.state = value >>> 0;
  }
}

/** Any stream the workbench draws from. */
export type Rng = SeededRng;

/** A stream whose seed is mixed first (nearby seeds → unrelated streams); any finite number is a seed. */
export function createRng(seed: number): SeededRng {
  return new SeededRng(fmix32(toUint32(seed)));
}

/** The data layer's stream: state = seed XOR 0x9e3779b9 (loader orders, subsets, demo shapes). */
export function createDataRng(seed: number): SeededRng {
  return new SeededRng((seed >>> 0) ^ 0x9e3779b9);
}

/** Fisher–Yates shuffle in place (arrays and typed arrays), from the last element down. */
export function shuffleInPlace<A extends { length: number; [index: number]: unknown }>(
  items: A,
  rng: SeededRng,
): A {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const a = items[i];
    items[i] = items[j];
    items[j] = a;
  }
  return items;
}
