import type { Outcome } from '../../../shared/api';
import { TOKEN_PARAM, WS_PATH } from '../../../shared/constants';
import type { ServerFrame } from '../../../shared/ws-protocol';
import type { Transport } from './transport';

interface Pending {
  resolve: (outcome: Outcome<unknown>) => void;
}

/**
 * Browser mode: one WebSocket to `cwb serve`. The token comes from the page URL (first load) or the
 * HttpOnly cookie the server set (reloads). Calls made while connecting are queued; a dropped
 * connection fails pending calls with a clear error and reconnects on the next call.
 */
export function createWsTransport(
  location: Pick<Location, 'protocol' | 'host' | 'search'>,
): Transport {
  const token = new URLSearchParams(location.search).get(TOKEN_PARAM);
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = `${scheme}//${location.host}${WS_PATH}${token ? `?${TOKEN_PARAM}=${encodeURIComponent(token)}` : ''}`;
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let socket: WebSocket | undefined;
  let opened: Promise<WebSocket> | undefined;
  let nextId = 1;

  const failAll = (message: string): void => {
    for (const [id, p] of pending) {
      pending.delete(id);
      p.resolve({ ok: false, error: { code: 'UNAVAILABLE', message } });
    }
  };

  const connect = (): Promise<WebSocket> => {
    if (opened) return opened;
    opened = new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.addEventListener('open', () => {
        socket = ws;
        resolve(ws);
      });
      ws.addEventListener('message', (event) => {
        const frame = JSON.parse(String(event.data)) as ServerFrame;
        if (frame.type === 'event') {
          for (const cb of listeners.get(frame.channel) ?? []) cb(frame.payload);
          return;
        }
        if (frame.id === null) return;
        const p = pending.get(frame.id);
        if (!p) return;
        pending.delete(frame.id);
        p.resolve(
          frame.ok ? { ok: true, result: frame.result } : { ok: false, error: frame.error },
        );
      });
      ws.addEventListener('close', () => {
        socket = undefined;
        opened = undefined;
        failAll('the connection to the workbench server was lost; is `cwb serve` still running?');
        reject(new Error('connection closed'));
      });
    });
    opened.catch(() => undefined);
    return opened;
  };

  return {
    kind: 'websocket',
    async call(channel, payload) {
      let ws: WebSocket;
      try {
        ws = socket ?? (await connect());
      } catch {
        return {
          ok: false,
          error: {
            code: 'UNAVAILABLE',
            message: 'cannot reach the workbench server (wrong or missing token?)',
          },
        };
      }
      const id = nextId++;
      return new Promise<Outcome<unknown>>((resolve) => {
        pending.set(id, { resolve });
        ws.send(JSON.stringify({ type: 'call', id, channel, payload }));
      });
    },
    on(channel, callback) {
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(callback);
      void connect();
      return () => set.delete(callback);
    },
  };
}
