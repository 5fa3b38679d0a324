/**
 * vitest global set-up: build the WebAssembly SIMD kernels (scripts/build-wasm-kernels.mjs) before any
 * test file runs, so the kernel tests test them. Where clang is missing (or cannot build them) the
 * script builds nothing and says so; the engine then falls back to its previous kernels, and the
 * tests that expect the SIMD kernel fail where clang is installed (or in CI), naming the missing file.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const script = fileURLToPath(new URL('../../scripts/build-wasm-kernels.mjs', import.meta.url));
  const run = spawnSync(process.execPath, [script], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (run.status !== 0) throw new Error(`${script} failed (exit ${run.status})`);
}
