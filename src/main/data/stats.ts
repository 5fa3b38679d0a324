import type { ImportedImage, ImportStats, SkippedFile } from './types';

export type StatsExtra = Pick<
  ImportStats,
  | 'filesSeen'
  | 'hiddenIgnored'
  | 'unchanged'
  | 'decoded'
  | 'cacheHits'
  | 'size'
  | 'channels'
  | 'elapsedMs'
>;

/** Counts an import's outcome (the numbers the CLI and UI show). */
export function buildStats(
  images: readonly ImportedImage[],
  skipped: readonly SkippedFile[],
  extra: StatsExtra,
): ImportStats {
  const classes: Record<string, number> = {};
  let labelled = 0;
  let duplicates = 0;
  let val = 0;
  const groups = new Set<string>();
  for (const img of images) {
    if (img.label !== null) {
      classes[img.label] = (classes[img.label] ?? 0) + 1;
      labelled++;
    }
    if (img.duplicateOf !== null) duplicates++;
    if (img.split === 'val') val++;
    if (img.group !== null) groups.add(img.group);
  }
  return {
    imported: images.length,
    skipped: skipped.length,
    duplicates,
    labelled,
    classes,
    train: images.length - val,
    val,
    groups: groups.size,
    ...extra,
  };
}
