import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ServerFrame } from '../../../src/shared/ws-protocol';
import { createDispatch } from '../../../src/main/services/dispatch';
import { startServer, type RunningServer } from '../../../src/main/server/server';
import { allowedHosts, machineAddresses } from '../../../src/main/server/auth';
import { sendFile } from '../../../src/main/server/static-files';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tempDir } from '../../helpers/temp';

const TOKEN = 'test-token-123';
let server: RunningServer;
let cleanup: () => void;
let secret: string;

beforeAll(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  const root = join(t.dir, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>wb</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  secret = join(t.dir, 'secret.txt');
  writeFileSync(secret, 'do not serve');
  const handlers = {
    'datasets:list': async () => [],
    'datasets:get': async () => {
      throw Object.assign(new Error('no dataset with id 9'), { code: 'NOT_FOUND' });
    },
  };
  server = await startServer({ host: '127.0.0.1', port: 0, token: TOKEN, rendererDir: root, dispatch: createDispatch(handlers as never) });
});

afterAll(async () => {
  await server.close();
  cleanup();
});

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

function connect(query = `?token=${TOKEN}`, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api${query}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function nextFrame(ws: WebSocket): Promise<ServerFrame> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)) as ServerFrame)));
}

describe('cwb serve transport', () => {
  it('prints a loopback URL that carries the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${TOKEN}`);
  });

  it('rejects page requests without the token, and serves them with it (setting a strict cookie)', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/?token=wrong')).status).toBe(401);
    const ok = await get(`/?token=${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('<title>wb</title>');
    expect(String(ok.headers['set-cookie'])).toMatch(/cwb_token=.*HttpOnly.*SameSite=Strict/);
    expect(String(ok.headers['content-security-policy'])).toContain("default-src 'self'");
    // the WebSocket may go back to this page's own origin only, never to any ws:/wss: host
    expect(String(ok.headers['content-security-policy'])).toContain(`connect-src 'self' ws://127.0.0.1:${server.port};`);
    expect(String(ok.headers['content-security-policy'])).not.toMatch(/ws: |wss:/);
    // the token is in the URL: no page of this server sends it on in a Referer
    expect(ok.headers['referrer-policy']).toBe('no-referrer');
    expect((await get('/')).headers['referrer-policy']).toBe('no-referrer');
    const withCookie = await get('/assets/app.js', { cookie: `cwb_token=${TOKEN}` });
    expect(withCookie.status).toBe(200);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    expect((await get(`/?token=${TOKEN}`, { host: 'evil.example:80' })).status).toBe(421);
  });

  it('never serves files outside the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/missing.js']) {
      const res = await get(`${path}${path.includes('?') ? '&' : '?'}token=${TOKEN}`);
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain('do not serve');
    }
  });

  it('refuses WebSocket upgrades without the token or from another origin', async () => {
    await expect(connect('')).rejects.toThrow(/401/);
    await expect(connect(`?token=${TOKEN}`, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
  });

  it('round-trips calls, typed errors and malformed frames', async () => {
    const ws = await connect(`?token=${TOKEN}`, { origin: `http://127.0.0.1:${server.port}` });
    ws.send(JSON.stringify({ type: 'call', id: 1, channel: 'datasets:list', payload: {} }));
    expect(await nextFrame(ws)).toEqual({ type: 'reply', id: 1, ok: true, result: [] });
    ws.send(JSON.stringify({ type: 'call', id: 2, channel: 'datasets:get', payload: { datasetId: 9 } }));
    expect(await nextFrame(ws)).toMatchObject({ type: 'reply', id: 2, ok: false, error: { code: 'NOT_FOUND' } });
    ws.send(JSON.stringify({ type: 'call', id: 3, channel: 'system:shutdown', payload: {} }));
    expect(await nextFrame(ws)).toMatchObject({ id: 3, ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    ws.send('{not json');
    expect(await nextFrame(ws)).toMatchObject({ id: null, ok: false, error: { code: 'INVALID_INPUT' } });
    ws.send(JSON.stringify({ type: 'call', id: 4, channel: 'datasets:get', payload: { datasetId: 'x' } }));
    expect(await nextFrame(ws)).toMatchObject({ id: 4, ok: false, error: { code: 'INVALID_INPUT' } });
    ws.close();
  });

  it('pushes events to connected clients', async () => {
    const ws = await connect();
    const frame = nextFrame(ws);
    server.broadcast('datasets:import-progress', { phase: 'scan', done: 1, total: 2, dir: '/d' });
    expect(await frame).toEqual({ type: 'event', channel: 'datasets:import-progress', payload: { phase: 'scan', done: 1, total: 2, dir: '/d' } });
    ws.close();
  });
});

describe('cwb serve bound to every interface (--host 0.0.0.0)', () => {
  let wide: RunningServer;
  let cleanupWide: () => void;
  beforeAll(async () => {
    const t = tempDir();
    cleanupWide = t.cleanup;
    writeFileSync(join(t.dir, 'index.html'), '<!doctype html>');
    wide = await startServer({ host: '0.0.0.0', port: 0, token: TOKEN, rendererDir: t.dir, dispatch: createDispatch({ 'datasets:list': async () => [] } as never) });
  });
  afterAll(async () => {
    await wide.close();
    cleanupWide();
  });

  function upgrade(headers: Record<string, string>): Promise<number> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${wide.port}/api?token=${TOKEN}`, { headers });
      ws.once('open', () => {
        ws.close();
        resolve(101);
      });
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('error', reject);
    });
  }

  it('still refuses a foreign Origin and a foreign Host on the upgrade', async () => {
    expect(await upgrade({ origin: 'https://evil.example' })).toBe(403);
    expect(await upgrade({ origin: `http://evil.example:${wide.port}` })).toBe(403);
    expect(await upgrade({ host: `evil.example:${wide.port}` })).toBe(421);
    expect(await upgrade({ host: `evil.example:${wide.port}`, origin: `http://evil.example:${wide.port}` })).toBe(421);
  });

  it("accepts the machine's own addresses and loopback, as the printed URL names them", async () => {
    const urlHost = new URL(wide.url).host;
    expect(await upgrade({ host: urlHost, origin: `http://${urlHost}` })).toBe(101);
    expect(await upgrade({ origin: `http://127.0.0.1:${wide.port}` })).toBe(101);
    expect(await upgrade({ host: `localhost:${wide.port}`, origin: `http://localhost:${wide.port}` })).toBe(101);
    for (const address of machineAddresses().filter((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a))) {
      expect(await upgrade({ host: `${address}:${wide.port}`, origin: `http://${address}:${wide.port}` }), address).toBe(101);
    }
  });

  it('allowedHosts: a wildcard bind adds the interface addresses; a named bind adds only itself', () => {
    const wild = allowedHosts('0.0.0.0', 8080, () => ['box', '10.1.2.3', 'fe80::1']);
    expect([...wild].sort()).toEqual(['10.1.2.3:8080', '127.0.0.1:8080', '[::1]:8080', '[fe80::1]:8080', 'box:8080', 'localhost:8080'].sort());
    const named = allowedHosts('10.9.9.9', 80, () => ['10.1.2.3']);
    expect(named.has('10.9.9.9:80')).toBe(true);
    expect(named.has('10.1.2.3:80')).toBe(false);
    expect(named.has('10.9.9.9')).toBe(true); // port 80 is left out of Host by browsers
    expect(allowedHosts('10.9.9.9', 8080).has('10.9.9.9')).toBe(false);
  });
});

describe('static file stream', () => {
  it('answers 404 for a file that vanished and 500 for one that cannot be read, never crashing', async () => {
    const t = tempDir();
    const unreadable = join(t.dir, 'dir.js');
    mkdirSync(unreadable);
    const target = { file: join(t.dir, 'gone.js') };
    const http = createServer((_req, res) => sendFile(res, target.file, 'ws://x'));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const port = (http.address() as AddressInfo).port;
    const status = (): Promise<number> =>
      new Promise((resolve, reject) => {
        request({ host: '127.0.0.1', port, path: '/' }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
    expect(await status()).toBe(404);
    target.file = unreadable;
    expect(await status()).toBe(404);
    await new Promise((r) => http.close(r));
    t.cleanup();
  });
});
