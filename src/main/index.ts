/** Electron lifecycle only: open the workspace, register IPC, open the window, close cleanly. */
import { app, BrowserWindow, dialog, ipcMain } from 'electron';
import { registerIpcHandlers } from './ipc/register';
import { callHandlers, createServices, type Services } from './services/index';
import { createDispatch } from './services/dispatch';
import { createMainWindow } from './window';
import { defaultHome } from './workspace/home';

let services: Services | undefined;

function broadcast(channel: string, payload: unknown): void {
  for (const window of BrowserWindow.getAllWindows()) window.webContents.send(channel, payload);
}

app.enableSandbox();

void app.whenReady().then(() => {
  try {
    services = createServices({ home: process.env['CWB_HOME'] ?? defaultHome(), front: 'electron', emit: broadcast });
  } catch (err) {
    // A damaged or foreign store (left untouched), an unwritable workspace: say so and stop, as the CLI does.
    dialog.showErrorBox('Contrastive Workbench cannot open its workspace', err instanceof Error ? err.message : String(err));
    app.exit((err as { code?: string }).code === 'STORE_ERROR' ? 5 : 1);
    return;
  }
  registerIpcHandlers(ipcMain, createDispatch(callHandlers(services)), process.env['ELECTRON_RENDERER_URL']);
  createMainWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => {
  void services?.close();
});
