/**
 * The workbench's own WebAssembly SIMD kernels (C sources in `kernels/native/`, built by
 * `scripts/build-wasm-kernels.mjs` into `out/wasm-kernels/`), instantiated inside tfjs-backend-wasm's
 * own memory: each module imports the backend's `WebAssembly.Memory` as `env.memory` and is handed
 * heap offsets of the backend's tensors, so nothing is copied in or out.
 *
 * The single-threaded backend exports a plain memory (`Module.asm.memory`); the threaded one
 * (compute/wasm-threads.ts) imports a shared one (`Module.wasmMemory`), which needs the module built
 * for shared memory (`<name>.shared.wasm`). When a module is missing — no clang where the workbench
 * was built — it is built once on the spot if this is a checkout with clang; otherwise the caller
 * keeps its previous kernel, and `nativeKernelStatus` says which kernel runs and why (`cwb doctor`).
 *
 * `CWB_WASM_FILTER_KERNEL=xnnpack` turns the SIMD filter gradient off (`simd`, the default, uses it
 * when it loads).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../resources';

/** A convolution's sizes as the C kernels take them: input b×h×w×c, output oh×ow×o, filter kh×kw, strides, top/left padding. */
type ConvSizes = [b: number, h: number, w: number, c: number, oh: number, ow: number, o: number, kh: number, kw: number, sh: number, sw: number, top: number, left: number];

/** The exported function of `conv2d-backprop-filter.c` (offsets in bytes into the backend's heap). */
export type Conv2DBackpropFilterFn = (xAt: number, dyAt: number, dwAt: number, ...sizes: ConvSizes) => void;

export type FilterKernelChoice = 'simd' | 'xnnpack';

export interface FilterKernelStatus {
  /** The kernel that computes wasm's Conv2DBackpropFilter in this thread. */
  kernel: FilterKernelChoice;
  /** One phrase: why (the module's file, or why it could not be used). */
  reason: string;
}

/** A `WebAssembly.Memory` (the project's TypeScript libs carry no WebAssembly types). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}

/** The part of the WebAssembly JS API used here. */
const wasmApi = (
  globalThis as unknown as {
    WebAssembly: {
      Memory: abstract new (...args: never[]) => WasmMemory;
      Module: new (bytes: Uint8Array) => object;
      Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
    };
  }
).WebAssembly;

/** The parts of tfjs-backend-wasm's Emscripten module this needs. */
interface EmscriptenModuleLike {
  wasmMemory?: WasmMemory;
  asm?: { memory?: WasmMemory };
}

/** The backend's linear memory: shared (threaded build) or plain; undefined if neither is exposed. */
export function backendMemory(backend: unknown): WasmMemory | undefined {
  const module = (backend as { wasm?: EmscriptenModuleLike } | undefined)?.wasm;
  const memory = module?.wasmMemory ?? module?.asm?.memory;
  return memory instanceof wasmApi.Memory ? memory : undefined;
}

function isShared(memory: WasmMemory): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
}

/** Where the built module `<stem>[.shared].wasm` is (it may not exist). */
export function nativeKernelPath(stem: string, shared: boolean): string {
  return join(packageRoot(), 'out', 'wasm-kernels', `${stem}${shared ? '.shared' : ''}.wasm`);
}

