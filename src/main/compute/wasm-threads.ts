/**
 * Multi-threaded XNNPACK for tfjs-backend-wasm in Node: a versioned runtime patch of the 4.22.0 bundle.
 *
 * Why a patch (shared/notes/wasm-threads.md): the bundle runs single-threaded in Node because
 * (1) its `WASM_HAS_MULTITHREAD_SUPPORT` flag is hard-wired to false there — the caller sets it;
 * (2) Emscripten starts its pthread workers from `blob:` URLs, which Node's `Worker` refuses — the
 * patched `locateFile('*.worker.js')` and `mainScriptUrlOrBlob` return real files written to a cache
 * folder instead; (3) the C++ caps the pool at `emscripten_num_logical_cores() / 2` and the glue
 * answers `os.cpus().length`, so on 2 vCPUs two threads are silently cut to one — the patched glue
 * answers at least twice the requested threads. The patch also sizes Emscripten's pre-started
 * worker pool to what XNNPACK uses (8 otherwise), keeps running pthreads from holding the process
 * open, and turns a pthread worker's start-up error into a failed backend initialisation (the caller
 * then falls back to one thread) instead of an uncaught exception.
 *
 * Nothing here touches node_modules: the bundle's source is read, every pattern must match exactly
 * once, and the patched text is compiled in memory with the bundle's own filename and `require`.
 * This module never names a tfjs package (house rule "One tfjs"): `tf.ts` hands it the bundle.
 */
