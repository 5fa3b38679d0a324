/**
 * Seeds from seeds: how one run seed becomes the seeds of every stream (per view, per image, per
 * epoch, per layer initialiser). Pure integer arithmetic; values are pinned in
 * test/main/random/streams.test.ts because checkpoints, splits and subsets depend on them.
 */
import { fmix32, toUint32 } from './mix';

/** Combine a seed with keys (view index, image key, step …) into a new 32-bit seed (augmentation, trainer). */
export function deriveSeed(seed: number, ...keys: number[]): number {
  let h = fmix32(toUint32(seed) ^ 0x6a09e667);
  for (const key of keys)
    h = fmix32((h ^ toUint32(key)) + 0x9e3779b9 + ((h << 6) >>> 0) + (h >>> 2));
  return h >>> 0;
}

/** An independent 32-bit seed for stream number `stream` (an epoch, a subset) of a data seed. */
export function streamSeed(seed: number, stream: number): number {
  let h = (seed ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A stable score in [0, 1) for a string key under a seed (FNV-1a, then mixed): seeded splits. */
export function keyScore(seed: number, key: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return streamSeed(h >>> 0, seed) / 4294967296;
}

/**
 * Deterministic seeds for layer initialisers. tfjs initialisers draw from `Math.random` unless given a
 * seed; handing every layer the next number of one sequence makes the same seed give the same initial
 * weights on every backend (the random numbers are generated in JavaScript, not by the backend).
 */
export class SeedSequence {
  private counter = 0;

  constructor(private readonly base: number) {}

  next(): number {
    this.counter += 1;
    // Spread the seeds so neighbouring layers of neighbouring runs never share a stream.
    return tfSeed((Math.imul(this.base ^ 0x9e3779b9, 0x85ebca6b) + this.counter * 7919) >>> 0);
  }
}

/**
 * The seed to hand a tfjs random op (`randomNormal`, `randomUniform`, initialisers). tfjs reads its
 * seed as `seed ? seed : Math.random()`, so seed 0 — the workbench's default — silently meant "not
 * seeded" (fine-tune and linear-probe scores changed from one call to the next). 0 becomes 0.5, a
 * value no integer seed can be; every other seed passes through unchanged.
 */
export function tfSeed(seed: number): number {
  return seed === 0 ? 0.5 : seed;
}
