/**
 * Column widths of the augmentation preview table: the original and each view column get a share of
 * the width in proportion to their images' pixel side (the original as large as the largest view),
 * so a SwAV local crop (96 of 224 px) is drawn at 0.43 of a global crop's width. The table is at
 * most `base` px per largest column and shrinks evenly to fit the panel, so no column is cut off.
 */
export interface PreviewColumns {
  /** Fraction of the table width per column: [original, ...views]; sums to 1. */
  shares: number[];
  /** Image width as a fraction of its own column: [original, ...views] (1 for the largest). */
  relative: number[];
  /** The table's widest useful width in px (the largest images at `base` px). */
  maxWidth: number;
}

/** The smallest column still gets this share of the largest one's width (room for its caption). */
const MIN_COLUMN = 0.45;

export function previewColumnWidths(
  viewSizes: readonly number[] | undefined,
  columns: number,
  base = 96,
): PreviewColumns {
  const sizes = Array.from({ length: columns }, (_, v) => viewSizes?.[v] ?? 1);
  const largest = Math.max(1, ...sizes);
  const scale = [1, ...sizes.map((s) => s / largest)];
  // A column is as wide as its image, but never narrower than MIN_COLUMN of a full one.
  const widths = scale.map((r) => Math.max(r, MIN_COLUMN));
  const total = widths.reduce((a, b) => a + b, 0);
  return {
    shares: widths.map((w) => w / total),
    relative: scale.map((r, c) => r / widths[c]!),
    maxWidth: Math.round(total * (base + 8)),
  };
}
