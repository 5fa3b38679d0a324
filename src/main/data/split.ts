import { keyScore } from '../random/index';
import type { Split } from './types';

export interface SplitUnit {
  /** Images sharing a key always land in the same split (a clip, a view group, identical bytes). */
  key: string;
  label: string | null;
}

/**
 * Seeded train/validation split. Units are ranked inside each label stratum by a seeded hash of
 * their key, and the lowest `round(n · valFraction)` of each stratum go to validation. Ranking by
 * hash (rather than shuffling a list) keeps a unit's split stable when other files are added or
 * removed on re-import. Unlabelled units form their own stratum.
 */
export function assignSplits(
  units: readonly SplitUnit[],
  valFraction: number,
  seed: number,
): Map<string, Split> {
  if (!(valFraction >= 0 && valFraction < 1))
    throw new RangeError(`valFraction must be in [0, 1), got ${valFraction}`);
  const strata = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const unit of units) {
    if (seen.has(unit.key)) continue;
    seen.add(unit.key);
    const stratum = unit.label === null ? '\u0000unlabelled' : `l:${unit.label}`;
    const keys = strata.get(stratum) ?? [];
    keys.push(unit.key);
    strata.set(stratum, keys);
  }
  const out = new Map<string, Split>();
  for (const keys of strata.values()) {
    const ranked = keys
      .map((key) => ({ key, score: keyScore(seed, key) }))
      .sort((a, b) => a.score - b.score || (a.key < b.key ? -1 : 1));
    const nVal = Math.round(ranked.length * valFraction);
    ranked.forEach((u, i) => out.set(u.key, i < nVal ? 'val' : 'train'));
  }
  return out;
}
