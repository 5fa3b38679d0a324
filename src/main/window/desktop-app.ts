/**
 * The desktop app's start-up, in stages: workspace → store (Electron's better-sqlite3 build) → engine
 * worker (a ping) → IPC, session rules, menu → preload → window load. Any failure before the window is
 * ready ends in `failStartup`: a log line, stderr, a native dialog and exit 1. Once ready, the app
 * prints WINDOW_READY_LINE for `npm start`.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EventChannel, EventPayload } from '../../shared/events';
import { registerIpcHandlers } from '../ipc/register';
import { callHandlers, createServices, type Services } from '../services/index';
import { createDispatch } from '../services/dispatch';
import { resolveSqliteBinding } from '../store/native-binding';
import { createMainWindow, lockDownSession, rendererIndexFile } from '../window';
import { defaultHome, ensureHome } from '../workspace/home';
import { LogFile, logFilePath } from '../workspace/log-file';
import { electronDesktopPort } from './desktop-port';
import { menuTemplate } from './menu';
import { WINDOW_READY_LINE, waitForWindowReady } from './ready';
import { reportStartupFailure, startupStage, within } from './startup-failure';

const ENGINE_PING_MS = 60_000;
const WINDOW_LOAD_MS = 60_000;

let services: Services | undefined;
let log: LogFile | undefined;
let ready = false;
const desktop = electronDesktopPort();

function broadcast<E extends EventChannel>(channel: E, payload: EventPayload<E>): void {
  for (const window of BrowserWindow.getAllWindows()) window.webContents.send(channel, payload);
}

export function logLine(level: 'info' | 'warn' | 'error', line: string): void {
  log?.write(level, line);
}

/** True once the window has loaded: later errors are logged, not start-up failures. */
export function isReady(): boolean {
  return ready;
}

export function openWindow(): BrowserWindow {
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

function installMenu(home: string, logFile: string): void {
  const template = menuTemplate({
    desktop,
    send: (command) => broadcast('app:menu', command),
    workspace: home,
    logFile,
    openWorkspace,
    openDocs: async () => {
      const error = await shell.openPath(join(app.getAppPath(), 'docs'));
      if (error) throw new Error(error);
    },
    log: (line) => logLine('warn', line),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

export async function startDesktopApp(): Promise<void> {
  const home = await startupStage('workspace', () => ensureHome(workspaceArgument()));
  log = new LogFile(logFilePath(home));
  logLine('info', `starting ${app.getVersion()} on Electron ${process.versions.electron} (${process.platform}-${process.arch}), workspace ${home}`);
  services = await startupStage('store', () => {
    const sqliteBinding = resolveSqliteBinding({ root: app.getAppPath(), electronVersion: process.versions.electron, packaged: app.isPackaged });
    return createServices({ home, front: 'electron', emit: broadcast, desktop, ...(sqliteBinding ? { sqliteBinding } : {}) });
  });
  const engine = services.ctx.engine;
  await startupStage('engine worker', () => within(engine.call('ping', {}), ENGINE_PING_MS, `the engine worker did not answer within ${ENGINE_PING_MS / 1000} s`));
  registerIpcHandlers(ipcMain, createDispatch(callHandlers(services)), process.env['ELECTRON_RENDERER_URL'], pathToFileURL(rendererIndexFile()).href);
  lockDownSession();
  installMenu(home, log.path);
  const window = await startupStage('preload', openWindow);
  await startupStage('window load', () => waitForWindowReady(window, WINDOW_LOAD_MS));
  ready = true;
  logLine('info', 'window ready');
  process.stdout.write(`${WINDOW_READY_LINE}\n`);
}

export function failStartup(err: unknown): void {
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

export async function stopDesktopApp(): Promise<void> {
  logLine('info', 'quitting');
  await services?.close();
}
