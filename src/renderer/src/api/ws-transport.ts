import type { Outcome } from '../../../shared/api';
import { TOKEN_PARAM, WS_PATH } from '../../../shared/constants';
import type { ServerFrame } from '../../../shared/ws-protocol';
import type { Transport } from './transport';

interface Pending {
  resolve: (outcome: Outcome<unknown>) => void;
}

/** HTTP status of a plain request to the server, or null when nothing answers (server down, network gone). */
export type ServerProbe = (url: string) => Promise<number | null>;

const fetchProbe: ServerProbe = async (url) => {
  try {
    const res = await fetch(url, { method: 'HEAD', credentials: 'same-origin', cache: 'no-store' });
    return res.status;
  } catch {
    return null;
  }
};

/**
 * Why the WebSocket could not open, in words a user can act on: a WebSocket failure hides the
 * HTTP status, so a plain request tells a stopped server from a refused token.
 */
export function unreachableMessage(host: string, status: number | null): string {
  if (status === null) return `the workbench server at ${host} is not running (nothing answers); start it again with \`cwb serve\` and open the URL it prints`;
  if (status === 401) return 'the workbench server refused this page’s token (a new one is made at every `cwb serve`); open the URL `cwb serve` printed';
  return `the workbench server at ${host} answered ${status} but refused the WebSocket; reload the page`;
}

/**
 * Browser mode: one WebSocket to `cwb serve`. The token comes from the page URL (first load) or the
 * HttpOnly cookie the server set (reloads). Calls made while connecting are queued; a dropped
 * connection fails pending calls with a clear error and reconnects on the next call.
 */
export function createWsTransport(
  location: Pick<Location, 'protocol' | 'host' | 'search'>,
  probe: ServerProbe = fetchProbe,
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
        const pageUrl = `${location.protocol}//${location.host}/${token ? `?${TOKEN_PARAM}=${encodeURIComponent(token)}` : ''}`;
        const message = unreachableMessage(location.host, await probe(pageUrl));
        return { ok: false, error: { code: 'UNAVAILABLE', message } };
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
