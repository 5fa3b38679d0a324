import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BUNDLE_PATCHES,
  DEFAULT_WASM_THREADS_CAP,
  defaultWasmThreads,
  physicalCoreCount,
  PATCHED_WASM_VERSION,
  loadThreadedWasm,
  patchWasmBundle,
  wasmThreadsSetting,
  writeCachedFile,
} from '../../../src/main/compute/wasm-threads';
import { spawnWorker } from '../../../src/main/workers/spawn-worker';
import { tempDir } from '../../helpers/temp';
import type { WasmJob, WasmJobResult } from './wasm-threads.job';

const require = createRequire(import.meta.url);
const BUNDLE = require.resolve('@tensorflow/tfjs-backend-wasm');
const JOB = new URL('./wasm-threads.job.ts', import.meta.url);
const cache = tempDir();
afterAll(() => cache.cleanup());

interface WorkerOutcome {
  result: WasmJobResult;
  stderr: string;
  /** Whether the worker ended by itself after replying (nothing kept it alive). */
  exitedByItself: boolean;
}

/** Run one job in a fresh worker thread (its own tfjs), the way the engine worker runs. */
function inWorker(job: WasmJob, timeoutMs = 90_000): Promise<WorkerOutcome> {
  return new Promise((resolve, reject) => {
    const worker: Worker = spawnWorker(JOB, { workerData: job, stderr: true, env: { ...process.env, CWB_CACHE_DIR: cache.dir } });
    let stderr = '';
    let result: WasmJobResult | undefined;
    worker.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      void worker.terminate();
      if (result) resolve({ result, stderr, exitedByItself: false });
      else reject(new Error(`wasm job ${JSON.stringify(job)} timed out; stderr: ${stderr}`));
    }, timeoutMs);
    worker.on('message', (m: WasmJobResult) => (result = m));
    worker.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    worker.on('exit', () => {
      clearTimeout(timer);
      if (result) resolve({ result, stderr, exitedByItself: true });
      else reject(new Error(`wasm job exited without a result; stderr: ${stderr}`));
    });
  });
}

function warnings(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('cwb warning: wasm threads'));
}

describe('patchWasmBundle', () => {
  const source = readFileSync(BUNDLE, 'utf8');

  it(`applies every pattern exactly once to tfjs-backend-wasm ${PATCHED_WASM_VERSION}`, () => {
    const out = patchWasmBundle(source);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    for (const p of BUNDLE_PATCHES) expect(out.source, p.name).not.toMatch(p.find);
    expect(out.source).not.toContain('URL.createObjectURL(blob)');
  });

  it('names the pattern that is missing, and one that matches twice', () => {
    const missing = patchWasmBundle(source.replace('var pthreadPoolSize = 8;', 'var pthreadPoolSize = 4;'));
    expect(missing).toEqual({ ok: false, mismatch: 'pattern "pre-started pthread pool of 8 (initMainThread)" matched 0 times (expected 1)' });
    const twice = patchWasmBundle(`${source}\nworker = new Worker(pthreadMainJs);`);
    expect(twice).toEqual({ ok: false, mismatch: 'pattern "pthread worker creation (allocateUnusedWorker)" matched 2 times (expected 1)' });
  });

  it('refuses another version before reading anything', () => {
    const out = loadThreadedWasm({ threads: 2, bundlePath: BUNDLE, version: '4.22.1', cacheDir: cache.dir });
    expect(out).toEqual({ ok: false, reason: `tfjs-backend-wasm 4.22.1 is not the patched version ${PATCHED_WASM_VERSION}` });
  });
});

describe('loadThreadedWasm', () => {
  it('falls back with the reason when the cache folder cannot be used, before compiling anything', () => {
    const t = tempDir();
    try {
      const file = `${t.dir}/a-file`;
      writeFileSync(file, '');
      const out = loadThreadedWasm({ threads: 2, bundlePath: BUNDLE, version: PATCHED_WASM_VERSION, cacheDir: `${file}/wasm-threads` });
      expect(out.ok).toBe(false);
      if (!out.ok) expect(out.reason).toMatch(/^cannot use the cache folder .*a-file\/wasm-threads: ENOTDIR/);
    } finally {
      t.cleanup();
    }
  });
});

describe('the default thread count', () => {
  const cpuinfo = (pairs: [number, number][]) => pairs.map(([p, c]) => `processor\t: 0\nphysical id\t: ${p}\ncore id\t\t: ${c}\n`).join('\n');

  it('counts physical cores, not hyper-threads, from /proc/cpuinfo', () => {
    // 4 cores × 2 hyper-threads on one package, and two packages of 2 cores
    expect(physicalCoreCount(cpuinfo([[0, 0], [0, 0], [0, 1], [0, 1], [0, 2], [0, 2], [0, 3], [0, 3]]), 8)).toBe(4);
    expect(physicalCoreCount(cpuinfo([[0, 0], [0, 1], [1, 0], [1, 1]]), 4)).toBe(4);
    expect(physicalCoreCount('', 6)).toBe(6);
    expect(physicalCoreCount('processor : 0\n', 3)).toBe(3);
  });

  it('leaves one core for the UI and stops at the cap', () => {
    expect(defaultWasmThreads(1)).toBe(1);
    expect(defaultWasmThreads(2)).toBe(1);
    expect(defaultWasmThreads(3)).toBe(2);
    expect(defaultWasmThreads(8)).toBe(DEFAULT_WASM_THREADS_CAP);
    expect(defaultWasmThreads(16)).toBe(DEFAULT_WASM_THREADS_CAP);
  });
});

