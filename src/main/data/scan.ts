import { readdir, stat } from 'node:fs/promises';
import type { Dirent, Stats } from 'node:fs';
import path from 'node:path';
import { DatasetImportError, throwIfAborted } from './errors';
import { IMAGE_EXTENSIONS } from './image-types';
import { fsErrorReason } from './reasons';
import type { SkippedFile } from './types';

/** An image-looking file found by the scan (not yet opened). */
export interface ScannedFile {
  path: string;
  /** Relative to the scanned root, `/`-separated, through symlinked folders as the user sees them. */
  relPath: string;
  size: number;
  mtimeMs: number;
}

export interface ScanResult {
  files: ScannedFile[];
  skipped: SkippedFile[];
  /** Every non-hidden file the scan saw, image or not. */
  filesSeen: number;
  hiddenIgnored: number;
}

export interface ScanOptions {
  /** Absolute paths not to report (e.g. the labels CSV when it lives in the folder). */
  exclude?: ReadonlySet<string>;
  signal?: AbortSignal;
  /** Called after each folder is listed: `done` folders listed of `total` found so far. */
  onFolder?: (done: number, total: number) => void;
}

/**
 * Lists image files under `root`, recursively, in a stable (sorted) order, without opening them.
 * Never throws for a single bad entry: unreadable folders, broken or looping symlinks, special
 * files, zero-byte files and entries that vanish while we look are returned in `skipped`.
 * Throws `DatasetImportError` only when the root itself is missing, not a folder or unreadable.
 */
export async function scanFolder(root: string, opts: ScanOptions = {}): Promise<ScanResult> {
  const rootAbs = path.resolve(root);
  const rootStat = await statRoot(rootAbs);
  const result: ScanResult = { files: [], skipped: [], filesSeen: 0, hiddenIgnored: 0 };
  // Folders are identified by device + inode, so a symlink back to an ancestor is seen once.
  const visited = new Map<string, string>([[inodeKey(rootStat), '.']]);
  const stack: string[] = [rootAbs];
  let listed = 0;
  let found = 1;

  while (stack.length > 0) {
    throwIfAborted(opts.signal);
    const dir = stack.pop() as string;
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (dir === rootAbs) throw rootError(err, rootAbs);
      result.skipped.push({ path: dir, reason: fsErrorReason(err, 'folder') });
      opts.onFolder?.(++listed, found);
      continue;
    }
    listed++;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    const inspected = await Promise.all(
      entries.map((entry) => inspectEntry(dir, entry, opts.exclude, result)),
    );
    for (const item of inspected) {
      if (item === null) continue;
      if (item.kind === 'dir') {
        const key = inodeKey(item.stats);
        const seenAs = visited.get(key);
        if (seenAs !== undefined) {
          result.skipped.push({
            path: item.path,
            reason: `symbolic link loop: folder already scanned as ${seenAs}`,
          });
          continue;
        }
        visited.set(key, toRelPath(rootAbs, item.path));
        subdirs.push(item.path);
      } else {
        result.files.push({
          path: item.path,
          relPath: toRelPath(rootAbs, item.path),
          size: item.stats.size,
          mtimeMs: item.stats.mtimeMs,
        });
      }
    }
    found += subdirs.length;
    // Reverse so that popping visits sub-folders in sorted order.
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i] as string);
    opts.onFolder?.(listed, found);
  }
  return result;
}

type Inspected = { kind: 'dir' | 'file'; path: string; stats: Stats } | null;

async function inspectEntry(
  dir: string,
  entry: Dirent,
  exclude: ReadonlySet<string> | undefined,
  result: ScanResult,
): Promise<Inspected> {
  const full = path.join(dir, entry.name);
  if (entry.name.startsWith('.')) {
    result.hiddenIgnored++;
    return null;
  }
  if (exclude?.has(full)) return null;
  let stats: Stats;
  try {
    stats = await stat(full); // follows symlinks; lstat would not tell us what they point at
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (!entry.isDirectory()) result.filesSeen++;
    const reason =
      entry.isSymbolicLink() && code === 'ENOENT'
        ? 'broken symbolic link'
        : fsErrorReason(err, entry.isDirectory() ? 'folder' : 'file');
    result.skipped.push({ path: full, reason });
    return null;
  }
  if (stats.isDirectory()) return { kind: 'dir', path: full, stats };
  result.filesSeen++;
  const ext = path.extname(entry.name).toLowerCase();
  if (!stats.isFile()) {
    // FIFOs, sockets and devices could block or never end; never open them.
    result.skipped.push({ path: full, reason: 'not a regular file' });
    return null;
  }
  if (!IMAGE_EXTENSIONS.has(ext)) {
    result.skipped.push({ path: full, reason: `not an image file (${ext || 'no extension'})` });
    return null;
  }
  if (stats.size === 0) {
    result.skipped.push({ path: full, reason: 'empty file (0 bytes)' });
    return null;
  }
  return { kind: 'file', path: full, stats };
}

async function statRoot(rootAbs: string): Promise<Stats> {
  let stats: Stats;
  try {
    stats = await stat(rootAbs);
  } catch (err) {
    throw rootError(err, rootAbs);
  }
  if (!stats.isDirectory())
    throw new DatasetImportError(
      'not-a-directory',
      `not a folder: ${rootAbs} (pick the folder that holds the images)`,
    );
  return stats;
}

function rootError(err: unknown, rootAbs: string): DatasetImportError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new DatasetImportError('not-found', `folder not found: ${rootAbs}`);
  if (code === 'ENOTDIR')
    return new DatasetImportError('not-a-directory', `not a folder: ${rootAbs}`);
  return new DatasetImportError(
    'unreadable',
    `cannot read folder ${rootAbs}: ${fsErrorReason(err, 'folder')}`,
  );
}

function inodeKey(stats: Stats): string {
  return `${stats.dev}:${stats.ino}`;
}

export function toRelPath(rootAbs: string, abs: string): string {
  return path.relative(rootAbs, abs).split(path.sep).join('/');
}
