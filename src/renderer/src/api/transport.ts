import type { Outcome } from '../../../shared/api';

/** How the API client reaches the main process: Electron IPC or the browser WebSocket. */
export interface Transport {
  readonly kind: 'ipc' | 'websocket';
  call(channel: string, payload: unknown): Promise<Outcome<unknown>>;
  on(channel: string, callback: (payload: unknown) => void): () => void;
}
