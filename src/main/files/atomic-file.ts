/**
 * Atomic file writes: the bytes go to a temporary file beside the target (same folder, so the same
 * file system and an atomic rename), are fsync'ed, and only then renamed over the target. A reader
 * sees the old file or the whole new one, never half of it — also after a crash or power loss. On any
 * failure the temporary file is removed and the target is left as it was.
 *
 * Three shapes of the same steps: `writeFileAtomicSync` and `writeFileAtomic` for data in memory (a
 * buffer, a string, or parts written one after another), and `openAtomicFile` for a file written by
 * position over time (the tensor cache), committed or aborted at the end.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';

/** What a file is made of: one string or buffer, or buffers written in order. */
export type FileData = string | Uint8Array | readonly Uint8Array[];

/** A hidden name beside `path`, unique per process, thread and call. */
export function tempPathFor(path: string): string {
  return join(
    dirname(path),
    `.${basename(path)}.${process.pid}-${threadId}-${randomBytes(4).toString('hex')}.tmp`,
  );
}

function parts(data: FileData): readonly Uint8Array[] {
  if (typeof data === 'string') return [Buffer.from(data, 'utf8')];
  return data instanceof Uint8Array ? [data] : data;
}

/**
 * Makes a rename inside `dir` durable by fsync'ing the folder. Best effort: some platforms (Windows)
 * and file systems cannot open or sync a folder, and the rename is atomic without it.
 */
function syncDirSync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // not supported here; the rename itself is still atomic
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // not supported here; the rename itself is still atomic
  } finally {
    await handle?.close();
  }
}

/** Writes `data` to `path` atomically (temp file, fsync, rename); returns the bytes written. */
export function writeFileAtomicSync(path: string, data: FileData): number {
  const temp = tempPathFor(path);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx');
    let bytes = 0;
    for (const part of parts(data)) {
      let offset = 0;
      while (offset < part.byteLength)
        offset += writeSync(fd, part, offset, part.byteLength - offset);
      bytes += part.byteLength;
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, path);
    syncDirSync(dirname(path));
    return bytes;
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temp, { force: true });
    throw err;
  }
}

/** Writes `data` to `path` atomically (temp file, fsync, rename); returns the bytes written. */
export async function writeFileAtomic(path: string, data: FileData): Promise<number> {
  const file = await openAtomicFile(path);
  try {
    let bytes = 0;
    for (const part of parts(data)) {
      await file.handle.write(part, 0, part.byteLength, bytes);
      bytes += part.byteLength;
    }
    await file.commit();
    return bytes;
  } catch (err) {
    await file.abort();
    throw err;
  }
}

/** A file being written under a temporary name; `commit` puts it in place, `abort` drops it. */
export interface AtomicFile {
  /** The open temporary file (write by position; do not close it). */
  readonly handle: FileHandle;
  readonly path: string;
  readonly tempPath: string;
  /** fsync, close and rename over `path`. On failure the temp file is removed and the error rethrown. */
  commit(): Promise<void>;
  /** Close and remove the temp file; `path` is left as it was. Safe to call more than once. */
  abort(): Promise<void>;
}

/** Opens a temporary file beside `path` for writing (and reading back, e.g. to checksum); nothing appears at `path` until `commit`. */
export async function openAtomicFile(path: string): Promise<AtomicFile> {
  const tempPath = tempPathFor(path);
  const handle = await open(tempPath, 'wx+');
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  const abort = async (): Promise<void> => {
    await close().catch(() => undefined);
    await rm(tempPath, { force: true });
  };
  return {
    handle,
    path,
    tempPath,
    abort,
    async commit() {
      try {
        await handle.sync();
        await close();
        await rename(tempPath, path);
      } catch (err) {
        await abort();
        throw err;
      }
      await syncDir(dirname(path));
    },
  };
}
