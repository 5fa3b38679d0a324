import type { WorkbenchApi } from '../shared/index';

declare global {
  interface Window {
    /** Present only inside the Electron window (see src/preload/index.ts). */
    workbench?: WorkbenchApi;
  }
}

export {};
