import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ServerFrame } from '../../../src/shared/ws-protocol';
import { createDispatch } from '../../../src/main/services/dispatch';
import { startServer, type RunningServer } from '../../../src/main/server/server';
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
