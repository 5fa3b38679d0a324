import { createDataRng, shuffleInPlace, streamSeed, type Rng } from '../random/index';

/** What the loader needs to know about one image. -1 means "none". */
export interface LoaderItem {
  /** Record index in the tensor cache. */
  cacheIndex: number;
  /** Class index, or -1 when unlabelled. */
  label: number;
  /** Sequence / view group index, or -1. */
  group: number;
  /** Frame position inside a sequence, or -1. */
  frameIndex: number;
}

/**
 * A fixed, seeded subset of `size` items. Stratified: every label keeps its share (largest
 * remainder rounding), unlabelled items count as one more stratum. Returns sorted item indices.
 */
export function selectSubset(
  items: readonly LoaderItem[],
  size: number,
  stratified: boolean,
  seed: number,
): number[] {
  const n = items.length;
  if (!(Number.isInteger(size) && size >= 1))
    throw new RangeError(`subset size must be a positive integer, got ${size}`);
  if (size >= n) return items.map((_, i) => i);
  const rng = createDataRng(streamSeed(seed, 0x5b5e7));
  if (!stratified)
    return shuffleInPlace(
      items.map((_, i) => i),
      rng,
    )
      .slice(0, size)
      .sort((a, b) => a - b);
  const strata = new Map<number, number[]>();
  items.forEach((item, i) => {
    const list = strata.get(item.label) ?? [];
    list.push(i);
    strata.set(item.label, list);
  });
  const keys = [...strata.keys()].sort((a, b) => a - b);
  const quotas = keys.map((k) => {
    const exact = ((strata.get(k)?.length ?? 0) * size) / n;
    return { k, take: Math.floor(exact), rest: exact - Math.floor(exact) };
  });
  let missing = size - quotas.reduce((s, q) => s + q.take, 0);
  for (const q of [...quotas].sort((a, b) => b.rest - a.rest || a.k - b.k)) {
    if (missing-- <= 0) break;
    q.take++;
  }
  const chosen: number[] = [];
  for (const q of quotas)
    chosen.push(...shuffleInPlace([...(strata.get(q.k) ?? [])], rng).slice(0, q.take));
  return chosen.sort((a, b) => a - b);
}

/** The visiting order of one epoch: a seeded permutation, different for every epoch. */
export function epochOrder(
  count: number,
  seed: number,
  epoch: number,
  shuffle: boolean,
): Int32Array {
  const order = Int32Array.from({ length: count }, (_, i) => i);
  if (shuffle) shuffleInPlace(order, createDataRng(streamSeed(seed, epoch)));
  return order;
}

export type PositiveSampling = { kind: 'temporal'; maxOffset: number } | { kind: 'group' };

/** Members of each group, sorted by frame index (then item index). */
export function indexGroups(
  items: readonly LoaderItem[],
  members: readonly number[],
): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (const i of members) {
    const g = (items[i] as LoaderItem).group;
    if (g < 0) continue;
    const list = groups.get(g) ?? [];
    list.push(i);
    groups.set(g, list);
  }
  for (const list of groups.values())
    list.sort(
      (a, b) => (items[a] as LoaderItem).frameIndex - (items[b] as LoaderItem).frameIndex || a - b,
    );
  return groups;
}

/**
 * A positive partner for item i: another frame of its sequence at most `maxOffset` frames away
 * (temporal), or another member of its view group. Falls back to i itself when there is none, so
 * the two augmented views of one image still form a positive pair.
 */
export function pickPositive(
  i: number,
  items: readonly LoaderItem[],
  groups: Map<number, number[]>,
  how: PositiveSampling,
  rng: Rng,
): number {
  const item = items[i] as LoaderItem;
  const members = item.group >= 0 ? groups.get(item.group) : undefined;
  if (members === undefined || members.length < 2) return i;
  const candidates =
    how.kind === 'temporal'
      ? members.filter(
          (j) =>
            j !== i &&
            Math.abs((items[j] as LoaderItem).frameIndex - item.frameIndex) <= how.maxOffset,
        )
      : members.filter((j) => j !== i);
  return candidates.length === 0 ? i : (candidates[rng.int(candidates.length)] as number);
}
