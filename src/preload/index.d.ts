import type { WorkbenchApi } from '../shared/index';

declare global {
  interface Window {
    /** Present only inside the Electron window (see src/preload/index.ts). */
    workbench?: WorkbenchApi & {
      /** The filesystem path of a dropped file or folder (Electron's webUtils.getPathForFile). */
      pathForFile(file: File): string;
    };
  }
}

export {};
