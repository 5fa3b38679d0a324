import type { GroupLayout } from './labels';

export interface GroupInfo {
  group: string | null;
  frameIndex: number | null;
}

// Frames are ordered the way a person reads them: frame2 before frame10.
const naturalOrder = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });

/**
 * Sequences: every folder that holds frames is one clip (group = the folder's relPath) and the
 * frames are numbered 0.. in natural file-name order. Views: every folder is one multi-view group
 * (cross-view positives), with no order. Files directly in the dataset root belong to no group.
 */
export function assignGroups(
  relPaths: readonly string[],
  layout: GroupLayout,
): Map<string, GroupInfo> {
  const out = new Map<string, GroupInfo>();
  if (layout === 'none') {
    for (const rel of relPaths) out.set(rel, { group: null, frameIndex: null });
    return out;
  }
  const byFolder = new Map<string, string[]>();
  for (const rel of relPaths) {
    const slash = rel.lastIndexOf('/');
    if (slash < 0) {
      out.set(rel, { group: null, frameIndex: null });
      continue;
    }
    const folder = rel.slice(0, slash);
    const members = byFolder.get(folder) ?? [];
    members.push(rel);
    byFolder.set(folder, members);
  }
  for (const [folder, members] of byFolder) {
    members.sort((a, b) => naturalOrder.compare(a, b));
    members.forEach((rel, i) =>
      out.set(rel, { group: folder, frameIndex: layout === 'sequences' ? i : null }),
    );
  }
  return out;
}
