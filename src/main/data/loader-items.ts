import type { LoaderItem } from './sampling';
import type { ImportedImage, Split } from './types';

export interface LoaderItems {
  items: LoaderItem[];
  /** Class names; `items[i].label` indexes into it. Sorted, so stable across splits. */
  classes: string[];
  /** For each item, its position in the `images` array given. */
  imageIndex: number[];
}

/**
 * Turns imported image records into loader items for one split. Duplicates are left out by
 * default: the same picture twice in a batch would be a false negative for a contrastive loss.
 * Images whose hash is not in the cache (e.g. failed to decode since) are left out too.
 */
export function toLoaderItems(
  images: readonly ImportedImage[],
  cacheHashes: readonly string[],
  opts: { split?: Split; includeDuplicates?: boolean } = {},
): LoaderItems {
  const recordOf = new Map(cacheHashes.map((h, i) => [h, i]));
  const classes = [
    ...new Set(images.map((i) => i.label).filter((l): l is string => l !== null)),
  ].sort();
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  const groupIndex = new Map<string, number>();
  const items: LoaderItem[] = [];
  const imageIndex: number[] = [];
  images.forEach((img, i) => {
    if (opts.split !== undefined && img.split !== opts.split) return;
    if (!opts.includeDuplicates && img.duplicateOf !== null) return;
    const cacheIndex = recordOf.get(img.hash);
    if (cacheIndex === undefined) return;
    let group = -1;
    if (img.group !== null) {
      group = groupIndex.get(img.group) ?? groupIndex.size;
      groupIndex.set(img.group, group);
    }
    items.push({
      cacheIndex,
      label: img.label === null ? -1 : (classIndex.get(img.label) ?? -1),
      group,
      frameIndex: img.frameIndex ?? -1,
    });
    imageIndex.push(i);
  });
  return { items, classes, imageIndex };
}
