/** The desktop port (services/desktop.ts) on Electron: native folder dialogs and the file manager. */
import { BrowserWindow, dialog, shell } from 'electron';
import type { DesktopPort, FolderPurpose } from '../services/desktop';

const TITLES: Record<FolderPurpose, { title: string; buttonLabel: string }> = {
  dataset: { title: 'Import an image folder', buttonLabel: 'Import' },
  export: { title: 'Choose where to export', buttonLabel: 'Export here' },
  workspace: { title: 'Open a workspace folder', buttonLabel: 'Open workspace' },
};

export function electronDesktopPort(): DesktopPort {
  return {
    async pickFolder(purpose, defaultPath) {
      const options: Electron.OpenDialogOptions = {
        ...TITLES[purpose],
        properties: purpose === 'dataset' ? ['openDirectory'] : ['openDirectory', 'createDirectory', 'promptToCreate'],
        ...(defaultPath ? { defaultPath } : {}),
      };
      const parent = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
      const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    showInFolder(path) {
      shell.showItemInFolder(path);
    },
  };
}
