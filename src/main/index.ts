/**
 * Electron lifecycle only: one instance; stages workspace → store → engine worker → preload → window
 * load, each failure ending in a dialog, a log line and exit 1 (window/startup-failure.ts); "window
 * ready" on stdout for `npm start` (window/ready.ts); close cleanly.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, shell } from 'electron';
import { join } from 'node:path';
import { registerIpcHandlers } from './ipc/register';
import { callHandlers, createServices, type Services } from './services/index';
import { createDispatch } from './services/dispatch';
import { resolveSqliteBinding } from './store/native-binding';
import { createMainWindow, lockDownSession } from './window';
import { electronDesktopPort } from './window/desktop-port';
import { menuTemplate } from './window/menu';
import { WINDOW_READY_LINE, waitForWindowReady } from './window/ready';
import { reportStartupFailure, startupStage, within } from './window/startup-failure';
import { defaultHome, ensureHome } from './workspace/home';
import { LogFile, logFilePath } from './workspace/log-file';

let services: Services | undefined;
let log: LogFile | undefined;
let ready = false;
const desktop = electronDesktopPort();

function broadcast(channel: string, payload: unknown): void {
  for (const window of BrowserWindow.getAllWindows()) window.webContents.send(channel, payload);
}

function logLine(level: 'info' | 'warn' | 'error', line: string): void {
  log?.write(level, line);
}

function openWindow(): BrowserWindow {
  return createMainWindow(join(app.getPath('userData'), 'window-state.json'), (line) => logLine('warn', line));
}

/** `--workspace=<dir>` (set by File → Open Workspace…), else CWB_HOME, else the OS app-data folder. */
function workspaceArgument(): string {
  const arg = process.argv.find((a) => a.startsWith('--workspace='));
  return arg ? arg.slice('--workspace='.length) : (process.env['CWB_HOME'] ?? defaultHome());
}

function openWorkspace(path: string): void {
  app.relaunch({ args: [...process.argv.slice(1).filter((a) => !a.startsWith('--workspace=')), `--workspace=${path}`] });
  app.quit();
}

async function start(): Promise<void> {
  const home = await startupStage('workspace', () => ensureHome(workspaceArgument()));
  log = new LogFile(logFilePath(home));
  logLine('info', `starting ${app.getVersion()} on Electron ${process.versions.electron} (${process.platform}-${process.arch}), workspace ${home}`);
  services = await startupStage('store', () => {
    const sqliteBinding = resolveSqliteBinding({ root: app.getAppPath(), electronVersion: process.versions.electron, packaged: app.isPackaged });
    return createServices({ home, front: 'electron', emit: broadcast, desktop, ...(sqliteBinding ? { sqliteBinding } : {}) });
  });
  const engine = services.ctx.engine;
  await startupStage('engine worker', () => within(engine.call('ping', {}), 60_000, 'the engine worker did not answer within 60 s'));
  registerIpcHandlers(ipcMain, createDispatch(callHandlers(services)), process.env['ELECTRON_RENDERER_URL']);
  lockDownSession();
  const menu = menuTemplate({
    desktop,
    send: (command) => broadcast('app:menu', command),
    workspace: home,
    logFile: log.path,
    openWorkspace,
    openDocs: async () => {
      const error = await shell.openPath(join(app.getAppPath(), 'docs'));
      if (error) throw new Error(error);
    },
    log: (line) => logLine('warn', line),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(menu));
  const window = await startupStage('preload', openWindow);
  await startupStage('window load', () => waitForWindowReady(window, 60_000));
  ready = true;
  logLine('info', 'window ready');
  process.stdout.write(`${WINDOW_READY_LINE}\n`);
}

function fail(err: unknown): void {
  reportStartupFailure(err, {
    log: (line) => {
      const file = log ?? new LogFile(join(app.getPath('logs'), 'workbench.log'));
      file.write('error', line);
      return file.path;
    },
    stderr: (text) => process.stderr.write(text),
    showErrorBox: (title, content) => dialog.showErrorBox(title, content),
    exit: (code) => app.exit(code),
  });
}

// Before the window is ready any stray error is a start-up failure; after it, it is logged.
process.on('uncaughtException', (err) => (ready ? logLine('error', `uncaught: ${err.stack ?? err.message}`) : fail(err)));
process.on('unhandledRejection', (err) => (ready ? logLine('error', `unhandled rejection: ${String(err)}`) : fail(err)));

app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // Another instance's window is open and gets focused by its 'second-instance' handler: that is the window.
  process.stdout.write(`${WINDOW_READY_LINE}\n`);
  app.quit();
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  app
    .whenReady()
    .then(start)
    .catch(fail);
  app.on('activate', () => {
    if (ready && BrowserWindow.getAllWindows().length === 0) openWindow();
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => {
  logLine('info', 'quitting');
  void services?.close();
});
