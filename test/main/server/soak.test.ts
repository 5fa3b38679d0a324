/**
 * Bounded soak of `cwb serve` (issue 16, docs/reliability.md): two clients, one training run, a
 * steady stream of calls (valid ones, and a malformed frame now and then) for CWB_SOAK_SECONDS
 * (default 40, at most 120). Every call is answered, the run keeps stepping, and the process's RSS
 * stays bounded (no growth beyond a fixed allowance over the run's own working set).
 */
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ServerFrame } from '../../../src/shared/ws-protocol';
import { createDispatch } from '../../../src/main/services/dispatch';
import { callHandlers } from '../../../src/main/services/index';
import { startServer, type RunningServer } from '../../../src/main/server/server';
import { useTestWorkspace } from '../../helpers/workspace';

const SECONDS = Math.min(120, Number(process.env['CWB_SOAK_SECONDS'] ?? 40));
/** RSS may grow this much past its level once training is under way (tfjs pools, sqlite cache). */
const RSS_ALLOWANCE_MB = 300;
const TOKEN = 'soak-token';
const workspace = useTestWorkspace({ classes: ['a', 'b'], perClass: 12, valFraction: 0.25 });
let server: RunningServer;

beforeAll(async () => {
  const root = join(workspace.root, 'renderer');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html>');
  let broadcast: RunningServer['broadcast'] = () => undefined;
  workspace.services.ctx.emit = (channel, payload) => broadcast(channel, payload);
  server = await startServer({ host: '127.0.0.1', port: 0, token: TOKEN, rendererDir: root, dispatch: createDispatch(callHandlers(workspace.services)) });
  broadcast = server.broadcast;
});
afterAll(async () => {
  await server?.close();
});

interface Client {
  ws: WebSocket;
  call: (channel: string, payload: unknown) => Promise<ServerFrame>;
  events: number;
  unanswered: () => number;
}

async function client(): Promise<Client> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${TOKEN}`);
  await once(ws, 'open');
  const waiting = new Map<number, (f: ServerFrame) => void>();
  let next = 1;
  const c: Client = {
    ws,
    events: 0,
    call(channel, payload) {
      const id = next++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        ws.send(JSON.stringify({ type: 'call', id, channel, payload }));
      });
    },
    unanswered: () => waiting.size,
  };
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as ServerFrame;
    if (frame.type === 'event') c.events += 1;
    else if (frame.id !== null) {
      waiting.get(frame.id)?.(frame);
      waiting.delete(frame.id);
    }
  });
  return c;
}

const rssMB = (): number => process.memoryUsage().rss / 2 ** 20;

it(`answers every call from two clients for ${SECONDS} s while a run trains, with RSS bounded`, async () => {
  const [a, b] = [await client(), await client()];
  const started = (await a.call('runs:start', { datasetId: 1, method: 'simclr', encoder: 'small', epochs: 10_000, batchSize: 6, imageSize: 16 })) as {
    ok: boolean;
    result: { runId: number };
  };
  expect(started.ok).toBe(true);
  const runId = started.result.runId;
  const stepsNow = async (): Promise<number> => {
    const m = (await b.call('runs:metrics', { runId, names: ['loss'] })) as { ok: boolean; result: { loss?: unknown[] } };
    return m.result.loss?.length ?? 0;
  };
  // warm up: the run is stepping before the clock starts
  for (let i = 0; i < 600 && (await stepsNow()) < 2; i += 1) await new Promise((r) => setTimeout(r, 100));
  const firstSteps = await stepsNow();
  const baseline = rssMB();
  let peak = baseline;
  let calls = 0;
  let failures = 0;
  const end = Date.now() + SECONDS * 1000;
  const channels: Array<[string, unknown]> = [
    ['datasets:list', {}],
    ['runs:get', { runId }],
    ['runs:metrics', { runId, names: ['loss'] }],
    ['system:info', {}],
    ['experiments:list', {}],
    ['datasets:images', { datasetId: 1, offset: 0, limit: 8 }],
  ];
  while (Date.now() < end) {
    const batch: Promise<ServerFrame>[] = [];
    for (const [i, c] of [a, b].entries()) {
      const [channel, payload] = channels[(calls + i) % channels.length]!;
      batch.push(c.call(channel, payload));
      calls += 1;
    }
    if (calls % 50 === 0) a.ws.send('{"not":"a frame"'); // answered with id null, never fatal
    const replies = await Promise.race([Promise.all(batch), new Promise<null>((r) => setTimeout(() => r(null), 10_000))]);
    expect(replies, 'a call went unanswered for 10 s').not.toBeNull();
    failures += replies!.filter((f) => f.type === 'reply' && !f.ok).length;
    peak = Math.max(peak, rssMB());
    await new Promise((r) => setTimeout(r, 40));
  }
  const lastSteps = await stepsNow();
  expect(a.unanswered() + b.unanswered()).toBe(0);
  expect(failures).toBe(0);
  expect(calls).toBeGreaterThan(SECONDS * 10);
  expect(lastSteps).toBeGreaterThan(firstSteps);
  expect(a.events + b.events).toBeGreaterThan(0);
  expect(peak - baseline, `RSS ${baseline.toFixed(0)} → peak ${peak.toFixed(0)} MB over ${calls} calls`).toBeLessThan(RSS_ALLOWANCE_MB);
  console.info(`soak: ${calls} calls in ${SECONDS} s, run steps ${firstSteps} → ${lastSteps}, RSS ${baseline.toFixed(0)} → peak ${peak.toFixed(0)} MB, events ${a.events + b.events}`);
  expect((await a.call('runs:cancel', { runId })).type).toBe('reply');
  a.ws.close();
  b.ws.close();
}, 200_000);
