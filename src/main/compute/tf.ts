/**
 * The ONE module that imports TensorFlow.js packages (house rule: "One tfjs").
 *
 * (with `./tfjs`, which holds the namespace itself so the kernels can share it without a cycle).
 *
 * Everything else does `import { tf } from '../compute/tf'` so the backend choice, kernel patches and
 * environment flags are applied exactly once, in the engine worker thread that owns tfjs.
 *
 * Backend order (ARCHITECTURE.md): tensorflow (tfjs-node-gpu, CUDA) → webgpu (Dawn, hardware adapter
 * only) → wasm (SIMD) → cpu. `CWB_BACKEND` or an explicit name overrides the order; every candidate
 * that was not chosen carries the reason why, which `cwb doctor` prints.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { WorkbenchError } from '../../shared/errors';
import { BACKEND_NAMES, type BackendName } from './backend-names';
import { registerMissingKernels } from './kernels/index';
import {
  type FilterKernelStatus,
  filterKernelStatus,
  inputKernelStatus,
  simdConv2DBackpropFilter,
  simdConv2DBackpropInput,
  type ConvKernelStatus,
  setWasmThreadCount,
  winogradKernel,
  winogradKernelStatus,
} from './kernels/native-kernels';
import { probeAdapterQuietly } from './webgpu-probe';
import { tf } from './tfjs';
import {
  defaultWasmThreadsReason,
  loadThreadedWasm,
  wasmThreadsCacheDir,
  wasmThreadsSetting,
  type PthreadPool,
  type WasmBackendModule,
} from './wasm-threads';

export { tf, BACKEND_NAMES, type BackendName };

export interface BackendCandidate {
  name: BackendName;
  available: boolean;
  /** Why it is (not) usable, in words a user can act on. */
  reason: string;
  /** Free-form device description when known (GPU adapter, CUDA device, SIMD…). */
  device?: string;
}

/** How many XNNPACK threads the wasm backend runs, and why when it is not what was asked for. */
export interface WasmThreadsReport {
  requested: number;
  active: number;
  note: string;
}

export interface BackendReport {
  backend: BackendName;
  candidates: BackendCandidate[];
  /** Compute threads of the active backend (wasm: XNNPACK's pool; 1 otherwise). */
  threads: number;
  /** Present when the active backend is wasm. */
  wasmThreads?: WasmThreadsReport;
  /** wasm only: which Conv2DBackpropFilter kernel runs (WebAssembly SIMD or the XNNPACK form) and why. */
  wasmFilterKernel?: FilterKernelStatus;
  /** wasm only: which Conv2DBackpropInput kernel runs (WebAssembly SIMD or the XNNPACK form) and why. */
  wasmInputKernel?: FilterKernelStatus;
  /** wasm only: whether 3×3 stride-1 convolutions run as Winograd F(2×2, 3×3) and why. */
  wasmConvKernel?: ConvKernelStatus;
  versions: Record<string, string>;
}

export interface InitOptions {
  /** XNNPACK threads for wasm (else `CWB_WASM_THREADS`, else 1); fixed once wasm has loaded in this thread. */
  wasmThreads?: number;
}

// Not named `require`: electron-vite's ESM build declares its own `require` in the same chunk.
const loadPackage = createRequire(import.meta.url);

/** The active backend's report; initialisations run one after another. */
let active: BackendReport | undefined;
let queue: Promise<unknown> = Promise.resolve();

function errorText(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0] ?? message;
}

function isBackendName(value: string): value is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(value);
}

async function probeTensorflow(): Promise<BackendCandidate> {
  try {
    // Optional dependency: its install downloads libtensorflow, which may have failed.
    loadPackage('@tensorflow/tfjs-node-gpu');
  } catch (err) {
    return {
      name: 'tensorflow',
      available: false,
      reason: `@tensorflow/tfjs-node-gpu is not loadable (${errorText(err)}); install it with internet access and CUDA to train on an NVIDIA GPU`,
    };
  }
  if (!tf.findBackend('tensorflow') && !tf.engine().registryFactory['tensorflow']) {
    return { name: 'tensorflow', available: false, reason: 'tfjs-node-gpu loaded but registered no backend' };
  }
  return { name: 'tensorflow', available: true, reason: 'libtensorflow (CUDA build) loaded', device: 'CUDA' };
}

interface GpuAdapterLike {
  info?: { vendor?: string; architecture?: string; device?: string; description?: string };
  isFallbackAdapter?: boolean;
}

