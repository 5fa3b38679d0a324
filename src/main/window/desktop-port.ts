/** The desktop port (services/desktop.ts) on Electron: native folder dialogs and the file manager. */
import { BrowserWindow, dialog, shell } from 'electron';
import type { DesktopPort, FilePurpose, FolderPurpose } from '../services/desktop';

const TITLES: Record<FolderPurpose, { title: string; buttonLabel: string }> = {
  dataset: { title: 'Import an image folder', buttonLabel: 'Import' },
  export: { title: 'Choose where to export', buttonLabel: 'Export here' },
  workspace: { title: 'Open a workspace folder', buttonLabel: 'Open workspace' },
};

const FILE_DIALOGS: Record<FilePurpose, Electron.OpenDialogOptions> = {
  'labels-csv': {
    title: 'Choose a labels CSV (path,label)',
    buttonLabel: 'Use these labels',
    filters: [
      { name: 'CSV', extensions: ['csv', 'tsv', 'txt'] },
      { name: 'All files', extensions: ['*'] },
    ],
  },
};

async function showOpenDialog(options: Electron.OpenDialogOptions): Promise<string | null> {
  const parent = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

export function electronDesktopPort(): DesktopPort {
  return {
    async pickFolder(purpose, defaultPath) {
      const options: Electron.OpenDialogOptions = {
        ...TITLES[purpose],
        properties: purpose === 'dataset' ? ['openDirectory'] : ['openDirectory', 'createDirectory', 'promptToCreate'],
        ...(defaultPath ? { defaultPath } : {}),
      };
      return showOpenDialog(options);
    },
    async pickFile(purpose, defaultPath) {
      return showOpenDialog({ ...FILE_DIALOGS[purpose], properties: ['openFile'], ...(defaultPath ? { defaultPath } : {}) });
    },
    showInFolder(path) {
      shell.showItemInFolder(path);
    },
  };
}
