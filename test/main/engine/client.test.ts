import { threadId } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../../../src/main/engine/client';

const engine = new EngineClient();
afterAll(() => engine.close());

describe('engine worker client', () => {
  it('answers in another thread', async () => {
    const reply = await engine.call('ping', { echo: 'hello' });
    expect(reply.echo).toBe('hello');
    expect(reply.threadId).not.toBe(threadId);
  });

  it('forwards progress events of a request', async () => {
    const events: unknown[] = [];
    await engine.call('ping', { delayMs: 30 }, { onEvent: (e) => events.push([e.event, e.payload]) });
    expect(events).toEqual([
      ['progress', { done: 1, total: 3 }],
      ['progress', { done: 2, total: 3 }],
      ['progress', { done: 3, total: 3 }],
    ]);
  });

  it('cancels a running request promptly with CANCELLED', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const pending = engine.call('ping', { delayMs: 60_000 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('serves concurrent requests matched by sequence id', async () => {
    const replies = await Promise.all(['a', 'b', 'c'].map((echo, i) => engine.call('ping', { echo, delayMs: 30 - i * 10 })));
    expect(replies.map((r) => r.echo)).toEqual(['a', 'b', 'c']);
  });

  it('reports an unknown backend as a typed error, and the worker keeps serving', async () => {
    await expect(engine.call('doctor', { backend: 'quantum' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect((await engine.call('ping', {})).echo).toBe('pong');
  });

  it('picks a real backend and explains every candidate', async () => {
    const report = await engine.call('doctor', {});
    expect(['tensorflow', 'webgpu', 'wasm', 'cpu']).toContain(report.backend);
    expect(report.candidates.map((c) => c.name)).toEqual(['tensorflow', 'webgpu', 'wasm', 'cpu']);
    const chosen = report.candidates.find((c) => c.name === report.backend);
    expect(chosen?.available).toBe(true);
    for (const c of report.candidates) expect(c.reason.length).toBeGreaterThan(5);
  });

  it('fails pending calls clearly when the worker dies', async () => {
    const doomed = new EngineClient();
    const failed = expect(doomed.call('ping', { delayMs: 60_000 })).rejects.toMatchObject({ code: 'CANCELLED' });
    await new Promise((r) => setTimeout(r, 200));
    await doomed.close();
    await failed;
  });
});
