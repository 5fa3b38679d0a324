/**
 * Seeded index subsets drawn by two small generators of their own, kept bit-for-bit because datasets
 * and projections already on disk were chosen with them (pinned in test/main/random/streams.test.ts).
 */

/**
 * A seeded permutation of 0..n−1 (Fisher–Yates with a multiply-xorshift step): the images a
 * standard-format import keeps under `limit`.
 */
export function seededOrder(n: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  let state = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = n - 1; i > 0; i -= 1) {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    const j = state % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/**
 * `limit` of 0..n−1 chosen by a seeded partial Fisher–Yates (xorshift32), returned sorted so a sample
 * reads a cache in order; all of them when n ≤ limit. The embeddings a projection shows.
 */
export function sampleIndices(n: number, limit: number, seed: number): number[] {
  if (n <= limit) return Array.from({ length: n }, (_, i) => i);
  const order = Array.from({ length: n }, (_, i) => i);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < limit; i += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const j = i + ((state >>> 0) % (n - i));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order.slice(0, limit).sort((a, b) => a - b);
}
