/**
 * Electron lifecycle only. Start-up (stages, failure dialog, "window ready" for `npm start`) is in
 * window/desktop-app.ts; the window and its security rules in window.ts.
 */
import { app, BrowserWindow } from 'electron';
import { WINDOW_READY_LINE } from './window/ready';
import { failStartup, isReady, logLine, openWindow, startDesktopApp, stopDesktopApp } from './window/desktop-app';

// Before the window is ready any stray error is a start-up failure; after it, it is logged.
process.on('uncaughtException', (err) => (isReady() ? logLine('error', `uncaught: ${err.stack ?? err.message}`) : failStartup(err)));
process.on('unhandledRejection', (err) => (isReady() ? logLine('error', `unhandled rejection: ${String(err)}`) : failStartup(err)));

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
  app.whenReady().then(startDesktopApp).catch(failStartup);
  app.on('activate', () => {
    if (isReady() && BrowserWindow.getAllWindows().length === 0) openWindow();
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => {
  void stopDesktopApp();
});
