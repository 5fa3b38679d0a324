/**
 * The folder browser behind `files:folders`: lists the sub-folders of a folder inside the browse root
 * (the user's home), so nobody has to type a path — in browser mode too, where no native picker exists.
 * Read-only: it lists names and counts image files by extension; it never opens an image.
 * Symbolic links are resolved before the containment check, so a link cannot lead outside the root.
 */
import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { FolderListing } from '../../shared/schemas/files';
import { WorkbenchError } from '../../shared/errors';
import { IMAGE_EXTENSIONS } from '../data/image-types';

/** At most this many sub-folders are listed (alphabetically first); `truncated` says when there were more. */
export const MAX_FOLDERS = 500;

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.startsWith(`..${sep}`));
}

function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** A directory entry that is (or links to) a folder inside `root`; its real path, else undefined. */
function folderInside(root: string, dir: string, entry: Dirent): string | undefined {
  if (entry.name.startsWith('.')) return undefined;
  const path = join(dir, entry.name);
  if (entry.isDirectory()) return path;
  if (!entry.isSymbolicLink()) return undefined;
  try {
    const real = realpathSync(path);
    return statSync(real).isDirectory() && isInside(root, real) ? path : undefined;
  } catch {
    return undefined;
  }
}

function counts(root: string, dir: string): { images: number; folders: number } {
  let images = 0;
  let folders = 0;
  for (const entry of entries(dir)) {
    if ((entry.isFile() || entry.isSymbolicLink()) && IMAGE_EXTENSIONS.has(extname(entry.name).toLowerCase())) images += 1;
    else if (folderInside(root, dir, entry)) folders += 1;
  }
  return { images, folders };
}

/** File kinds the browser can list for choosing a file, by extension. */
const FILE_KINDS: Record<'csv', ReadonlySet<string>> = { csv: new Set(['.csv', '.tsv', '.txt']) };

/** Files of `kind` directly in `dir` (hidden ones left out; links only when they stay inside `root`). */
function filesOfKind(root: string, dir: string, listed: readonly Dirent[], kind: 'csv'): { name: string; path: string }[] {
  const files: { name: string; path: string }[] = [];
  for (const entry of listed) {
    if (entry.name.startsWith('.') || !FILE_KINDS[kind].has(extname(entry.name).toLowerCase())) continue;
    const path = join(dir, entry.name);
    if (entry.isFile()) files.push({ name: entry.name, path });
    else if (entry.isSymbolicLink()) {
      try {
        const real = realpathSync(path);
        if (statSync(real).isFile() && isInside(root, real)) files.push({ name: entry.name, path });
      } catch {
        // A broken link is not offered.
      }
    }
  }
  return files.sort((a, b) => a.name.localeCompare(b.name)).slice(0, MAX_FOLDERS);
}

export function listFolders(browseRoot: string, path?: string, files?: 'csv'): FolderListing {
  let root: string;
  try {
    root = realpathSync(browseRoot);
  } catch {
    throw new WorkbenchError('UNAVAILABLE', `the browse root ${browseRoot} does not exist`);
  }
  const asked = path === undefined ? root : resolve(root, path);
  let real: string;
  try {
    real = realpathSync(asked);
  } catch {
    throw new WorkbenchError('NOT_FOUND', `no folder ${asked}`);
  }
  if (!isInside(root, real)) throw new WorkbenchError('INVALID_INPUT', `${asked} is outside ${root}; the folder browser lists folders under your home only`);
  if (!statSync(real).isDirectory()) throw new WorkbenchError('INVALID_INPUT', `${asked} is not a folder`);
  let listed: Dirent[];
  try {
    listed = readdirSync(real, { withFileTypes: true });
  } catch (err) {
    throw new WorkbenchError('UNAVAILABLE', `cannot read the folder ${asked}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const sub = listed
    .map((entry) => folderInside(root, real, entry))
    .filter((p): p is string => p !== undefined)
    .sort((a, b) => a.localeCompare(b));
  const own = counts(root, real);
  return {
    path: real,
    parent: real === root ? null : dirname(real),
    root,
    folders: sub.slice(0, MAX_FOLDERS).map((folder) => ({ name: folder.slice(real.length).replace(/^[/\\]/, ''), path: folder, ...counts(root, folder) })),
    images: own.images,
    truncated: sub.length > MAX_FOLDERS,
    ...(files ? { files: filesOfKind(root, real, listed, files) } : {}),
  };
}
