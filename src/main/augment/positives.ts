/**
 * Cross-view and temporal positives: which dataset item is the positive of an anchor (pure index
 * logic; the loader then augments both). Sequences are ordered frames of one clip — the positive is
 * a different frame at most `maxFrameGap` frames away (Δt, in frames; cf. time-contrastive networks,
 * Sermanet et al. 2018, arXiv:1704.06888). Multi-view groups are simultaneous views of one object or
 * scene — the positive is another member. An anchor in no group, or alone, is its own positive
 * (two augmentations of one image, the SimCLR case).
 */
import type { PositivesSpec } from '../../shared/schemas/augment';
import { createRng, deriveSeed } from '../random/index';

export interface ItemGroup {
  /** `sequence`: items ordered in time; `multi-view`: an unordered set of views. */
  kind: 'sequence' | 'multi-view';
  items: readonly number[];
}

/** Position of every item in its group (the last group wins if an item is listed twice). */
export function indexGroups(
  groups: readonly ItemGroup[],
): Map<number, { group: ItemGroup; position: number }> {
  const index = new Map<number, { group: ItemGroup; position: number }>();
  groups.forEach((group) =>
    group.items.forEach((item, position) => index.set(item, { group, position })),
  );
  return index;
}

/**
 * One positive per anchor, seeded per anchor: `deriveSeed(seed, anchor)`.
 * Returns dataset item ids, index-aligned with `anchors`.
 */
export function samplePositives(
  anchors: ArrayLike<number>,
  groups: readonly ItemGroup[],
  spec: PositivesSpec,
  seed: number,
): Int32Array {
  const out = new Int32Array(anchors.length);
  const index = spec.source === 'same-image' ? undefined : indexGroups(groups);
  for (let i = 0; i < anchors.length; i++) {
    const anchor = anchors[i] ?? 0;
    out[i] = anchor;
    const entry = index?.get(anchor);
    if (!entry || entry.group.items.length < 2) continue;
    const rng = createRng(deriveSeed(seed, 0x705, anchor));
    const { group, position } = entry;
    let candidates: number[];
    if (spec.source === 'temporal') {
      const lo = Math.max(0, position - spec.maxFrameGap);
      const hi = Math.min(group.items.length - 1, position + spec.maxFrameGap);
      candidates = [];
      for (let p = lo; p <= hi; p++) if (p !== position) candidates.push(p);
    } else {
      candidates = group.items.map((_, p) => p).filter((p) => p !== position);
    }
    out[i] = group.items[candidates[rng.int(0, candidates.length)] ?? position] ?? anchor;
  }
  return out;
}
