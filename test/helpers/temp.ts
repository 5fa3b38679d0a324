import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** A fresh temp folder and its remover. */
export function tempDir(prefix = 'cwb-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TempHome {
  /** The temp folder holding the workspace (`home/`) and whatever the set-up writes beside it. */
  root: string;
  /** The workspace folder, `root/home` (created by whatever opens it first). */
  home: string;
}

/**
 * For a test file: a temp folder with a workspace home in it, given to `setUp` in `beforeAll`, and
 * after the file's tests given to `tearDown` and removed. Read the fields inside tests.
 */
export function useTempHome<T extends TempHome>(
  setUp: (workspace: T) => Promise<void>,
  tearDown: (workspace: T) => Promise<void> = async () => undefined,
): T {
  const workspace = {} as T;
  let cleanup = (): void => undefined;
  beforeAll(async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    workspace.root = t.dir;
    workspace.home = join(t.dir, 'home');
    await setUp(workspace);
  });
  afterAll(async () => {
    await tearDown(workspace);
    cleanup();
  });
  return workspace;
}
