/**
 * Electron transport: one `ipcMain.handle` per contract channel, each going through the shared
 * dispatch (validation, typed errors). Replies are envelopes `{ ok, result | error }` because
 * Electron flattens thrown errors to a string; the preload unwraps them.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { CALL_CHANNELS } from '../../shared/api';
import type { CallOutcome, Dispatch } from '../services/dispatch';

/**
 * Only our own renderer (the dev server, or app files) may call. With `appFileUrl` (the renderer's
 * index.html as a file: URL) a file: frame must be that very page, whatever its #route; without it any
 * file: frame is accepted.
 */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>, devUrl?: string, appFileUrl?: string): boolean {
  const url = event.senderFrame?.url ?? '';
  if (devUrl !== undefined && url.startsWith(devUrl)) return true;
  if (!url.startsWith('file://')) return false;
  return appFileUrl === undefined || url.split(/[?#]/, 1)[0] === appFileUrl;
}

export function registerIpcHandlers(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, dispatch: Dispatch, devUrl?: string, appFileUrl?: string): () => void {
  for (const channel of CALL_CHANNELS) {
    ipcMain.handle(channel, (event, payload: unknown): Promise<CallOutcome> => {
      if (!isTrustedSender(event, devUrl, appFileUrl)) {
        return Promise.resolve({ ok: false, error: { code: 'UNAUTHORIZED', message: 'calls are accepted from the workbench window only' } });
      }
      return dispatch(channel, payload);
    });
  }
  return () => {
    for (const channel of CALL_CHANNELS) ipcMain.removeHandler(channel);
  };
}