import { createHash, randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { compileFunction } from 'node:vm';
import { threadId, Worker } from 'node:worker_threads';
import { WorkbenchError } from '../../shared/errors';

/** The only tfjs-backend-wasm version whose bundle these patterns were written against. */
export const PATCHED_WASM_VERSION = '4.22.0';
/** XNNPACK's own cap on the pool (backend.cc). */
export const MAX_WASM_THREADS = 8;
/**
 * Most threads the default picks. XNNPACK splits each op's rows across the pool; at the workbench's
 * image sizes (32–96 px, batches of 32–256 views) an op has too little work for more than a few
 * threads, and every extra thread is one the UI and the data feed do not get. Above this, ask with
 * `CWB_WASM_THREADS` / `--wasm-threads` (up to MAX_WASM_THREADS). Scaling was measured 1 → 2 only (the
 * project's machine has two cores; docs/BENCHMARKS.md), so the cap is a judgement, not a measurement.
 */
export const DEFAULT_WASM_THREADS_CAP = 4;

/**
 * Physical cores of this machine. Linux: distinct (physical id, core id) pairs in /proc/cpuinfo, so
 * hyper-threads are not counted twice; elsewhere (or when cpuinfo says nothing) the logical count.
 */
export function physicalCoreCount(cpuinfo: string | undefined = readCpuinfo(), logical: number = cpus().length || 1): number {
  if (!cpuinfo) return logical;
  const cores = new Set<string>();
  for (const block of cpuinfo.split(/\n\s*\n/)) {
    const physical = /^physical id\s*:\s*(\d+)/m.exec(block)?.[1];
    const core = /^core id\s*:\s*(\d+)/m.exec(block)?.[1];
    if (physical !== undefined && core !== undefined) cores.add(`${physical}:${core}`);
  }
  return cores.size > 0 ? Math.min(cores.size, logical) : logical;
}

function readCpuinfo(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Threads when neither `CWB_WASM_THREADS` nor a request says: the physical cores less one (left for
 * the UI, the main process and the data feed), at least 1, at most DEFAULT_WASM_THREADS_CAP. A 2-core
 * machine gets 1 (where a second thread loses whenever the other core is busy — docs/BENCHMARKS.md), an
 * 8-core laptop 4.
 */
export function defaultWasmThreads(physicalCores: number = physicalCoreCount()): number {
  return Math.max(1, Math.min(DEFAULT_WASM_THREADS_CAP, physicalCores - 1));
}

/** Why the default is what it is, in one phrase for `cwb doctor`. */
export function defaultWasmThreadsReason(physicalCores: number = physicalCoreCount()): string {
  return `default for ${physicalCores} physical core${physicalCores === 1 ? '' : 's'}: one left for the UI, at most ${DEFAULT_WASM_THREADS_CAP}`;
}

/** Name of the hooks object the patched bundle calls; a parameter of the compiled wrapper, never a global. */
const HOOKS = '__cwbWasmThreads';

export interface SourcePatch {
  /** Says what the patch is for; named in the warning when it does not match. */
  name: string;
  find: RegExp;
  replace: string;
}

/** Each pattern must match exactly once in `dist/tf-backend-wasm.node.js` of 4.22.0. */
export const BUNDLE_PATCHES: readonly SourcePatch[] = [
  {
    name: 'pthread worker script from a blob: URL (locateFile)',
    find: /var blob = new Blob\(\[response\], \{ type: 'application\/javascript' \}\);\s*return URL\.createObjectURL\(blob\);/,
    replace: `return ${HOOKS}.workerFile(response);`,
  },
  {
    name: 'threaded factory source as a Blob (mainScriptUrlOrBlob)',
    find: /factoryConfig\.mainScriptUrlOrBlob = new Blob\(\["var WasmBackendModuleThreadedSimd = " \+\s*wasmFactoryThreadedSimd\.toString\(\)\], \{ type: 'text\/javascript' \}\);/,
    replace: `factoryConfig.mainScriptUrlOrBlob = ${HOOKS}.factoryFile("var WasmBackendModuleThreadedSimd = " + wasmFactoryThreadedSimd.toString(), [__values, __read, __spreadArray]);`,
  },
  {
    name: 'logical core count from os.cpus() (_emscripten_num_logical_cores)',
    find: /function _emscripten_num_logical_cores\(\) \{ if \(ENVIRONMENT_IS_NODE\)\s*return require\$\$4\.cpus\(\)\.length; return navigator\["hardwareConcurrency"\]; \}/,
    replace: `function _emscripten_num_logical_cores() { return ${HOOKS}.logicalCores(); }`,
  },
  {
    name: 'pre-started pthread pool of 8 (initMainThread)',
    find: /var pthreadPoolSize = 8;/,
    replace: `var pthreadPoolSize = ${HOOKS}.poolSize;`,
  },
  {
    name: 'pthread worker creation (allocateUnusedWorker)',
    find: /worker = new Worker\(pthreadMainJs\);/,
    replace: `worker = ${HOOKS}.createWorker(pthreadMainJs);`,
  },
  {
    name: 'running pthreads ref the process (runPthread)',
    find: /worker\.runPthread = function \(\) \{ if \(ENVIRONMENT_IS_NODE\) \{\s*worker\.ref\(\);\s*\}/,
    replace: 'worker.runPthread = function () {',
  },
  {
    name: 'pthread worker error thrown as uncaught (worker.onerror)',
    find: /worker\.onerror = function \(e\) \{ var message = "worker sent an error!"; err\(message \+ " " \+ e\.filename \+ ":" \+ e\.lineno \+ ": " \+ e\.message\); throw e; \};/,
    replace: `worker.onerror = function (e) { ${HOOKS}.workerError(e, readyPromiseReject); };`,
  },
];

export type PatchOutcome = { ok: true; source: string } | { ok: false; mismatch: string };

/** Apply every patch, each exactly once; the first that does not match is named. Pure. */
export function patchWasmBundle(source: string, patches: readonly SourcePatch[] = BUNDLE_PATCHES): PatchOutcome {
  let out = source;
  for (const p of patches) {
    const count = out.match(new RegExp(p.find.source, 'g'))?.length ?? 0;
    if (count !== 1) return { ok: false, mismatch: `pattern "${p.name}" matched ${count} times (expected 1)` };
    out = out.replace(p.find, () => p.replace);
  }
  return { ok: true, source: out };
}

/** Threads asked for: an explicit request, else `CWB_WASM_THREADS`, else the default. 1 means off. */
export function wasmThreadsSetting(explicit?: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = explicit ?? env['CWB_WASM_THREADS'];
  if (raw === undefined || raw === '') return defaultWasmThreads();
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_WASM_THREADS) {
    const source = explicit === undefined ? 'CWB_WASM_THREADS' : 'wasm threads';
    throw new WorkbenchError('INVALID_INPUT', `${source} must be a whole number from 1 to ${MAX_WASM_THREADS} (1 = single-threaded), got "${String(raw)}"`);
  }
  return n;
}

/** Where the generated worker and factory files go: `CWB_CACHE_DIR`, else the OS cache folder. */
export function wasmThreadsCacheDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env['CWB_CACHE_DIR']) return join(env['CWB_CACHE_DIR'], 'wasm-threads');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'Contrastive Workbench', 'wasm-threads');
  if (platform === 'win32') return join(env['LOCALAPPDATA'] ?? join(homedir(), 'AppData', 'Local'), 'Contrastive Workbench', 'Cache', 'wasm-threads');
  return join(env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'contrastive-workbench', 'wasm-threads');
}

