import type { DuplicatesReport } from '../../shared/schemas/datasets';

/**
 * Marks files with identical content. The first file (in the given order) that has a hash is the
 * original; every later file with the same hash gets `duplicateOf = <original's relPath>`.
 */
export function findDuplicates(
  files: readonly { relPath: string; hash: string }[],
): Map<string, string> {
  const firstByHash = new Map<string, string>();
  const duplicateOf = new Map<string, string>();
  for (const f of files) {
    const original = firstByHash.get(f.hash);
    if (original === undefined) firstByHash.set(f.hash, f.relPath);
    else duplicateOf.set(f.relPath, original);
  }
  return duplicateOf;
}

/** Groups listed in an import's duplicates report, and copies listed per group (the counts stay exact). */
export const DUPLICATE_GROUPS_SHOWN = 20;
export const DUPLICATE_COPIES_SHOWN = 10;

/**
 * The import's report of exact duplicates, from images whose `duplicateOf` names the kept file.
 * Example: a.png, b.png (= a) and c.png (= a) → `{ files: 2, groups: 1, shown: [{ kept: 'a.png',
 * copies: ['b.png', 'c.png'], count: 2, conflictingLabels: [] }] }`.
 */
export function duplicatesReport(
  images: readonly { relPath: string; duplicateOf: string | null; label: string | null }[],
): DuplicatesReport {
  const labelOf = new Map(images.map((image) => [image.relPath, image.label]));
  const byKept = new Map<string, string[]>();
  for (const image of images) {
    if (image.duplicateOf === null) continue;
    byKept.set(image.duplicateOf, [...(byKept.get(image.duplicateOf) ?? []), image.relPath]);
  }
  const groups = [...byKept.entries()].map(([kept, copies]): DuplicatesReport['shown'][number] => {
    const labels = [...new Set([kept, ...copies].map((path) => labelOf.get(path) ?? null))];
    return {
      kept,
      copies: copies.slice(0, DUPLICATE_COPIES_SHOWN),
      count: copies.length,
      conflictingLabels: labels.length > 1 ? labels : [],
    };
  });
  groups.sort((a, b) => b.count - a.count || (a.kept < b.kept ? -1 : 1));
  return {
    files: groups.reduce((sum, g) => sum + g.count, 0),
    groups: groups.length,
    shown: groups.slice(0, DUPLICATE_GROUPS_SHOWN),
  };
}
