/**
 * The application menu: File (Import folder…, Open workspace…, Export…, show the workspace), Edit,
 * View (the seven views, Ctrl/Cmd+1…7, zoom, full screen), Window, Help (docs, the log folder).
 * Commands that belong to the page go to the renderer as `app:menu` events; the rest act through
 * `MenuActions`. Pure data: index.ts builds the Electron menu from it; tests read it as it is.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { MENU_VIEWS, type MenuCommand } from '../../shared/schemas/files';
import type { DesktopPort } from '../services/desktop';

export interface MenuActions {
  desktop: DesktopPort;
  /** Send a command to the renderer (the `app:menu` event). */
  send: (command: MenuCommand) => void;
  workspace: string;
  logFile: string;
  /** Relaunch on another workspace folder. */
  openWorkspace: (path: string) => void;
  /** Open the documentation (the docs folder shipped with the app). */
  openDocs: () => Promise<void>;
  log: (line: string) => void;
}

const TITLES: Record<(typeof MENU_VIEWS)[number], string> = {
  datasets: 'Datasets',
  augment: 'Augmentations',
  experiments: 'Experiments',
  runs: 'Runs',
  embeddings: 'Embeddings',
  prototypes: 'Prototypes',
  export: 'Export',
};

export function menuTemplate(actions: MenuActions, platform = process.platform): MenuItemConstructorOptions[] {
  const failSafe = (what: string, run: () => Promise<unknown>) => () => {
    run().catch((err: unknown) => actions.log(`${what} failed: ${(err as Error).message}`));
  };
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      {
        label: 'Import Folder…',
        accelerator: 'CmdOrCtrl+O',
        click: failSafe('Import Folder', async () => {
          const path = await actions.desktop.pickFolder('dataset');
          if (path) actions.send({ command: 'import-folder', path });
        }),
      },
      {
        label: 'Open Workspace…',
        click: failSafe('Open Workspace', async () => {
          const path = await actions.desktop.pickFolder('workspace', actions.workspace);
          if (path && path !== actions.workspace) actions.openWorkspace(path);
        }),
      },
      { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: () => actions.send({ command: 'navigate', view: 'export' }) },
      { type: 'separator' },
      { label: 'Show Workspace in Folder', click: () => actions.desktop.showInFolder(actions.workspace) },
      { type: 'separator' },
      platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      ...MENU_VIEWS.map((name, i): MenuItemConstructorOptions => ({
        label: TITLES[name],
        accelerator: `CmdOrCtrl+${i + 1}`,
        click: () => actions.send({ command: 'navigate', view: name }),
      })),
      { type: 'separator' },
      { role: 'reload' },
      { role: 'toggleDevTools' },
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [
      {
        label: 'Documentation',
        click: failSafe('Documentation', actions.openDocs),
      },
      { label: `Log File: ${actions.logFile}`, enabled: false },
      { label: 'Show Log Folder', click: () => actions.desktop.showInFolder(actions.logFile) },
    ],
  };
  return [
    ...(platform === 'darwin' ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    file,
    { role: 'editMenu' },
    view,
    { role: 'windowMenu' },
    help,
  ];
}