/** Write `content` once under a content-hash name (temp file + rename); returns the path. */
export function writeCachedFile(dir: string, stem: string, ext: string, content: string): string {
  const hash = createHash('sha256').update(content).digest('hex').slice(0, 16);
  const path = join(dir, `${stem}.${hash}.${ext}`);
  if (existsSync(path) && readFileSync(path, 'utf8') === content) return path;
  mkdirSync(dir, { recursive: true });
  const tmp = `${path}.${process.pid}-${threadId}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
  return path;
}

/**
 * The threaded factory, as a script the pthread worker evaluates with `importScripts` (in Node a
 * file read plus indirect eval in the worker's global scope). The factory's source refers to
 * variables of the bundle's module scope; they are declared here. No "use strict": a strict eval
 * would keep these `var`s out of the global scope.
 */
function factoryScript(factorySource: string, helpers: readonly ((...args: never[]) => unknown)[]): string {
  return [
    `// Generated by Contrastive Workbench (src/main/compute/wasm-threads.ts) from tfjs-backend-wasm ${PATCHED_WASM_VERSION}.`,
    ...helpers.map((f) => f.toString()),
    'var require$$0 = require("fs"), require$$1 = require("path"), require$$3 = require("perf_hooks"), require$$4 = require("os");',
    'var commonjsGlobal = globalThis;',
    'var _scriptDir = undefined;',
    // Only the main thread calls these hooks; a pthread gets the unpatched behaviour.
    `var ${HOOKS} = { logicalCores: function () { return require$$4.cpus().length; }, poolSize: 0,`,
    '  createWorker: function (p) { return new (require("worker_threads").Worker)(p); }, workerError: function (e) { throw e; } };',
    factorySource,
    '',
  ].join('\n');
}

/** The Emscripten pthread workers of one threaded module, and whether initialisation finished. */
export class PthreadPool {
  readonly workers: Worker[] = [];
  /** Set once the backend is up; a worker error before that fails the initialisation instead of crashing. */
  ready = false;
  /** The first worker error seen, for the fallback warning. */
  firstError: string | undefined;

  async terminate(): Promise<void> {
    await Promise.allSettled(this.workers.splice(0).map((w) => w.terminate()));
  }
}

/** What the patched bundle exports (the public API of tfjs-backend-wasm that the engine uses). */
export interface WasmBackendModule {
  setThreadsCount(n: number): void;
  getThreadsCount(): number;
}

export type ThreadedWasmLoad = { ok: true; module: WasmBackendModule; pool: PthreadPool } | { ok: false; reason: string };

export interface ThreadedWasmOptions {
  /** Threads asked for (≥ 2). */
  threads: number;
  /** `require.resolve` of the package's Node bundle. */
  bundlePath: string;
  /** The installed package's version. */
  version: string;
  cacheDir: string;
  /** Test seam: change the bundle's source before patching (to simulate another bundle). */
  transformSource?: (source: string) => string;
  /** Test seam: change the generated factory script (to simulate a pthread that fails to start). */
  transformFactory?: (script: string) => string;
}