/** The adapter's vendor, architecture, device and description. Dawn exposes them as prototype getters, not own properties. */
export function adapterDescription(adapter: GpuAdapterLike): string {
  const info = adapter.info;
  if (!info) return '';
  return [info.vendor, info.architecture, info.device, info.description].filter((v) => typeof v === 'string' && v.length > 0).join(' ');
}

/** Software rasterisers (lavapipe, llvmpipe, SwiftShader) are correct but far slower than wasm. */
export function isSoftwareAdapter(adapter: GpuAdapterLike): boolean {
  if (adapter.isFallbackAdapter) return true;
  return /llvmpipe|lavapipe|swiftshader|software/.test(adapterDescription(adapter).toLowerCase());
}

/** Dawn needs the Vulkan loader on Linux; without it there can be no adapter (and Dawn prints a warning). */
function vulkanLoaderMissing(): boolean {
  if (process.platform !== 'linux') return false;
  const dirs = [
    ...(process.env['LD_LIBRARY_PATH'] ?? '').split(':').filter(Boolean),
    '/usr/lib/x86_64-linux-gnu',
    '/usr/lib/aarch64-linux-gnu',
    '/usr/lib64',
    '/usr/lib',
    '/lib/x86_64-linux-gnu',
    '/lib64',
  ];
  return !dirs.some((d) => existsSync(join(d, 'libvulkan.so.1')));
}

async function probeWebgpu(allowSoftware: boolean): Promise<BackendCandidate> {
  if (vulkanLoaderMissing()) {
    return { name: 'webgpu', available: false, reason: 'no Vulkan loader (libvulkan.so.1) installed, so no WebGPU adapter' };
  }
  let modulePath: string;
  try {
    modulePath = loadPackage.resolve('webgpu');
  } catch (err) {
    return { name: 'webgpu', available: false, reason: `Dawn (npm "webgpu") not loadable: ${errorText(err)}` };
  }
  // The probe runs in a child process so Dawn's native warnings stay off stderr (webgpu-probe.ts).
  const probe = await probeAdapterQuietly(modulePath);
  if (probe.error) return { name: 'webgpu', available: false, reason: `Dawn (npm "webgpu") not loadable: ${probe.error}` };
  const adapter: GpuAdapterLike | null = probe.found ? { ...(probe.info ? { info: probe.info } : {}), isFallbackAdapter: probe.isFallbackAdapter ?? false } : null;
  if (!adapter) {
    return {
      name: 'webgpu',
      available: false,
      reason: 'no WebGPU adapter found (needs Vulkan, Metal or Direct3D 12 drivers)',
    };
  }
  const device = adapterDescription(adapter) || 'unknown adapter';
  if (isSoftwareAdapter(adapter) && !allowSoftware) {
    return {
      name: 'webgpu',
      available: false,
      reason: `only a software adapter (${device}); slower than wasm, so never picked automatically — use --backend webgpu to force it`,
      device,
    };
  }
  try {
    // Only now, for an adapter that may be used, does Dawn come into this process (tfjs needs navigator.gpu).
    const webgpu = loadPackage('webgpu') as { create: (opts: string[]) => unknown; globals: Record<string, unknown> };
    Object.assign(globalThis, webgpu.globals);
    (globalThis as { navigator?: unknown }).navigator ??= { gpu: webgpu.create([]) };
    loadPackage('@tensorflow/tfjs-backend-webgpu');
  } catch (err) {
    return { name: 'webgpu', available: false, reason: `@tensorflow/tfjs-backend-webgpu not loadable: ${errorText(err)}`, device };
  }
  return { name: 'webgpu', available: true, reason: 'hardware WebGPU adapter found', device };
}

/** The wasm module of this thread: loaded once, threaded (patched bundle) or plain. */
interface WasmState {
  module: WasmBackendModule;
  requested: number;
  /** The patched bundle's pthread workers; absent when the plain bundle was loaded. */
  pool?: PthreadPool;
  /** True while the threaded path is in use (false after a fallback). */
  threaded: boolean;
  initialised: boolean;
  note: string;
}

let wasmState: WasmState | undefined;

/** Test seams for the threaded wasm patch (simulate another bundle or a pthread that cannot start). */
export const wasmThreadsTestSeams: { transformSource?: (s: string) => string; transformFactory?: (s: string) => string } = {};

/** One line on stderr; not prefixed "cwb: " (that prefix marks the CLI's error line). */
function warnWasmThreads(reason: string): void {
  console.warn(`cwb warning: wasm threads off, XNNPACK runs on 1 thread — ${reason}`);
}

