/**
 * `cwb serve`: the renderer bundle over HTTP and the contract over a WebSocket, on 127.0.0.1 by
 * default, behind a per-launch token. Every call goes through the same dispatch as Electron's IPC.
 *
 * Hostile input (docs/reliability.md): every emitter here — the HTTP server, each raw upgrade socket,
 * the WebSocketServer and each WebSocket — has an `error` listener, so a malformed frame, an
 * oversized message or a reset connection closes that one connection and nothing else. The Host and
 * Origin checks hold whatever address is bound.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { TOKEN_PARAM, WS_PATH } from '../../shared/constants';
import { ClientFrameSchema, type ServerFrame } from '../../shared/ws-protocol';
import { toErrorShape, WorkbenchError } from '../../shared/errors';
import type { Dispatch } from '../services/dispatch';
import { allowedHosts, hasValidToken, isAllowedHost, isAllowedOrigin, isWildcardHost, machineAddresses, tokenCookie, urlHost } from './auth';
import { COMMON_HEADERS, resolveStatic, sendFile } from './static-files';

export interface ServeOptions {
  host: string;
  port: number;
  token: string;
  /** Folder of the built renderer (index.html + assets). */
  rendererDir: string;
  dispatch: Dispatch;
  /** Maximum size of one WebSocket message; calls are small JSON. */
  maxPayloadBytes?: number;
  /** Where connection-level faults are reported (one line each); default: nowhere. */
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  broadcast: (channel: string, payload: unknown) => void;
  close: () => Promise<void>;
}

function send(socket: WebSocket, frame: ServerFrame): void {
  if (socket.readyState !== socket.OPEN) return;
  let text: string;
  try {
    text = JSON.stringify(frame);
  } catch (err) {
    if (frame.type !== 'reply') return;
    text = JSON.stringify({ type: 'reply', id: frame.id, ok: false, error: toErrorShape(err) } satisfies ServerFrame);
  }
  socket.send(text, () => undefined);
}

/** The address the printed URL names: the bound host, or for a wildcard bind the machine's first external IPv4. */
function shownHost(host: string): string {
  if (!isWildcardHost(host)) return urlHost(host);
  const external = machineAddresses().find((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a) && !a.startsWith('127.'));
  return external ?? '127.0.0.1';
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const clients = new Set<WebSocket>();
  let hosts = new Set<string>();
  const log = options.log ?? ((): void => undefined);

  const requestUrl = (req: IncomingMessage): URL => new URL(req.url ?? '/', 'http://workbench.invalid');

  const server: Server = createServer((req, res) => {
    // A client that resets mid-request: that request ends, nothing is thrown.
    req.on('error', () => req.destroy());
    res.on('error', () => res.destroy());
    for (const [name, value] of Object.entries(COMMON_HEADERS)) res.setHeader(name, value);
    const url = requestUrl(req);
    if (!isAllowedHost(req, hosts)) {
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
    // The Host was checked above, so the page's own WebSocket origin is known exactly.
    sendFile(res, file, `ws://${req.headers.host ?? ''}`, req.method === 'HEAD');
  });
  // A malformed request line or headers: Node answers 400 itself when it still can; never throw.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (socket.writable && err.code !== 'ECONNRESET') socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes ?? 1 << 20 });
  wss.on('error', (err) => log(`websocket server: ${err.message}`));

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = requestUrl(req);
    const refuse = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    };
    if (url.pathname !== WS_PATH) return refuse('404 Not Found');
    if (!isAllowedHost(req, hosts)) return refuse('421 Misdirected Request');
    if (!isAllowedOrigin(req, hosts)) return refuse('403 Forbidden');
    if (!hasValidToken(req, url, options.token)) return refuse('401 Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (socket: WebSocket) => {
    clients.add(socket);
    const running = new Map<number, AbortController>();
    // ws emits 'error' for a protocol violation (bad UTF-8, unmasked or reserved frame, RSV bits,
    // oversized length) and then closes the socket itself: this connection ends, the server does not.
    socket.on('error', (err: Error & { code?: string }) => {
      log(`websocket client dropped: ${err.code ?? 'error'} ${err.message}`);
      socket.terminate();
    });
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
      options
        .dispatch(frame.channel, frame.payload, { signal: controller.signal })
        .then(
          (outcome) => send(socket, outcome.ok ? { type: 'reply', id, ok: true, result: outcome.result } : { type: 'reply', id, ok: false, error: outcome.error }),
          (err: unknown) => send(socket, { type: 'reply', id, ok: false, error: toErrorShape(err) }),
        )
        .finally(() => running.delete(id));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // After listening, a server-level fault (e.g. EMFILE on accept) is reported, never thrown.
  server.on('error', (err) => log(`http server: ${err.message}`));
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(options.host, port);

  return {
    url: `http://${shownHost(options.host)}:${port}/?${TOKEN_PARAM}=${options.token}`,
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
