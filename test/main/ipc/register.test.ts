import { describe, expect, it } from 'vitest';
import { CALL_CHANNELS } from '../../../src/shared/api';
import { registerIpcHandlers } from '../../../src/main/ipc/register';
import type { Dispatch } from '../../../src/main/services/dispatch';

type Handler = (event: { senderFrame: { url: string } | null }, payload: unknown) => Promise<unknown>;

/** A stand-in for Electron's ipcMain: records handlers like the real one. */
function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    handle(channel: string, fn: Handler) {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, fn);
    },
    removeHandler(channel: string) {
      handlers.delete(channel);
    },
  };
}

const echo: Dispatch = async (channel, payload) => ({ ok: true, result: { channel, payload } });
const appFrame = { senderFrame: { url: 'file:///app/out/renderer/index.html' } };

describe('Electron IPC handlers', () => {
  it('register exactly the contract channels and remove them again', () => {
    const ipc = fakeIpcMain();
    const unregister = registerIpcHandlers(ipc as never, echo);
    expect([...ipc.handlers.keys()].sort()).toEqual([...CALL_CHANNELS].sort());
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });

  it('pass calls from the app window to the dispatch', async () => {
    const ipc = fakeIpcMain();
    registerIpcHandlers(ipc as never, echo);
    const out = await ipc.handlers.get('datasets:list')!(appFrame, {});
    expect(out).toEqual({ ok: true, result: { channel: 'datasets:list', payload: {} } });
  });

  it('refuse calls from any other frame', async () => {
    const ipc = fakeIpcMain();
    registerIpcHandlers(ipc as never, echo);
    const out = await ipc.handlers.get('datasets:list')!({ senderFrame: { url: 'https://evil.example' } }, {});
    expect(out).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    const dev = fakeIpcMain();
    registerIpcHandlers(dev as never, echo, 'http://localhost:5173');
    expect(await dev.handlers.get('datasets:list')!({ senderFrame: { url: 'http://localhost:5173/#/runs' } }, {})).toMatchObject({ ok: true });
  });

  it('with the app page given, refuse other local files but accept every route of the page', async () => {
    const ipc = fakeIpcMain();
    registerIpcHandlers(ipc as never, echo, undefined, 'file:///app/out/renderer/index.html');
    const call = (url: string) => ipc.handlers.get('datasets:list')!({ senderFrame: { url } }, {});
    expect(await call('file:///app/out/renderer/index.html#/runs?run=2')).toMatchObject({ ok: true });
    expect(await call('file:///home/me/Downloads/page.html')).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(await call('file:///app/out/renderer/index.html.evil.html')).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  });

  it('return malformed-payload errors as envelopes (the real dispatch)', async () => {
    const { createDispatch } = await import('../../../src/main/services/dispatch');
    const ipc = fakeIpcMain();
    registerIpcHandlers(ipc as never, createDispatch({} as never));
    const out = await ipc.handlers.get('datasets:get')!(appFrame, { datasetId: -1 });
    expect(out).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
