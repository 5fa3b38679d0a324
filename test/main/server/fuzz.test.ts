/**
 * Hostile WebSocket input (issue 16, docs/reliability.md): raw frames over TCP that `ws` rejects —
 * invalid UTF-8, unmasked, reserved opcodes, RSV bits, a 2 GB length, a message over the limit —
 * and seeded random bytes. Each must close only its own connection: after every one the server
 * answers a valid call, and a training run started through it goes on.
 */
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ServerFrame } from '../../../src/shared/ws-protocol';
import { createDispatch } from '../../../src/main/services/dispatch';
import { callHandlers } from '../../../src/main/services/index';
import { startServer, type RunningServer } from '../../../src/main/server/server';
import { useTestWorkspace } from '../../helpers/workspace';
import { encodeFrame, rawUpgrade, sendAndAwaitClose, type RawFrame } from '../../helpers/ws-raw';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const TOKEN = 'fuzz-token';
const workspace = useTestWorkspace({ classes: ['a', 'b'], perClass: 12, valFraction: 0.25 });
let server: RunningServer;
let client: WebSocket;
let nextId = 1;
const logged: string[] = [];

function call(channel: string, payload: unknown, ws = client): Promise<ServerFrame> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no reply to ${channel} within 10 s`)), 10_000);
    const onMessage = (data: WebSocket.RawData): void => {
      const frame = JSON.parse(String(data)) as ServerFrame;
      if (frame.type === 'reply' && frame.id === id) {
        clearTimeout(timer);
        ws.off('message', onMessage);
        resolve(frame);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ type: 'call', id, channel, payload }));
  });
}

beforeAll(async () => {
  const root = join(workspace.root, 'renderer');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>wb</title>');
  server = await startServer({
    host: '127.0.0.1',
    port: 0,
    token: TOKEN,
    rendererDir: root,
    dispatch: createDispatch(callHandlers(workspace.services)),
    log: (line) => logged.push(line),
  });
  client = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${TOKEN}`);
  await once(client, 'open');
});

afterAll(async () => {
  client?.close();
  await server?.close();
});

const text = (s: string): Buffer => Buffer.from(s, 'utf8');
const FRAME_CLASSES: Array<{ name: string; frame: RawFrame }> = [
  { name: 'invalid UTF-8 in a text frame', frame: { opcode: 1, payload: Buffer.from([0x7b, 0xff, 0xfe, 0xc3, 0x28]) } },
  { name: 'unmasked client frame', frame: { opcode: 1, payload: text('{"type":"call"}'), masked: false } },
  { name: 'reserved opcode 0x3', frame: { opcode: 3, payload: text('x') } },
  { name: 'reserved control opcode 0xB', frame: { opcode: 0xb, payload: text('x') } },
  { name: 'RSV1 set without permessage-deflate', frame: { opcode: 1, rsv: 4, payload: text('{}') } },
  { name: 'RSV2+RSV3 set', frame: { opcode: 2, rsv: 3, payload: text('{}') } },
  { name: 'header claiming 2 GB', frame: { opcode: 2, payload: Buffer.alloc(16), claimedLength: 2 ** 31 } },
  { name: 'header claiming 2^63-1 bytes', frame: { opcode: 2, payload: Buffer.alloc(0), claimedLength: Number.MAX_SAFE_INTEGER } },
  { name: 'message over the 1 MiB limit', frame: { opcode: 1, payload: Buffer.alloc((1 << 20) + 16, 0x20) } },
  { name: 'fragmented control frame (ping without FIN)', frame: { opcode: 9, fin: false, payload: text('p') } },
  { name: 'control frame over 125 bytes', frame: { opcode: 9, payload: Buffer.alloc(200) } },
  { name: 'continuation with nothing to continue', frame: { opcode: 0, payload: text('x') } },
  { name: 'close frame with invalid code 1005', frame: { opcode: 8, payload: Buffer.from([0x03, 0xed]) } },
];

/** Deterministic bytes (mulberry32): the same "random" frames on every run. */
function seededBytes(seed: number, length: number): Buffer {
  let a = seed >>> 0;
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += 1) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

async function stillServing(): Promise<void> {
  const reply = await call('datasets:list', {});
  expect(reply).toMatchObject({ type: 'reply', ok: true });
}

describe('malformed WebSocket frames close only their own connection', () => {
  let runId = 0;

  it('starts a training run through the socket', async () => {
    const reply = await call('runs:start', { datasetId: 1, method: 'simclr', encoder: 'small', epochs: 400, batchSize: 6, imageSize: 16 });
    expect(reply).toMatchObject({ ok: true });
    runId = (reply as { result: { runId: number } }).result.runId;
    // wait until it has really begun stepping
    const deadline = Date.now() + 60_000;
    for (;;) {
      const run = (await call('runs:get', { runId })) as { result: { status: string } };
      if (run.result.status === 'running') break;
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 90_000);

  for (const { name, frame } of FRAME_CLASSES) {
    it(`${name}: that socket is closed, the server answers`, async () => {
      const raw = await rawUpgrade(server.port, `/api?token=${TOKEN}`);
      expect(await sendAndAwaitClose(raw, encodeFrame(frame))).toBe('closed');
      await stillServing();
    });
  }

  it('seeded random bytes after a valid upgrade (64 connections, bounded): the server answers after each', async () => {
    const started = Date.now();
    for (let seed = 1; seed <= 64 && Date.now() - started < 30_000; seed += 1) {
      const raw = await rawUpgrade(server.port, `/api?token=${TOKEN}`);
      await sendAndAwaitClose(raw, seededBytes(seed, 1 + (seed * 97) % 2048), 300);
      await stillServing();
    }
  }, 60_000);

  it('seeded random bytes instead of an HTTP request (32 connections): the server answers after each', async () => {
    const { connect } = await import('node:net');
    for (let seed = 100; seed < 132; seed += 1) {
      const socket = connect(server.port, '127.0.0.1');
      await once(socket, 'connect');
      await sendAndAwaitClose(socket, seededBytes(seed, 1 + (seed * 31) % 1024), 300);
      await stillServing();
    }
  }, 60_000);

  it('the training run went on through all of it, and the protocol faults were logged, not thrown', async () => {
    const before = (await call('runs:metrics', { runId, names: ['loss'] })) as { result: { loss: Array<{ step: number }> } };
    const steps = before.result.loss.length;
    const deadline = Date.now() + 60_000;
    let after = steps;
    while (after <= steps && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 300));
      const m = (await call('runs:metrics', { runId, names: ['loss'] })) as { result: { loss: Array<{ step: number }> } };
      after = m.result.loss.length;
    }
    expect(after).toBeGreaterThan(steps);
    const run = (await call('runs:get', { runId })) as { result: { status: string } };
    expect(run.result.status).toBe('running');
    expect(logged.some((l) => l.startsWith('websocket client dropped'))).toBe(true);
    expect(await call('runs:cancel', { runId })).toMatchObject({ ok: true });
  }, 90_000);
});
