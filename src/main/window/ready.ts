/**
 * "Window ready": the main process prints WINDOW_READY_LINE on stdout once the page has loaded with its
 * preload and is about to show. `scripts/start.mjs` waits for that line (not for an exit), so a main
 * process that hangs or a page that never loads ends in the browser fallback with a reason.
 */
import { StartupError } from './startup-failure';

/** Keep equal to READY_LINE in scripts/start-handshake.mjs (a test checks). */
export const WINDOW_READY_LINE = 'Contrastive Workbench window ready';

/** The part of a BrowserWindow this needs (an EventEmitter stands in for it in tests). */
export interface LoadingWindow {
  once(event: 'ready-to-show', listener: () => void): unknown;
  webContents: {
    on(event: 'did-fail-load', listener: (event: unknown, code: number, description: string, url: string, isMainFrame: boolean) => void): unknown;
    on(event: 'preload-error', listener: (event: unknown, preloadPath: string, error: Error) => void): unknown;
    on(event: 'render-process-gone', listener: (event: unknown, details: { reason: string; exitCode: number }) => void): unknown;
  };
}

/** Resolves when the page is ready to show; rejects (preload / window load) on the first failure or at the deadline. */
export function waitForWindowReady(window: LoadingWindow, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new StartupError('window load', `the window did not finish loading within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    const fail = (err: StartupError): void => {
      clearTimeout(timer);
      reject(err);
    };
    window.once('ready-to-show', () => {
      clearTimeout(timer);
      resolve();
    });
    window.webContents.on('preload-error', (_event, preloadPath, error) => fail(new StartupError('preload', `${preloadPath}: ${error.message}`)));
    window.webContents.on('did-fail-load', (_event, code, description, url, isMainFrame) => {
      if (isMainFrame) fail(new StartupError('window load', `${url} did not load: ${description} (${code})`));
    });
    window.webContents.on('render-process-gone', (_event, details) => fail(new StartupError('window load', `the window's renderer process ended (${details.reason}, exit code ${details.exitCode})`)));
  });
}
