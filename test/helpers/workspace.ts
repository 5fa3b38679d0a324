import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createServices, type Services } from '../../src/main/services/index';
import { makeImageFolder } from './dataset';
import { tempDir } from './temp';

export interface TestWorkspace {
  services: Services;
  /** The temp folder holding the workspace (`home/`) and the generated images. */
  root: string;
  home: string;
}

/**
 * For a test file: a fresh workspace with the tiny two-class dataset imported as dataset 1
 * (16 px, a third held out for validation), closed and removed after the file's tests.
 * Read the fields inside tests (they are filled in `beforeAll`).
 */
export function useTestWorkspace(options: { classes?: string[]; perClass?: number; valFraction?: number } = {}): TestWorkspace {
  const workspace = {} as TestWorkspace;
  let cleanup = (): void => undefined;
  beforeAll(async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    workspace.root = t.dir;
    workspace.home = join(t.dir, 'home');
    workspace.services = createServices({ home: workspace.home, front: 'browser' });
    const dir = await makeImageFolder(join(t.dir, 'shapes'), options.classes, options.perClass);
    await workspace.services.datasets.import({ dir, size: 16, valFraction: options.valFraction ?? 0.34, seed: 0 });
  });
  afterAll(async () => {
    await workspace.services?.close();
    cleanup();
  });
  return workspace;
}