/** Clear what a patched bundle registered before it threw, so the plain bundle starts clean. */
function clearWasmRegistration(): void {
  if (tf.engine().registryFactory['wasm']) tf.removeBackend('wasm');
  for (const kernel of tf.getKernelsForBackend('wasm')) tf.unregisterKernel(kernel.kernelName, 'wasm');
}

/**
 * Load tfjs-backend-wasm once per thread: the patched, threaded bundle when more than one thread is
 * asked for and the patch applies, the package's own bundle otherwise. The count is fixed from then on.
 */
function loadWasm(explicitThreads?: number): WasmState {
  const threads = wasmThreadsSetting(explicitThreads);
  if (wasmState) {
    if (explicitThreads !== undefined && explicitThreads !== wasmState.requested) {
      throw new WorkbenchError(
        'CONFLICT',
        `the engine loaded wasm for ${wasmState.requested} thread(s); the count is fixed per engine process, so ${explicitThreads} needs a new process`,
      );
    }
    return wasmState;
  }
  const chosenByDefault = explicitThreads === undefined && !process.env['CWB_WASM_THREADS'];
  const defaultNote = chosenByDefault ? `${defaultWasmThreadsReason()}; CWB_WASM_THREADS or --wasm-threads sets another count` : '';
  let note = defaultNote || 'single-threaded; CWB_WASM_THREADS or --wasm-threads above 1 turns threads on';
  if (threads > 1) {
    const loaded = loadThreadedWasm({
      threads,
      bundlePath: loadPackage.resolve('@tensorflow/tfjs-backend-wasm'),
      version: packageVersion('@tensorflow/tfjs-backend-wasm') ?? 'unknown',
      cacheDir: wasmThreadsCacheDir(),
      ...wasmThreadsTestSeams,
    });
    if (loaded.ok) {
      wasmState = { module: loaded.module, requested: threads, pool: loaded.pool, threaded: true, initialised: false, note: defaultNote };
      return wasmState;
    }
    warnWasmThreads(loaded.reason);
    clearWasmRegistration();
    note = loaded.reason;
  }
  const module = loadPackage('@tensorflow/tfjs-backend-wasm') as WasmBackendModule;
  wasmState = { module, requested: threads, threaded: false, initialised: false, note };
  return wasmState;
}

/** The wasm candidate's device line: `CPU (SIMD, 1 thread)`, `CPU (SIMD, 2 threads)`. */
function wasmDevice(threads: number): string {
  return `CPU (SIMD, ${threads} thread${threads === 1 ? '' : 's'})`;
}

async function probeWasm(options: InitOptions): Promise<BackendCandidate> {
  let state: WasmState;
  try {
    state = loadWasm(options.wasmThreads);
  } catch (err) {
    if (err instanceof WorkbenchError) throw err;
    return { name: 'wasm', available: false, reason: `@tensorflow/tfjs-backend-wasm not loadable: ${errorText(err)}` };
  }
  return { name: 'wasm', available: true, reason: 'tfjs-backend-wasm (XNNPACK, SIMD) ships its binaries', device: wasmDevice(state.threaded ? state.requested : 1) };
}

/**
 * Start the wasm backend. On the threaded path a failed start (a pthread worker that cannot load)
 * is reported once, its workers are stopped and the same bundle starts single-threaded.
 */
async function activateWasm(state: WasmState): Promise<void> {
  if (!state.initialised && state.threaded) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    state.module.setThreadsCount(state.requested);
    if (await tf.setBackend('wasm')) {
      state.pool!.ready = true;
      state.initialised = true;
      const active = state.module.getThreadsCount();
      state.note = active === state.requested ? 'patched tfjs-backend-wasm, XNNPACK thread pool' : `XNNPACK started ${active} of ${state.requested} threads`;
      return;
    }
    const reason = `the threaded backend failed to start${state.pool?.firstError ? ` (${state.pool.firstError})` : ''}`;
    warnWasmThreads(reason);
    await state.pool?.terminate();
    state.threaded = false;
    state.note = reason;
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    state.module.setThreadsCount(1);
  }
  if (!(await tf.setBackend('wasm'))) throw new WorkbenchError('UNAVAILABLE', 'backend "wasm" failed to initialise');
  state.initialised = true;
}

function wasmThreadsReport(state: WasmState): WasmThreadsReport {
  return { requested: state.requested, active: state.module.getThreadsCount(), note: state.note };
}

function probeCpu(): BackendCandidate {
  return { name: 'cpu', available: true, reason: 'pure-JavaScript reference backend (correct, very slow to train)', device: 'CPU (JS)' };
}

