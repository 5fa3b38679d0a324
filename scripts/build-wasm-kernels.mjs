#!/usr/bin/env node
// Builds the workbench's own WebAssembly SIMD kernels (src/main/compute/kernels/native/*.c) into
// out/wasm-kernels/ with clang (--target=wasm32 -msimd128) and lld (wasm-ld). Build output: never
// committed. Run by `npm run build`, `npm run dist`, the unit tests' set-up and, lazily, by the engine
// the first time it needs a kernel that is missing (src/main/compute/kernels/native-kernels.ts).
//
// Each source gives two modules, both importing their memory as env.memory (tfjs-backend-wasm's heap):
//   <name>.wasm         plain memory (the single-threaded backend)
//   <name>.shared.wasm  shared memory, built with atomics (the multi-threaded backend)
// A kernel works inside the backend's heap, so a module must have no data segment and must not use
// the linker's stack (which would sit at addresses the backend owns): both are checked here, and a
// module that fails is not written.
//
// Without clang (a user's machine, a CI image without it), or when the compiler fails, nothing is built
// and the exit code is 0: the engine then uses its previous kernel and `cwb doctor` says so. --require
// makes both an error; so does CI=true for a compiler failure (CI installs clang and must build them).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const defaultRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

export const SOURCE_DIR = join('src', 'main', 'compute', 'kernels', 'native');
export const OUT_DIR = join('out', 'wasm-kernels');

const COMMON = ['--target=wasm32', '-O3', '-msimd128', '-ffreestanding', '-nostdlib', '-Wall', '-Wextra', '-Werror',
  '-Wl,--no-entry', '-Wl,--import-memory', '-Wl,--strip-debug'];
const VARIANTS = [
  { suffix: '.wasm', flags: [] },
  // The threaded backend's memory is shared with a maximum of 4 GiB; an import must allow as much.
  { suffix: '.shared.wasm', flags: ['-matomics', '-mbulk-memory', '-Wl,--shared-memory', '-Wl,--max-memory=4294967296'] },
];

function tool(names) {
  for (const name of names) {
    const probe = spawnSync(name, ['--version'], { encoding: 'utf8' });
    if (probe.status === 0) return name;
  }
  return undefined;
}

/** Section ids of a wasm binary (the module's top-level sections, in order). */
export function wasmSectionIds(bytes) {
  const ids = [];
  let at = 8;
  const leb = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[at++];
      value |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value >>> 0;
      shift += 7;
    }
  };
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = leb();
    ids.push(id);
    at += size;
  }
  return ids;
}

/** Why a built module may not run inside another module's memory, or undefined when it may. */
export function unsafeForSharedHeap(wasmPath, objdump) {
  const ids = wasmSectionIds(readFileSync(wasmPath));
  if (ids.includes(11)) return 'it has a data segment';
  if (objdump) {
    const listing = spawnSync(objdump, ['-d', wasmPath], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
    if (listing.status !== 0) return `${objdump} -d failed: ${listing.stderr.trim()}`;
    if (/\bglobal\.(get|set)\b/.test(listing.stdout)) return 'it uses a global (the linker stack pointer)';
  }
  return undefined;
}

function newer(target, sources) {
  if (!existsSync(target)) return false;
  const t = statSync(target).mtimeMs;
  return sources.every((s) => statSync(s).mtimeMs <= t);
}

/**
 * Build every kernel; returns { built, upToDate, skipped } (file names) and throws on a compile or
 * check error. `skipped` is a one-line reason when clang or wasm-ld is missing.
 */
export function buildWasmKernels({ root = defaultRoot, log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const sourceDir = join(root, SOURCE_DIR);
  const outDir = join(root, OUT_DIR);
  const sources = existsSync(sourceDir) ? readdirSync(sourceDir).filter((f) => f.endsWith('.c')) : [];
  const result = { built: [], upToDate: [], skipped: undefined };
  const script = fileURLToPath(import.meta.url);
  const pending = sources.flatMap((file) =>
    VARIANTS.map((v) => ({ file, variant: v, target: join(outDir, file.replace(/\.c$/, v.suffix)) })),
  ).filter((job) => {
    if (newer(job.target, [join(sourceDir, job.file), script])) {
      result.upToDate.push(job.target);
      return false;
    }
    return true;
  });
  if (pending.length === 0) return result;
  const clang = process.env.CWB_CLANG || tool(['clang', 'clang-14', 'clang-15', 'clang-16']);
  const lld = tool(['wasm-ld', 'wasm-ld-14', 'wasm-ld-15', 'wasm-ld-16']);
  if (!clang || !lld) {
    result.skipped = `${clang ? 'wasm-ld (lld)' : 'clang'} not found; the WebAssembly SIMD kernels are not built (install clang and lld)`;
    return result;
  }
  const objdump = tool(['llvm-objdump', 'llvm-objdump-14', 'llvm-objdump-15', 'llvm-objdump-16']);
  mkdirSync(outDir, { recursive: true });
  for (const job of pending) {
    const temp = `${job.target}.${process.pid}.tmp`;
    const args = [...COMMON, ...job.variant.flags, join(sourceDir, job.file), '-o', temp];
    const run = spawnSync(clang, args, { encoding: 'utf8' });
    if (run.status !== 0) {
      rmSync(temp, { force: true });
      throw new Error(`${clang} failed on ${job.file}: ${(run.stderr || run.error?.message || `exit ${run.status}`).trim()}`);
    }
    const unsafe = unsafeForSharedHeap(temp, objdump);
    if (unsafe) {
      rmSync(temp, { force: true });
      throw new Error(`${job.file}: ${unsafe}; a kernel must not touch memory outside its tensors`);
    }
    renameSync(temp, job.target);
    result.built.push(job.target);
  }
  log(`wasm kernels: built ${result.built.length} module(s) into ${outDir}`);
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const result = buildWasmKernels();
    if (result.skipped) {
      process.stderr.write(`wasm kernels: ${result.skipped}\n`);
      if (process.argv.includes('--require')) process.exitCode = 1;
    }
  } catch (err) {
    // A toolchain that cannot build them (an old clang without the wasm32 target, say) leaves the engine
    // on its previous kernels, as a missing clang does; CI and --require make it an error.
    process.stderr.write(`wasm kernels: ${err.message}\n`);
    if (process.argv.includes('--require') || process.env.CI) process.exitCode = 1;
    else process.stderr.write('wasm kernels: not built; the engine uses its previous kernels (see `cwb doctor`)\n');
  }
}
