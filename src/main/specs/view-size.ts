/**
 * View and tile sizes in pixels: what a view group's `size` and a jigsaw grid mean for images of a
 * given size. Pure functions, used by the augmentation engine and the PyTorch plan alike.
 */
import type { ViewSize } from '../../shared/schemas/augment';

/** View size in pixels for images of `height × width` (relative sizes round, at least 2 px). */
export function resolveViewSize(
  size: ViewSize,
  height: number,
  width: number,
): { height: number; width: number } {
  if ('pixels' in size) return { height: size.pixels, width: size.pixels };
  return {
    height: Math.max(2, Math.round(size.relative * height)),
    width: Math.max(2, Math.round(size.relative * width)),
  };
}

/** One cell of an n×n jigsaw grid over `height × width` images; refused below 2 px. */
export function jigsawTileSize(
  spec: { grid: number },
  height: number,
  width: number,
): { height: number; width: number } {
  const tile = { height: Math.floor(height / spec.grid), width: Math.floor(width / spec.grid) };
  if (tile.height < 2 || tile.width < 2)
    throw new Error(
      `jigsaw: ${height}×${width} images are too small for a ${spec.grid}×${spec.grid} grid`,
    );
  return tile;
}
