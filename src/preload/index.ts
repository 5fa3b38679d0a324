/**
 * The narrow bridge: `window.workbench` has one function per contract call and one `onX(cb) →
 * unsubscribe` per event, generated from the shared contract. No ipcRenderer, no channel strings.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { CALLS, CALL_CHANNELS } from '../shared/api';
import { EVENTS, EVENT_CHANNELS } from '../shared/events';

const api: Record<string, unknown> = {};

for (const channel of CALL_CHANNELS) {
  // Resolves with the `{ ok, result | error }` envelope: contextBridge would strip a thrown error's code.
  api[CALLS[channel].method] = (request: unknown = {}) => ipcRenderer.invoke(channel, request);
}

for (const channel of EVENT_CHANNELS) {
  api[EVENTS[channel].listener] = (callback: (payload: unknown) => void) => {
    const listener = (_event: unknown, payload: unknown): void => callback(payload);
    ipcRenderer.on(channel, listener);
    return () => ipcRenderer.removeListener(channel, listener);
  };
}

// Drag-and-drop of folders: the page gets File objects without paths (sandbox); this gives the path
// of one dropped file or folder, and nothing else.
api['pathForFile'] = (file: File): string => webUtils.getPathForFile(file);

contextBridge.exposeInMainWorld('workbench', Object.freeze(api));