describe('wasmThreadsSetting', () => {
  it('reads CWB_WASM_THREADS, lets a request override it, and refuses what XNNPACK cannot run', () => {
    expect(wasmThreadsSetting(undefined, {})).toBe(defaultWasmThreads());
    expect(wasmThreadsSetting(undefined, { CWB_WASM_THREADS: '2' })).toBe(2);
    expect(wasmThreadsSetting(1, { CWB_WASM_THREADS: '2' })).toBe(1);
    expect(() => wasmThreadsSetting(undefined, { CWB_WASM_THREADS: 'two' })).toThrow(/CWB_WASM_THREADS must be a whole number from 1 to 8/);
    expect(() => wasmThreadsSetting(0, {})).toThrow(/from 1 to 8/);
    expect(() => wasmThreadsSetting(9, {})).toThrow(/from 1 to 8/);
  });
});

describe('writeCachedFile', () => {
  it('names files by content hash and leaves no temporary file behind', () => {
    const t = tempDir();
    try {
      const a = writeCachedFile(t.dir, 'x', 'js', 'one');
      expect(writeCachedFile(t.dir, 'x', 'js', 'one')).toBe(a);
      const b = writeCachedFile(t.dir, 'x', 'js', 'two');
      expect(b).not.toBe(a);
      expect(readFileSync(a, 'utf8')).toBe('one');
      expect(readdirSync(t.dir).sort()).toEqual([a, b].map((p) => p.slice(t.dir.length + 1)).sort());
    } finally {
      t.cleanup();
    }
  });
});

describe('two XNNPACK threads in a worker thread (as in the engine worker)', () => {
  let one: WorkerOutcome;
  let two: WorkerOutcome;

  it('starts two threads, and one when asked for one', async () => {
    [one, two] = await Promise.all([inWorker({ threads: 1, train: true }), inWorker({ threads: 2, train: true })]);
    expect(one.result.threads).toBe(1);
    expect(one.result.wasmThreads).toMatchObject({ requested: 1, active: 1 });
    expect(two.result.threads).toBe(2);
    expect(two.result.wasmThreads).toEqual({ requested: 2, active: 2, note: 'patched tfjs-backend-wasm, XNNPACK thread pool' });
    expect(warnings(one.stderr)).toEqual([]);
    expect(warnings(two.stderr)).toEqual([]);
  }, 180_000);

  it('gives bit-identical conv2d and matMul outputs and SimCLR losses with 1 and 2 threads', () => {
    expect(two.result.conv.length).toBe(4 * 24 * 24 * 32);
    expect(two.result.conv).toEqual(one.result.conv);
    expect(two.result.matMul).toEqual(one.result.matMul);
    expect(two.result.losses).toHaveLength(2);
    expect(two.result.losses.every(Number.isFinite)).toBe(true);
    expect(two.result.losses).toEqual(one.result.losses);
  });

  it('runs the SIMD filter and input gradients in the shared memory of 2 threads, equal to 1 thread', () => {
    expect(one.result.filterKernel?.kernel).toBe('simd');
    expect(two.result.filterKernel?.kernel).toBe('simd');
    expect(two.result.filterKernel?.reason).toMatch(/shared memory/);
    expect(two.result.filterGrad.length).toBe(3 * 3 * 16 * 20);
    expect(two.result.filterGrad).toEqual(one.result.filterGrad);
    expect(two.result.inputKernel?.kernel).toBe('simd');
    expect(two.result.inputKernel?.reason).toMatch(/shared memory/);
    expect(two.result.inputGrad.length).toBe(4 * 24 * 24 * 16);
    expect(two.result.inputGrad).toEqual(one.result.inputGrad);
  });

  it('does not keep the worker alive once its work is done', () => {
    expect(two.exitedByItself).toBe(true);
  });
});

describe('fallback to one thread', () => {
  it('when a source pattern does not match: one warning line naming it, single-threaded results', async () => {
    const broken = await inWorker({ threads: 2, breakPattern: true });
    expect(broken.result.threads).toBe(1);
    expect(warnings(broken.stderr)).toEqual([
      `cwb warning: wasm threads off, XNNPACK runs on 1 thread — tfjs-backend-wasm ${PATCHED_WASM_VERSION}: pattern "pre-started pthread pool of 8 (initMainThread)" matched 0 times (expected 1)`,
    ]);
    expect(broken.result.wasmThreads?.note).toContain('matched 0 times');
    const reference = await inWorker({ threads: 1 });
    expect(broken.result.conv).toEqual(reference.result.conv);
    expect(broken.exitedByItself).toBe(true);
  }, 120_000);

  it('when a pthread worker fails to start: the same bundle starts single-threaded', async () => {
    const broken = await inWorker({ threads: 2, breakFactory: true });
    expect(broken.result.threads).toBe(1);
    expect(broken.result.wasmThreads).toMatchObject({ requested: 2, active: 1 });
    const lines = warnings(broken.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('the threaded backend failed to start (pthread start-up failure simulated by the test)');
    expect(broken.result.matMul.every(Number.isFinite)).toBe(true);
    expect(broken.exitedByItself).toBe(true);
  }, 120_000);
});

describe('a process with two XNNPACK threads', () => {
  it('initialises them on its main thread, runs an op and exits by itself', async () => {
    const started = Date.now();
    const outcome = await new Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', JOB.pathname], {
        env: { ...process.env, CWB_CACHE_DIR: cache.dir, CWB_TEST_WASM_JOB: JSON.stringify({ threads: 2 }) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, 90_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr, timedOut });
      });
    });
    expect(outcome.timedOut, `hung after ${Date.now() - started} ms; stderr: ${outcome.stderr}`).toBe(false);
    expect(outcome.code, outcome.stderr).toBe(0);
    const result = JSON.parse(outcome.stdout) as WasmJobResult;
    expect(result.threads).toBe(2);
    expect(result.matMul).toHaveLength(192 * 144);
  }, 120_000);
});