/** Probe every backend without activating any. `forced` lets a software WebGPU adapter count. */
export async function probeBackends(forced?: BackendName, options: InitOptions = {}): Promise<BackendCandidate[]> {
  return [
    await probeTensorflow(),
    await probeWebgpu(forced === 'webgpu'),
    await probeWasm(options),
    probeCpu(),
  ];
}

function packageVersion(name: string): string | undefined {
  try {
    return (loadPackage(`${name}/package.json`) as { version: string }).version;
  } catch {
    return undefined;
  }
}

function versions(): Record<string, string> {
  const out: Record<string, string> = { node: process.versions.node, tfjs: tf.version.tfjs ?? 'unknown' };
  for (const name of ['@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-backend-webgpu', 'webgpu']) {
    const v = packageVersion(name);
    if (v) out[name] = v;
  }
  return out;
}

/** The backend asked for by the caller or `CWB_BACKEND`, validated. */
export function requestedBackend(name?: string): BackendName | undefined {
  const wanted = name ?? process.env['CWB_BACKEND'];
  if (!wanted) return undefined;
  if (!isBackendName(wanted)) {
    throw new WorkbenchError('INVALID_INPUT', `unknown backend "${wanted}"; choose one of ${BACKEND_NAMES.join(', ')}`);
  }
  return wanted;
}

async function activate(name: BackendName): Promise<void> {
  if (name === 'wasm' && wasmState) await activateWasm(wasmState);
  else if (!(await tf.setBackend(name))) throw new WorkbenchError('UNAVAILABLE', `backend "${name}" failed to initialise`);
  await tf.ready();
  registerMissingKernels(name);
}

/**
 * Choose and activate the backend of this thread. Without a name (and without `CWB_BACKEND`) the
 * first call picks the first available candidate and later calls reuse it; an explicit name that
 * differs from the active backend switches to it (failing loudly when it is unavailable).
 */
export function initBackend(name?: string, options: InitOptions = {}): Promise<BackendReport> {
  const next = queue.then(async () => {
    const forced = requestedBackend(name);
    if (options.wasmThreads !== undefined && wasmState) loadWasm(options.wasmThreads); // throws on a different count
    if (active && (!forced || forced === active.backend)) return active;
    const candidates = await probeBackends(forced, options);
    let chosen: BackendName;
    if (forced) {
      const candidate = candidates.find((c) => c.name === forced);
      if (!candidate?.available) {
        throw new WorkbenchError('UNAVAILABLE', `backend "${forced}" is not available: ${candidate?.reason ?? 'unknown'}`);
      }
      chosen = forced;
    } else {
      const first = candidates.find((c) => c.available);
      chosen = first ? first.name : 'cpu';
    }
    await activate(chosen);
    if (chosen === 'wasm' && wasmState) {
      const wasmThreads = wasmThreadsReport(wasmState);
      const wasm = candidates.find((c) => c.name === 'wasm');
      if (wasm) wasm.device = wasmDevice(wasmThreads.active);
      // Load (or build) the SIMD modules now, so the report can say which kernels run.
      simdConv2DBackpropFilter(tf.backend());
      simdConv2DBackpropInput(tf.backend());
      setWasmThreadCount(wasmThreads.active);
      winogradKernel(tf.backend());
      const wasmFilterKernel = filterKernelStatus();
      const wasmInputKernel = inputKernelStatus();
      const wasmConvKernel = winogradKernelStatus();
      active = {
        backend: chosen,
        candidates,
        threads: wasmThreads.active,
        wasmThreads,
        ...(wasmFilterKernel ? { wasmFilterKernel } : {}),
        ...(wasmInputKernel ? { wasmInputKernel } : {}),
        ...(wasmConvKernel ? { wasmConvKernel } : {}),
        versions: versions(),
      };
    } else {
      active = { backend: chosen, candidates, threads: 1, versions: versions() };
    }
    return active;
  });
  queue = next.catch(() => undefined);
  return next;
}

/**
 * Run `fn` on a backend that can read tensors synchronously. GPU backends (webgpu) cannot in Node,
 * and a few algorithms (weighted kNN's top-k bookkeeping) read synchronously: they run on cpu, on
 * plain arrays the caller has already read back, and the GPU backend is restored afterwards.
 */
export async function withSyncReadableBackend<T>(fn: () => T): Promise<T> {
  const current = tf.getBackend();
  if (current !== 'webgpu') return fn();
  await tf.setBackend('cpu');
  try {
    return fn();
  } finally {
    await tf.setBackend(current);
  }
}
