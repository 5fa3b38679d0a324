/**
 * The one BrowserWindow, locked down: context isolation, sandbox, no Node in the renderer, a CSP on
 * every response, every permission request denied, no new windows, no navigation away from the app,
 * and external links only to an allowlist (docs, papers). Its size and position are remembered.
 */
import { BrowserWindow, screen, session, shell } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readWindowState, restoreBounds, writeWindowState } from './window/bounds';
import { isAllowedExternalUrl } from './window/external-links';
import { StartupError } from './window/startup-failure';

export const WINDOW_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const here = fileURLToPath(new URL('.', import.meta.url));

/** The renderer page the window loads (outside the dev server). */
export function rendererIndexFile(): string {
  return join(here, '../renderer/index.html');
}

export function secureWebPreferences(preloadPath: string): Electron.WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    spellcheck: false,
  };
}

/** Session-wide rules, once: CSP on every response, no permission (camera, notifications, …) ever granted. */
export function lockDownSession(): void {
  const ses = session.defaultSession;
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [WINDOW_CSP] } });
  });
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
}

function openIfAllowed(url: string, log: (line: string) => void): void {
  if (isAllowedExternalUrl(url)) void shell.openExternal(url);
  else log(`refused to open ${url}: not on the external-link allowlist`);
}

/** The window, loading; `stateFile` keeps its bounds. Throws StartupError('preload') when the preload is missing. */
export function createMainWindow(stateFile: string, log: (line: string) => void): BrowserWindow {
  const preload = join(here, '../preload/index.cjs');
  if (!existsSync(preload)) throw new StartupError('preload', `the preload script ${preload} is missing; rebuild with npm run build`);
  const saved = readWindowState(stateFile);
  const bounds = restoreBounds(saved, [screen.getPrimaryDisplay(), ...screen.getAllDisplays()].map((display) => display.workArea));
  const window = new BrowserWindow({
    ...bounds,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'Contrastive Workbench',
    webPreferences: secureWebPreferences(preload),
  });
  if (saved?.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  window.on('close', () => {
    try {
      writeWindowState(stateFile, { ...window.getNormalBounds(), maximized: window.isMaximized() });
    } catch (err) {
      log(`window size not saved: ${(err as Error).message}`);
    }
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    openIfAllowed(url, log);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (url === window.webContents.getURL()) return;
    event.preventDefault();
    openIfAllowed(url, log);
  });
  // A failed load is reported by 'did-fail-load' (window/ready.ts); the promise adds nothing.
  const devUrl = process.env['ELECTRON_RENDERER_URL'];
  const loading = devUrl ? window.loadURL(devUrl) : window.loadFile(rendererIndexFile());
  loading.catch(() => undefined);
  return window;
}
