/**
 * Electron transport: one `ipcMain.handle` per contract channel, each going through the shared
 * dispatch (validation, typed errors). Replies are envelopes `{ ok, result | error }` because
 * Electron flattens thrown errors to a string; the preload unwraps them.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { CALL_CHANNELS } from '../../shared/api';
import type { CallOutcome, Dispatch } from '../services/dispatch';

/** Only our own renderer (app files or the dev server) may call. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>, devUrl?: string): boolean {
  const url = event.senderFrame?.url ?? '';
  return url.startsWith('file://') || (devUrl !== undefined && url.startsWith(devUrl));
}

export function registerIpcHandlers(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, dispatch: Dispatch, devUrl?: string): () => void {
  for (const channel of CALL_CHANNELS) {
    ipcMain.handle(channel, (event, payload: unknown): Promise<CallOutcome> => {
      if (!isTrustedSender(event, devUrl)) {
        return Promise.resolve({ ok: false, error: { code: 'UNAUTHORIZED', message: 'calls are accepted from the workbench window only' } });
      }
      return dispatch(channel, payload);
    });
  }
  return () => {
    for (const channel of CALL_CHANNELS) ipcMain.removeHandler(channel);
  };
}
