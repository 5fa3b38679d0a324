/** Electron lifecycle only: open the workspace, register IPC, open the window, close cleanly. */
import { app, BrowserWindow, ipcMain } from 'electron';
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
  services = createServices({ home: process.env['CWB_HOME'] ?? defaultHome(), front: 'electron', emit: broadcast });
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
