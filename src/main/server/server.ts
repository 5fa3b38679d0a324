/**
 * `cwb serve`: the renderer bundle over HTTP and the contract over a WebSocket, on 127.0.0.1 by
 * default, behind a per-launch token. Every call goes through the same dispatch as Electron's IPC.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { TOKEN_PARAM, WS_PATH } from '../../shared/constants';
import { ClientFrameSchema, type ServerFrame } from '../../shared/ws-protocol';
import { toErrorShape, WorkbenchError } from '../../shared/errors';
import type { Dispatch } from '../services/dispatch';
import { allowedHosts, hasValidToken, isAllowedHost, isAllowedOrigin, tokenCookie } from './auth';
import { resolveStatic, sendFile } from './static-files';

export interface ServeOptions {
  host: string;
  port: number;
  token: string;
  /** Folder of the built renderer (index.html + assets). */
  rendererDir: string;
  dispatch: Dispatch;
  /** Maximum size of one WebSocket frame; calls are small JSON. */
  maxPayloadBytes?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  broadcast: (channel: string, payload: unknown) => void;
  close: () => Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

function send(socket: WebSocket, frame: ServerFrame): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const clients = new Set<WebSocket>();
  let hosts = new Set<string>();
  const checkHost = LOOPBACK.has(options.host);

  const requestUrl = (req: IncomingMessage): URL => new URL(req.url ?? '/', 'http://workbench.invalid');

  const server: Server = createServer((req, res) => {
    const url = requestUrl(req);
    if (checkHost && !isAllowedHost(req, hosts)) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('misdirected request: unknown Host\n');
      return;
    }
    if (!hasValidToken(req, url, options.token)) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end('missing or wrong token: open the URL that `cwb serve` printed\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (url.searchParams.has(TOKEN_PARAM)) res.setHeader('set-cookie', tokenCookie(options.token));
    // Client-side routes fall back to index.html; real assets must exist.
    const file = resolveStatic(options.rendererDir, url.pathname) ?? (url.pathname.includes('.') ? undefined : resolveStatic(options.rendererDir, '/'));
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    sendFile(res, file);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes ?? 1 << 20 });

  server.on('upgrade', (req, socket, head) => {
    const url = requestUrl(req);
    const refuse = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    };
    if (url.pathname !== WS_PATH) return refuse('404 Not Found');
    if (checkHost && !isAllowedHost(req, hosts)) return refuse('421 Misdirected Request');
    if (checkHost && !isAllowedOrigin(req, hosts)) return refuse('403 Forbidden');
    if (!hasValidToken(req, url, options.token)) return refuse('401 Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (socket: WebSocket) => {
    clients.add(socket);
    const running = new Map<number, AbortController>();
    socket.on('close', () => {
      clients.delete(socket);
      for (const controller of running.values()) controller.abort();
    });
    socket.on('message', (data) => {
      let frame;
      try {
        frame = ClientFrameSchema.parse(JSON.parse(String(data)));
      } catch {
        send(socket, {
          type: 'reply',
          id: null,
          ok: false,
          error: toErrorShape(new WorkbenchError('INVALID_INPUT', 'malformed frame: expected {"type":"call","id","channel","payload"} JSON')),
        });
        return;
      }
      if (frame.type === 'cancel') {
        running.get(frame.id)?.abort();
        return;
      }
      const controller = new AbortController();
      running.set(frame.id, controller);
      const id = frame.id;
      void options.dispatch(frame.channel, frame.payload, { signal: controller.signal }).then((outcome) => {
        running.delete(id);
        send(socket, outcome.ok ? { type: 'reply', id, ok: true, result: outcome.result } : { type: 'reply', id, ok: false, error: outcome.error });
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(options.host.includes(':') ? `[${options.host}]` : options.host, port);
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;

  return {
    url: `http://${shownHost}:${port}/?${TOKEN_PARAM}=${options.token}`,
    port,
    broadcast(channel, payload) {
      for (const socket of clients) send(socket, { type: 'event', channel, payload });
    },
    async close() {
      for (const socket of clients) socket.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
