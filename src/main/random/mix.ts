/** 32-bit integer mixing shared by the generators and seed derivations (no state, no randomness). */

/** murmur3 fmix32: a bijective avalanche on 32-bit integers. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Fold any finite number (negative, > 2^32, fractional) into 32 bits without losing high bits. */
export function toUint32(value: number): number {
  const int = Math.trunc(value);
  const low = int >>> 0;
  const high = Math.floor(int / 4294967296) >>> 0;
  return (low ^ fmix32(high + 0x9e3779b9)) >>> 0;
}
