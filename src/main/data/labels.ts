import path from 'node:path';
import { parseLabelsCsv } from './formats/csv';
import type { SkippedFile } from './types';

export type GroupLayout = 'none' | 'sequences' | 'views';

/**
 * The class label implied by the folder layout: the immediate sub-folder of the dataset root.
 * With sequences or views the parent folder is the clip/group, so a label needs one level more
 * (`label/clip/frame.png`); `clip/frame.png` is unlabelled.
 */
export function folderLabel(relPath: string, layout: GroupLayout): string | null {
  const parts = relPath.split('/');
  const minDepth = layout === 'none' ? 2 : 3;
  return parts.length >= minDepth ? (parts[0] ?? null) : null;
}

export interface CsvLabels {
  /** relPath → label for rows naming a file that the scan found. */
  labels: Map<string, string>;
  skipped: SkippedFile[];
}

/**
 * Applies a `path,label` CSV. Paths are relative to the dataset root (or absolute inside it).
 * Malformed rows, rows pointing outside the folder, rows naming a file the scan did not find and
 * conflicting duplicate rows are reported in `skipped` as `<csv>:<line>` or the named path.
 * `known` holds the relPaths found by the scan; `alreadySkipped` the absolute paths the scan
 * already reported (so one bad file is not reported twice).
 */
export function labelsFromCsv(
  csvText: string,
  csvPath: string,
  rootAbs: string,
  known: ReadonlySet<string>,
  alreadySkipped: ReadonlySet<string>,
): CsvLabels {
  const { rows, problems } = parseLabelsCsv(csvText);
  const csvName = path.basename(csvPath);
  const skipped: SkippedFile[] = problems.map((p) => ({
    path: `${csvPath}:${p.line}`,
    reason: `labels CSV row skipped: ${p.reason}`,
  }));
  const labels = new Map<string, string>();
  const firstLine = new Map<string, number>();
  for (const row of rows) {
    const abs = path.resolve(rootAbs, row.path);
    const rel = path.relative(rootAbs, abs);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
      skipped.push({
        path: `${csvPath}:${row.line}`,
        reason: `labels CSV row skipped: path is outside the dataset folder (${row.path})`,
      });
      continue;
    }
    const relPath = rel.split(path.sep).join('/');
    if (!known.has(relPath)) {
      if (!alreadySkipped.has(abs))
        skipped.push({
          path: abs,
          reason: `listed in ${csvName} (line ${row.line}) but not found in the folder`,
        });
      continue;
    }
    const existing = labels.get(relPath);
    if (existing !== undefined && existing !== row.label) {
      skipped.push({
        path: `${csvPath}:${row.line}`,
        reason: `labels CSV row skipped: ${relPath} already labelled "${existing}" on line ${firstLine.get(relPath)}`,
      });
      continue;
    }
    labels.set(relPath, row.label);
    if (!firstLine.has(relPath)) firstLine.set(relPath, row.line);
  }
  return { labels, skipped };
}
