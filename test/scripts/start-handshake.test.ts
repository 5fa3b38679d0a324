import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error — a plain .mjs script without types
import { waitForWindow } from '../../scripts/start-handshake.mjs';

const stub = join(import.meta.dirname, 'stubs', 'app.mjs');

interface Outcome {
  ready: boolean;
  reason?: string;
}

async function handshake(mode: string, timeoutMs: number): Promise<{ outcome: Outcome; ms: number; out: string[]; err: string[]; exited: () => boolean }> {
  const child = spawn(process.execPath, [stub, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  let closed = false;
  child.once('close', () => (closed = true));
  const out: string[] = [];
  const err: string[] = [];
  const started = Date.now();
  const outcome = (await waitForWindow(child, { timeoutMs, killGraceMs: 500, out: (l: string) => out.push(l), err: (l: string) => err.push(l) })) as Outcome;
  return { outcome, ms: Date.now() - started, out, err, exited: () => closed || child.exitCode !== null || child.signalCode !== null };
}

describe('npm start ↔ Electron start-up handshake (real stub processes)', () => {
  it('an app that signals ready is ready, and its other output passes through', async () => {
    const { outcome, out } = await handshake('ready', 10_000);
    expect(outcome).toEqual({ ready: true });
    expect(out).toEqual(['booting']);
  });

  it('an app that reports a start-up failure gives that reason, without echoing the line', async () => {
    const { outcome, err } = await handshake('fails', 10_000);
    expect(outcome).toEqual({ ready: false, reason: 'store: no better-sqlite3 12.11.1 build for Electron 41.7.1 (linux-x64)' });
    expect(err).toEqual([]);
  });

  it('an app that crashes is reported by its signal', async () => {
    const { outcome } = await handshake('crashes', 10_000);
    expect(outcome).toEqual({ ready: false, reason: 'Electron was ended by SIGSEGV before its window was ready' });
  });

  it('an app that never signals is killed at the bound', async () => {
    const { outcome, ms, exited } = await handshake('silent', 1000);
    expect(outcome).toEqual({ ready: false, reason: 'no window within 1 s' });
    expect(ms).toBeGreaterThanOrEqual(1000);
    expect(ms).toBeLessThan(5000);
    expect(exited()).toBe(true);
  });

  it('an app that ignores SIGTERM is killed after the grace period', async () => {
    const { outcome, ms, err, exited } = await handshake('stubborn', 1000);
    expect(outcome).toEqual({ ready: false, reason: 'no window within 1 s' });
    expect(err).toContain('ignoring SIGTERM');
    expect(ms).toBeLessThan(5000);
    expect(exited()).toBe(true);
  });

  it('a binary that cannot be spawned is a reason, not a hang', async () => {
    const child = spawn('/nonexistent/electron', [], { stdio: ['ignore', 'pipe', 'pipe'] });
    const outcome = (await waitForWindow(child, { timeoutMs: 5000 })) as Outcome;
    expect(outcome.ready).toBe(false);
    expect(outcome.reason).toMatch(/^Electron did not start: spawn \/nonexistent\/electron ENOENT/);
  });
});