/** Build the modules with the checkout's script when the sources are here (dev checkout); never throws. */
function buildOnce(): string | undefined {
  const root = packageRoot();
  const script = join(root, 'scripts', 'build-wasm-kernels.mjs');
  if (!existsSync(script) || !existsSync(join(root, 'src', 'main', 'compute', 'kernels', 'native'))) {
    return 'not built, and this install has no kernel sources to build it from';
  }
  // In Electron, execPath is the app: ELECTRON_RUN_AS_NODE makes it run the script as Node.
  const run = spawnSync(process.execPath, [script], { cwd: root, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  // The script's first line says what went wrong (clang missing, a compiler error); empty when it built.
  const said = ((run.stderr ?? '').trim().split('\n')[0] ?? '').replace(/^wasm kernels: /, '');
  if (run.status !== 0) return `building it failed: ${said || run.error?.message || `exit ${run.status}`}`;
  return said.startsWith('built ') ? undefined : said || undefined;
}

type Loaded = { ok: true; exports: Record<string, unknown>; file: string } | { ok: false; reason: string };

const loaded = new WeakMap<WasmMemory, Map<string, Loaded>>();

/** Instantiate `<stem>` in `memory` (once per memory and stem); builds it first when missing and possible. */
export function loadNativeKernel(stem: string, memory: WasmMemory): Loaded {
  let perMemory = loaded.get(memory);
  if (!perMemory) loaded.set(memory, (perMemory = new Map()));
  const known = perMemory.get(stem);
  if (known) return known;
  const result = instantiate(stem, memory);
  perMemory.set(stem, result);
  return result;
}

function instantiate(stem: string, memory: WasmMemory): Loaded {
  const shared = isShared(memory);
  let file: string;
  try {
    file = nativeKernelPath(stem, shared);
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
  if (!existsSync(file)) {
    const why = buildOnce();
    if (!existsSync(file)) return { ok: false, reason: `${file} is missing (${why ?? 'the build made no module'})` };
  }
  try {
    const module = new wasmApi.Module(readFileSync(file));
    const instance = new wasmApi.Instance(module, { env: { memory } });
    return { ok: true, exports: instance.exports, file };
  } catch (err) {
    return { ok: false, reason: `${file} did not load: ${(err as Error).message}` };
  }
}

/** The SIMD kernels, each with its module, export and the variable that can turn it off. */
const KERNELS = {
  filter: { stem: 'conv2d-backprop-filter', exportName: 'conv2d_backprop_filter', variable: 'CWB_WASM_FILTER_KERNEL' },
  input: { stem: 'conv2d-backprop-input', exportName: 'conv2d_backprop_input', variable: 'CWB_WASM_INPUT_KERNEL' },
} as const;
type KernelKey = keyof typeof KERNELS;

/**
 * The user's choice for one kernel; throws a clear error on anything else. The filter gradient takes
 * `simd` (default) or `xnnpack`; the input gradient also `auto` (default): SIMD only where it was
 * measured to win (`inputSimdPays`).
 */
function kernelSetting(key: KernelKey, env: NodeJS.ProcessEnv): FilterKernelChoice | 'auto' {
  const variable = KERNELS[key].variable;
  const raw = env[variable];
  const auto = key === 'input';
  if (raw === undefined || raw === '') return auto ? 'auto' : 'simd';
  if (raw === 'simd' || raw === 'xnnpack' || (auto && raw === 'auto')) return raw;
  throw new Error(`${variable} must be ${auto ? '"auto", ' : ''}"simd" or "xnnpack", got "${raw}"`);
}

/** The user's choice of filter-gradient kernel; throws a clear error on anything else. */
export function filterKernelSetting(env: NodeJS.ProcessEnv = process.env): FilterKernelChoice {
  return kernelSetting('filter', env) as FilterKernelChoice;
}

/**
 * Whether the SIMD input gradient beats the XNNPACK convolution on this layer, by measurement
 * (docs/BENCHMARKS.md, two alternating runs on the loaded 2-core machine): clearly at strides > 1
 * (1.6–4.4×: the XNNPACK form convolves a zero-inserted dy or 16/9 of the work) and on layers of at
 * most 32 channels (1.4–1.5×); at stride 1 with 64 to 512 channels it was equal or slower (0.4–1.1×).
 */
export function inputSimdPays(dims: { c: number; o: number; sh: number; sw: number }): boolean {
  return dims.sh > 1 || dims.sw > 1 || (dims.c <= 32 && dims.o <= 32);
}

/** Whether the input gradient runs SIMD on every layer (`simd`) or only where it pays (`auto`). */
export function inputKernelEverywhere(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['CWB_WASM_INPUT_KERNEL'] === 'simd';
}

const lastStatus: Partial<Record<KernelKey, FilterKernelStatus>> = {};

/** One SIMD kernel's function for `backend`, or undefined (the reason kept in lastStatus). */
function simdKernel(key: KernelKey, backend: unknown, env: NodeJS.ProcessEnv): ((...args: number[]) => void) | undefined {
  const { stem, exportName, variable } = KERNELS[key];
  const fail = (reason: string) => {
    lastStatus[key] = { kernel: 'xnnpack', reason };
    return undefined;
  };
  let choice: FilterKernelChoice | 'auto';
  try {
    choice = kernelSetting(key, env);
  } catch (err) {
    return fail((err as Error).message);
  }
  if (choice === 'xnnpack') return fail(`${variable}=xnnpack`);
  const memory = backendMemory(backend);
  if (!memory) return fail('the wasm backend does not expose its memory');
  const result = loadNativeKernel(stem, memory);
  if (!result.ok) return fail(result.reason);
  const fn = result.exports[exportName];
  if (typeof fn !== 'function') return fail(`${result.file} has no ${exportName}`);
  const where = choice === 'auto' ? ' for strides > 1 and layers of ≤ 32 channels (XNNPACK for the rest; CWB_WASM_INPUT_KERNEL=simd for all)' : '';
  lastStatus[key] = { kernel: 'simd', reason: `WebAssembly SIMD${where}, in the backend's ${isShared(memory) ? 'shared ' : ''}memory (${result.file})` };
  return fn as (...args: number[]) => void;
}

/**
 * The SIMD filter-gradient function for `backend`, or undefined (with the reason kept for
 * `filterKernelStatus`) when it is turned off (`CWB_WASM_FILTER_KERNEL=xnnpack`) or cannot load.
 */
export function simdConv2DBackpropFilter(backend: unknown, env: NodeJS.ProcessEnv = process.env): Conv2DBackpropFilterFn | undefined {
  return simdKernel('filter', backend, env);
}

/** The exported function of `conv2d-backprop-input.c` (offsets in bytes; scratch: KH·KW·O·C + O floats). */
export type Conv2DBackpropInputFn = (dyAt: number, wAt: number, scratchAt: number, dxAt: number, ...sizes: ConvSizes) => void;

/** The SIMD input-gradient function (`CWB_WASM_INPUT_KERNEL=xnnpack` turns it off), as above. */
export function simdConv2DBackpropInput(backend: unknown, env: NodeJS.ProcessEnv = process.env): Conv2DBackpropInputFn | undefined {
  return simdKernel('input', backend, env);
}

/** Which filter-gradient kernel the wasm backend of this thread uses, once it has looked. */
export function filterKernelStatus(): FilterKernelStatus | undefined {
  return lastStatus.filter;
}

/** Which input-gradient kernel the wasm backend of this thread uses, once it has looked. */
export function inputKernelStatus(): FilterKernelStatus | undefined {
  return lastStatus.input;
}

/** Which kernel computes wasm's 3×3 stride-1 convolutions, and why. */
export interface ConvKernelStatus {
  kernel: 'winograd' | 'xnnpack';
  reason: string;
}

let winogradStatus: ConvKernelStatus | undefined;

/**
 * Most XNNPACK threads at which `auto` still runs Winograd. The module is single-threaded; XNNPACK
 * splits its direct convolutions over its threads. At 1 and 2 threads Winograd was measured faster
 * (docs/BENCHMARKS.md); above that it was not measured (the project's machine has 2 cores), so
 * XNNPACK keeps those layers unless `CWB_WASM_CONV_KERNEL=winograd`.
 */
export const WINOGRAD_MAX_THREADS = 2;

let xnnpackThreads = 1;

/** Tell the kernels how many XNNPACK threads the wasm backend of this thread runs (compute/tf.ts). */
export function setWasmThreadCount(threads: number): void {
  xnnpackThreads = Math.max(1, Math.floor(threads));
}

/**
 * The user's choice for 3×3 stride-1 convolutions (`CWB_WASM_CONV_KERNEL`: `auto`, the default, `winograd`
 * or `xnnpack`); throws a clear error on anything else.
 */
export function convKernelSetting(env: NodeJS.ProcessEnv = process.env): 'auto' | 'winograd' | 'xnnpack' {
  const raw = env['CWB_WASM_CONV_KERNEL'];
  if (raw === undefined || raw === '' || raw === 'auto') return 'auto';
  if (raw === 'winograd' || raw === 'xnnpack') return raw;
  throw new Error(`CWB_WASM_CONV_KERNEL must be "auto", "winograd" or "xnnpack", got "${raw}"`);
}

/**
 * The Winograd module's exports (`native/winograd.c`) for `backend`, or undefined (the reason kept for
 * `winogradKernelStatus`) when turned off (`CWB_WASM_CONV_KERNEL=xnnpack`) or not loadable.
 */
export function winogradKernel(backend: unknown, env: NodeJS.ProcessEnv = process.env): Record<string, unknown> | undefined {
  const fail = (reason: string) => {
    winogradStatus = { kernel: 'xnnpack', reason };
    return undefined;
  };
  let choice: 'auto' | 'winograd' | 'xnnpack';
  try {
    choice = convKernelSetting(env);
  } catch (err) {
    return fail((err as Error).message);
  }
  if (choice === 'xnnpack') return fail('CWB_WASM_CONV_KERNEL=xnnpack');
  if (choice === 'auto' && xnnpackThreads > WINOGRAD_MAX_THREADS) {
    return fail(
      `XNNPACK runs ${xnnpackThreads} threads and the Winograd module one; above ${WINOGRAD_MAX_THREADS} threads it was not measured faster (CWB_WASM_CONV_KERNEL=winograd uses it anyway)`,
    );
  }
  const memory = backendMemory(backend);
  if (!memory) return fail('the wasm backend does not expose its memory');
  const result = loadNativeKernel('winograd', memory);
  if (!result.ok) return fail(result.reason);
  winogradStatus = {
    kernel: 'winograd',
    reason: `Winograd F(2×2, 3×3) in WebAssembly SIMD for 3×3 stride-1 layers of ≥ 32 channels (forward, input and filter gradients), in the backend's ${isShared(memory) ? 'shared ' : ''}memory (${result.file})`,
  };
  return result.exports;
}

/** Whether 3×3 stride-1 convolutions run as Winograd in this thread, once the backend has looked. */
export function winogradKernelStatus(): ConvKernelStatus | undefined {
  return winogradStatus;
}
