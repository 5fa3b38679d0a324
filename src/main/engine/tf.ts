/**
 * The ONE module that imports TensorFlow.js packages (house rule: "One tfjs").
 *
 * Everything else does `import { tf } from '../engine/tf'` so the backend choice, kernel patches and
 * environment flags are applied exactly once, in the engine worker thread that owns tfjs.
 *
 * Backend order (ARCHITECTURE.md): tensorflow (tfjs-node-gpu, CUDA) → webgpu (Dawn, hardware adapter
 * only) → wasm (SIMD) → cpu. `CWB_BACKEND` or an explicit name overrides the order; every candidate
 * that was not chosen carries the reason why, which `cwb doctor` prints.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { WorkbenchError } from '../../shared/errors';
import { registerMissingKernels } from './kernels/index';

export { tf };

export const BACKEND_NAMES = ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendCandidate {
  name: BackendName;
  available: boolean;
  /** Why it is (not) usable, in words a user can act on. */
  reason: string;
  /** Free-form device description when known (GPU adapter, CUDA device, SIMD…). */
  device?: string;
}

export interface BackendReport {
  backend: BackendName;
  candidates: BackendCandidate[];
  threads: number;
  versions: Record<string, string>;
}

const require = createRequire(import.meta.url);

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
    require('@tensorflow/tfjs-node-gpu');
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
  let adapter: GpuAdapterLike | null;
  try {
    const webgpu = require('webgpu') as {
      create: (opts: string[]) => { requestAdapter: () => Promise<GpuAdapterLike | null> };
      globals: Record<string, unknown>;
    };
    Object.assign(globalThis, webgpu.globals);
    const gpu = webgpu.create([]);
    (globalThis as { navigator?: unknown }).navigator ??= { gpu };
    adapter = await gpu.requestAdapter();
  } catch (err) {
    return { name: 'webgpu', available: false, reason: `Dawn (npm "webgpu") not loadable: ${errorText(err)}` };
  }
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
    require('@tensorflow/tfjs-backend-webgpu');
  } catch (err) {
    return { name: 'webgpu', available: false, reason: `@tensorflow/tfjs-backend-webgpu not loadable: ${errorText(err)}`, device };
  }
  return { name: 'webgpu', available: true, reason: 'hardware WebGPU adapter found', device };
}

async function probeWasm(): Promise<BackendCandidate> {
  try {
    require('@tensorflow/tfjs-backend-wasm');
    return { name: 'wasm', available: true, reason: 'tfjs-backend-wasm (XNNPACK, SIMD) ships its binaries', device: 'CPU (SIMD, 1 thread)' };
  } catch (err) {
    return { name: 'wasm', available: false, reason: `@tensorflow/tfjs-backend-wasm not loadable: ${errorText(err)}` };
  }
}

function probeCpu(): BackendCandidate {
  return { name: 'cpu', available: true, reason: 'pure-JavaScript reference backend (correct, very slow to train)', device: 'CPU (JS)' };
}

/** Probe every backend without activating any. `forced` lets a software WebGPU adapter count. */
export async function probeBackends(forced?: BackendName): Promise<BackendCandidate[]> {
  return [
    await probeTensorflow(),
    await probeWebgpu(forced === 'webgpu'),
    await probeWasm(),
    probeCpu(),
  ];
}

function packageVersion(name: string): string | undefined {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
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
  const ok = await tf.setBackend(name);
  if (!ok) throw new WorkbenchError('UNAVAILABLE', `backend "${name}" failed to initialise`);
  await tf.ready();
  registerMissingKernels(name);
}

/**
 * Choose and activate the backend of this thread. Without a name (and without `CWB_BACKEND`) the
 * first call picks the first available candidate and later calls reuse it; an explicit name that
 * differs from the active backend switches to it (failing loudly when it is unavailable).
 */
export function initBackend(name?: string): Promise<BackendReport> {
  const next = queue.then(async () => {
    const forced = requestedBackend(name);
    if (active && (!forced || forced === active.backend)) return active;
    const candidates = await probeBackends(forced);
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
    active = { backend: chosen, candidates, threads: 1, versions: versions() };
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
