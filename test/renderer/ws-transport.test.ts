// @vitest-environment happy-dom
/** Issue 17 §7: a stopped server is not reported as a token problem, and a refused token is. */
import { afterEach, describe, expect, it } from 'vitest';
import { createWsTransport } from '../../src/renderer/src/api/ws-transport';

/** A WebSocket that never opens: it closes as soon as listeners are attached, as a refused or dead connection does. */
class DeadSocket {
  private readonly handlers = new Map<string, (e: unknown) => void>();
  constructor(readonly url: string) {
    setTimeout(() => this.handlers.get('close')?.({}), 0);
  }
  addEventListener(type: string, cb: (e: unknown) => void): void {
    this.handlers.set(type, cb);
  }
}

const original = globalThis.WebSocket;
afterEach(() => {
  globalThis.WebSocket = original;
});

describe('ws transport when the WebSocket does not open', () => {
  const location = { protocol: 'http:', host: '127.0.0.1:5870', search: '?token=abc' };

  it('says the server is not running when nothing answers', async () => {
    globalThis.WebSocket = DeadSocket as unknown as typeof WebSocket;
    const probed: string[] = [];
    const transport = createWsTransport(location, (url) => {
      probed.push(url);
      return Promise.resolve(null);
    });
    const outcome = await transport.call('runs:list', {});
    expect(outcome).toEqual({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringMatching(/at 127\.0\.0\.1:5870 is not running.*cwb serve/) as string } });
    expect(JSON.stringify(outcome)).not.toMatch(/token/);
    expect(probed).toEqual(['http://127.0.0.1:5870/?token=abc']);
  });

  it('says the token was refused when the server answers 401', async () => {
    globalThis.WebSocket = DeadSocket as unknown as typeof WebSocket;
    const transport = createWsTransport(location, () => Promise.resolve(401));
    const outcome = await transport.call('runs:list', {});
    expect(outcome).toMatchObject({ ok: false, error: { message: expect.stringMatching(/refused this page’s token/) as string } });
  });
});