/**
 * Check the version and every pattern, then compile and run the patched bundle (which registers the
 * `wasm` backend and its kernels). Never throws: a `reason` tells the caller to load the plain bundle.
 * When the patched bundle throws while registering, the caller must clear what it registered.
 */
export function loadThreadedWasm(options: ThreadedWasmOptions): ThreadedWasmLoad {
  if (options.version !== PATCHED_WASM_VERSION) {
    return { ok: false, reason: `tfjs-backend-wasm ${options.version} is not the patched version ${PATCHED_WASM_VERSION}` };
  }
  if (!options.bundlePath.endsWith('tf-backend-wasm.node.js')) {
    return { ok: false, reason: `unexpected tfjs-backend-wasm entry ${options.bundlePath} (expected dist/tf-backend-wasm.node.js)` };
  }
  let source: string;
  try {
    source = readFileSync(options.bundlePath, 'utf8');
  } catch (err) {
    return { ok: false, reason: `cannot read ${options.bundlePath}: ${(err as Error).message}` };
  }
  const patched = patchWasmBundle(options.transformSource ? options.transformSource(source) : source);
  if (!patched.ok) return { ok: false, reason: `tfjs-backend-wasm ${options.version}: ${patched.mismatch}` };

  try {
    mkdirSync(options.cacheDir, { recursive: true });
    accessSync(options.cacheDir, constants.W_OK);
  } catch (err) {
    return { ok: false, reason: `cannot use the cache folder ${options.cacheDir}: ${(err as Error).message}` };
  }

  const pool = new PthreadPool();
  /** The bundle turns a throw here into a failed initialisation; keep the cause for the warning. */
  const cached = (stem: string, ext: string, content: string): string => {
    try {
      return writeCachedFile(options.cacheDir, stem, ext, content);
    } catch (err) {
      pool.firstError ??= `cannot write to the cache folder: ${(err as Error).message}`;
      throw err;
    }
  };
  const hooks = {
    workerFile: (escapedSource: string) => cached('tfjs-backend-wasm-threaded-simd.worker', 'cjs', escapedSource),
    factoryFile: (factorySource: string, helpers: ((...args: never[]) => unknown)[]) => {
      const script = factoryScript(factorySource, helpers);
      return cached('tfjs-backend-wasm-threaded-simd', 'js', options.transformFactory ? options.transformFactory(script) : script);
    },
    logicalCores: () => Math.max(cpus().length, 2 * options.threads),
    // XNNPACK's pool uses threads − 1 workers (the calling thread is the first); they must be
    // started and loaded before the pool is created, or pthread_create would wait on this thread.
    poolSize: options.threads - 1,
    createWorker: (path: string) => {
      const worker = new Worker(path);
      pool.workers.push(worker);
      return worker;
    },
    workerError: (err: Error, rejectInit: (e: unknown) => void) => {
      pool.firstError ??= err?.message ?? String(err);
      if (pool.ready) throw err;
      rejectInit(err);
    },
  };
  try {
    const fn = compileFunction(patched.source, ['exports', 'require', 'module', '__filename', '__dirname', HOOKS], { filename: options.bundlePath });
    const mod = { exports: {} as Record<string, unknown> };
    fn.call(mod.exports, mod.exports, createRequire(options.bundlePath), mod, options.bundlePath, dirname(options.bundlePath), hooks);
    const exported = mod.exports as Partial<WasmBackendModule>;
    if (typeof exported.setThreadsCount !== 'function' || typeof exported.getThreadsCount !== 'function') {
      return { ok: false, reason: 'the patched tfjs-backend-wasm bundle does not export setThreadsCount/getThreadsCount' };
    }
    return { ok: true, module: exported as WasmBackendModule, pool };
  } catch (err) {
    return { ok: false, reason: `the patched tfjs-backend-wasm bundle failed to load: ${(err as Error).message}` };
  }
}
