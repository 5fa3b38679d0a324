/**
 * All-or-nothing output folders. Files are written into a hidden temporary folder next to the target
 * (same file system, so the final rename is atomic) and the folder is renamed into place only after
 * every file is complete. On any failure the temporary folder is removed: an export either exists in
 * full or not at all. Files inside are written with `writeFileAtomic` (atomic-file.ts), fsync'ed.
 *
 * Refusals (nothing touched): the target exists and is not a folder; the target or its parent is not
 * writable; the target is a non-empty folder and `force` is not set. With `force`, the old folder is
 * moved aside, the new one renamed in, and only then the old one deleted.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { WorkbenchError } from '../../shared/errors';

export interface AtomicDirOptions {
  /** Replace a non-empty target folder. Never overrides an unwritable target. */
  force?: boolean;
}

async function statOrUndefined(
  path: string,
): Promise<Awaited<ReturnType<typeof stat>> | undefined> {
  try {
    return await stat(path);
  } catch (err) {
    // ENOTDIR: some ancestor is a file, so the path cannot exist either.
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

async function writable(path: string): Promise<boolean> {
  try {
    await access(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The nearest existing ancestor (the target's parent may not exist yet). */
async function existingAncestor(path: string): Promise<string> {
  let dir = path;
  while (!(await statOrUndefined(dir))) {
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return dir;
}

/** `details.reason` of the refusal to write into a non-empty folder. */
export const OUTPUT_NOT_EMPTY = 'output-not-empty';

/** Checks the target without touching it; throws a WorkbenchError a user can act on. */
export async function checkOutputDir(outDir: string, opts: AtomicDirOptions = {}): Promise<void> {
  const target = resolve(outDir);
  const info = await statOrUndefined(target);
  if (info && !info.isDirectory()) {
    throw new WorkbenchError('CONFLICT', `output "${target}" exists and is not a folder`);
  }
  if (info && !(await writable(target))) {
    throw new WorkbenchError('INVALID_INPUT', `output folder "${target}" is not writable`);
  }
  if (info && !opts.force && (await readdir(target)).length > 0) {
    // `details.reason` lets each front name its own way to replace (the UI has a checkbox, the CLI --force).
    throw new WorkbenchError('CONFLICT', `output folder "${target}" is not empty; choose another folder or use --force to replace it`, { reason: OUTPUT_NOT_EMPTY, path: target });
  }
  const ancestor = await existingAncestor(dirname(target));
  const ancestorInfo = await statOrUndefined(ancestor);
  if (!ancestorInfo?.isDirectory()) {
    throw new WorkbenchError(
      'INVALID_INPUT',
      `cannot create "${target}": "${ancestor}" is not a folder`,
    );
  }
  if (!(await writable(ancestor))) {
    throw new WorkbenchError('INVALID_INPUT', `cannot write into "${ancestor}": permission denied`);
  }
}

/**
 * Runs `write(tempDir)` and, when it resolves, moves the folder it filled to `outDir`. Returns what
 * `write` returned. Failures (in `write` or in the final rename) leave `outDir` as it was.
 */
export async function writeDirAtomic<T>(
  outDir: string,
  opts: AtomicDirOptions,
  write: (dir: string) => Promise<T>,
): Promise<T> {
  const target = resolve(outDir);
  await checkOutputDir(target, opts);
  const parent = dirname(target);
  // Parents created here are removed again when the export fails.
  const createdParent = await mkdir(parent, { recursive: true });
  const temp = await mkdtemp(join(parent, `.${basename(target)}.export-`));
  let aside: string | undefined;
  let done = false;
  try {
    const result = await write(temp);
    if (await statOrUndefined(target)) {
      // checkOutputDir allowed it: empty, or non-empty with force. Move aside rather than delete first.
      aside = join(parent, `.${basename(target)}.replaced-${randomBytes(4).toString('hex')}`);
      await rename(target, aside);
    }
    try {
      await rename(temp, target);
    } catch (err) {
      if (aside) await rename(aside, target);
      aside = undefined;
      throw err;
    }
    done = true;
    return result;
  } finally {
    await rm(temp, { recursive: true, force: true });
    if (aside) await rm(aside, { recursive: true, force: true });
    if (!done && createdParent) await rm(createdParent, { recursive: true, force: true });
  }
}
