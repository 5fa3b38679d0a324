import { join } from 'node:path';
import { createServices, type Services } from '../../src/main/services/index';
import { makeImageFolder } from './dataset';
import { type TempHome, useTempHome } from './temp';

export interface TestWorkspace extends TempHome {
  services: Services;
}

/**
 * For a test file: a fresh workspace with the tiny two-class dataset imported as dataset 1
 * (16 px, a third held out for validation), closed and removed after the file's tests.
 * Read the fields inside tests (they are filled in `beforeAll`).
 */
export function useTestWorkspace(options: { classes?: string[]; perClass?: number; valFraction?: number } = {}): TestWorkspace {
  return useTempHome<TestWorkspace>(
    async (workspace) => {
      workspace.services = createServices({ home: workspace.home, front: 'browser' });
      const dir = await makeImageFolder(join(workspace.root, 'shapes'), options.classes, options.perClass);
      await workspace.services.datasets.import({ dir, size: 16, valFraction: options.valFraction ?? 0.34, seed: 0 });
    },
    async (workspace) => {
      await workspace.services?.close();
    },
  );
}
