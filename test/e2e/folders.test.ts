/**
 * The folder browser in real Chromium against `cwb serve`: nobody types a path — Browse… lists the
 * folders under the browse root (CWB_BROWSE_ROOT stands in for the home), the user walks into the
 * image folder, chooses it, and imports it. Dropping a folder in the browser explains why it cannot
 * work there. Anything outside the root is refused by the server, not just hidden by the page.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { WebSocket } from 'ws';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeImageFolder } from '../helpers/dataset';
import { executable, useApp } from './app';
import type { Served } from './serve';

describe.skipIf(!executable)('folder browser in Chromium', () => {
  let page: Page;
  let served: Served;
  let root = '';
  let problems: string[] = [];

  const app = useApp(async (ws) => {
    root = join(ws.dir, 'me');
    await makeImageFolder(join(root, 'photos', 'shapes'), ['circle', 'square'], 3, 16);
    mkdirSync(join(root, 'documents'), { recursive: true });
    process.env['CWB_BROWSE_ROOT'] = root;
  });
  beforeAll(() => {
    ({ page, served, problems } = app);
  });

  it('Browse… walks from the home into an image folder, chooses it, and the import works', async () => {
    await page.goto(served.url);
    await page.getByRole('heading', { name: 'Datasets', exact: true }).waitFor();
    await page.getByTestId('import-dir-browse').click();
    const browserPanel = page.getByTestId('folder-browser');
    await expect.poll(() => page.getByTestId('folder-path').innerText()).toBe(root);
    await expect.poll(() => browserPanel.locator('li').allInnerTexts()).toEqual([expect.stringMatching(/documents/), expect.stringMatching(/photos\s+1 folder/)]);
    await page.getByTestId('folder-photos').click();
    await page.getByTestId('folder-shapes').click();
    await expect.poll(() => page.getByTestId('folder-path').innerText()).toBe(join(root, 'photos', 'shapes'));
    await page.getByTestId('folder-up').click();
    await expect.poll(() => page.getByTestId('folder-path').innerText()).toBe(join(root, 'photos'));
    await page.getByTestId('folder-shapes').click();
    await page.getByTestId('folder-choose').click();
    expect(await page.getByTestId('import-dir').inputValue()).toBe(join(root, 'photos', 'shapes'));
    await page.getByTestId('import-submit').click();
    await page.getByTestId('dataset-table').getByRole('cell', { name: 'shapes', exact: true }).waitFor({ timeout: 90_000 });
    expect(problems).toEqual([]);
  });

  it('over the loopback WebSocket with the token: outside the root is refused, native-only calls say so, no token no listing', async () => {
    const url = new URL(served.url);
    const token = url.searchParams.get('token')!;
    const connect = (query: string) =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(`ws://${url.host}/api${query}`, { headers: { origin: url.origin } });
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
        ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      });
    await expect(connect('')).rejects.toThrow('HTTP 401');
    const ws = await connect(`?token=${token}`);
    let id = 0;
    const call = (channel: string, payload: unknown) =>
      new Promise<{ ok: boolean; result?: { folders: { name: string }[] }; error?: { code: string; message: string } }>((resolve) => {
        const mine = ++id;
        const onMessage = (data: Buffer) => {
          const frame = JSON.parse(String(data)) as { type: string; id?: number };
          if (frame.type === 'reply' && frame.id === mine) {
            ws.off('message', onMessage);
            resolve(frame as never);
          }
        };
        ws.on('message', onMessage);
        ws.send(JSON.stringify({ type: 'call', id: mine, channel, payload }));
      });
    expect((await call('files:folders', {})).result?.folders.map((f) => f.name)).toEqual(['documents', 'photos']);
    expect(await call('files:folders', { path: '/' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/outside .*under your home only/) } });
    expect(await call('files:folders', { path: join(root, '..') })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await call('desktop:pick-folder', { purpose: 'dataset' })).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    ws.close();
  });

  it('dropping a folder in the browser explains that only the desktop app gets its path', async () => {
    // A real DragEvent with a real DataTransfer, as Chromium would deliver a drop (tests run under Node types: a string).
    await page.evaluate(`(() => {
      const form = document.querySelector('[data-testid="import-form"]');
      const data = new DataTransfer();
      data.items.add(new File(['x'], 'pets'));
      form.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      form.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    })()`);
    await expect.poll(() => page.getByTestId('drop-message').innerText()).toMatch(/use Browse…/);
    expect(problems).toEqual([]);
  });
});
