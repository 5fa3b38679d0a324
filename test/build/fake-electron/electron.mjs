// A stand-in for the `electron` module, just enough for the built main process to start. What the
// app does with it is printed as `FAKE <what>` lines on stderr so tests can read it.
// FAKE_ELECTRON_APP_PATH: app.getAppPath(); FAKE_ELECTRON_LOAD: 'ok' (default) | 'fail' | 'never';
// FAKE_ELECTRON_LOCK=taken: another instance holds the single-instance lock. The handlers the app
// registers (permissions, CSP, window.open, navigation) are called with hostile input and their
// answers printed, so the tests read what the app decided, not that it registered something.
import { EventEmitter } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const note = (line) => process.stderr.write(`FAKE ${line}\n`);
const windows = [];

class WebContents extends EventEmitter {
  send(channel) {
    note(`send ${channel}`);
  }
  setWindowOpenHandler(handler) {
    for (const url of ['https://arxiv.org/abs/2002.05709', 'https://example.invalid/x', 'file:///etc/passwd']) note(`window.open ${url} -> ${handler({ url }).action}`);
  }
  on(event, listener) {
    super.on(event, listener);
    if (event === 'will-navigate') {
      for (const url of [this.getURL(), 'https://example.invalid/']) {
        let prevented = false;
        listener({ preventDefault: () => (prevented = true) }, url);
        note(`navigate ${url} -> ${prevented ? 'prevented' : 'allowed'}`);
      }
    }
    return this;
  }
  getURL() {
    return 'file:///app/out/renderer/index.html';
  }
}

export class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.options = options;
    this.webContents = new WebContents();
    windows.push(this);
    note(`window preload=${options.webPreferences.preload} sandbox=${options.webPreferences.sandbox} contextIsolation=${options.webPreferences.contextIsolation}`);
  }
  static getAllWindows() {
    return windows;
  }
  static getFocusedWindow() {
    return windows[0] ?? null;
  }
  load(url) {
    note(`load ${url}`);
    const mode = process.env.FAKE_ELECTRON_LOAD ?? 'ok';
    setTimeout(() => {
      if (mode === 'ok') this.emit('ready-to-show');
      else if (mode === 'fail') this.webContents.emit('did-fail-load', {}, -6, 'ERR_FILE_NOT_FOUND', url, true);
    }, 20);
    return mode === 'fail' ? Promise.reject(new Error('ERR_FILE_NOT_FOUND')) : Promise.resolve();
  }
  loadFile(file) {
    return this.load(`file://${file}`);
  }
  loadURL(url) {
    return this.load(url);
  }
  show() {}
  maximize() {}
  isMaximized() {
    return false;
  }
  isMinimized() {
    return false;
  }
  getNormalBounds() {
    return { x: 0, y: 0, width: 1400, height: 900 };
  }
}

const appEvents = new EventEmitter();
export const app = {
  on: (event, fn) => appEvents.on(event, fn),
  whenReady: () => Promise.resolve(),
  enableSandbox: () => note('enableSandbox'),
  requestSingleInstanceLock: () => process.env.FAKE_ELECTRON_LOCK !== 'taken',
  getAppPath: () => process.env.FAKE_ELECTRON_APP_PATH ?? process.cwd(),
  getPath: (name) => join(process.env.FAKE_ELECTRON_USER_DATA ?? tmpdir(), name),
  getVersion: () => '0.0.0-fake',
  isPackaged: false,
  exit: (code) => {
    note(`exit ${code}`);
    process.exit(code);
  },
  quit: () => {
    note('quit');
    process.exit(0);
  },
  relaunch: () => undefined,
};

export const dialog = {
  showErrorBox: (title, content) => note(`dialog ${title} | ${content.replace(/\n/g, ' / ')}`),
  showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
};

export const ipcMain = { handle: () => undefined, removeHandler: () => undefined };
export const screen = {
  getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }),
  getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
};
export const session = {
  defaultSession: {
    webRequest: {
      onHeadersReceived: (handler) =>
        handler({ responseHeaders: { 'Content-Type': ['text/html'] } }, ({ responseHeaders }) => note(`CSP ${responseHeaders['Content-Security-Policy']?.join(' ') ?? 'none'}`)),
    },
    setPermissionRequestHandler: (handler) => {
      for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read']) handler(null, permission, (granted) => note(`permission request ${permission} -> ${granted}`));
    },
    setPermissionCheckHandler: (handler) => note(`permission check media -> ${handler(null, 'media')}`),
  },
};
export const shell = { openExternal: async (url) => note(`openExternal ${url}`), openPath: async () => '', showItemInFolder: () => undefined };
export const Menu = {
  buildFromTemplate: (template) => template,
  setApplicationMenu: (template) => note(`menu ${template.map((item) => item.label ?? item.role).join(',')}`),
};
export const webUtils = { getPathForFile: () => '' };
export default { app, BrowserWindow, dialog, ipcMain, screen, session, shell, Menu, webUtils };
