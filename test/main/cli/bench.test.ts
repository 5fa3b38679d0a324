import { afterAll, describe, expect, it } from 'vitest';
import { cwbErrorLine, runCli } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp';

const home = tempDir();
const cache = tempDir();
afterAll(() => {
  home.cleanup();
  cache.cleanup();
});

const TINY = ['--method', 'simclr', '--encoder', 'small', '--batch-size', '4', '--image-size', '16', '--steps', '1', '--warmup', '0', '--backend', 'wasm', '--json'];

describe('cwb bench train / doctor: wasm threads', () => {
  it('bench train --json reports the threads actually used: --wasm-threads wins over CWB_WASM_THREADS', async () => {
    const [two, one] = await Promise.all([
      runCli(['--home', home.dir, 'bench', 'train', ...TINY, '--wasm-threads', '2'], { CWB_CACHE_DIR: cache.dir, CWB_WASM_THREADS: '1' }),
      runCli(['--home', home.dir, 'bench', 'train', ...TINY], { CWB_CACHE_DIR: cache.dir, CWB_WASM_THREADS: '1' }),
    ]);
    expect(two.code, two.stderr).toBe(0);
    expect(one.code, one.stderr).toBe(0);
    expect(JSON.parse(two.stdout)).toMatchObject({ backend: 'wasm', threads: 2, batchSize: 4 });
    expect(JSON.parse(one.stdout)).toMatchObject({ backend: 'wasm', threads: 1 });
  }, 120_000);

  it('doctor says how many threads wasm runs and why; a bad setting fails with one clear line', async () => {
    const human = await runCli(['--home', home.dir, 'doctor', '--backend', 'wasm'], { CWB_CACHE_DIR: cache.dir, CWB_WASM_THREADS: '2' });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^threads: 2 — wasm: 2 requested; patched tfjs-backend-wasm, XNNPACK thread pool$/m);
    const bad = await runCli(['--home', home.dir, 'doctor', '--backend', 'wasm', '--json'], { CWB_CACHE_DIR: cache.dir, CWB_WASM_THREADS: 'lots' });
    expect(bad.code).not.toBe(0);
    expect(cwbErrorLine(bad.stderr)).toBe('cwb: CWB_WASM_THREADS must be a whole number from 1 to 8 (1 = single-threaded), got "lots"');
  }, 120_000);
});

describe('cwb doctor / bench train: the wasm filter-gradient kernel', () => {
  it('doctor names the kernel in use and why; a bad CWB_WASM_FILTER_KERNEL is named there and nothing fails', async () => {
    const [simd, xnnpack, bad] = await Promise.all([
      runCli(['--home', home.dir, 'doctor', '--backend', 'wasm'], { CWB_CACHE_DIR: cache.dir, CWB_WASM_THREADS: '1' }),
      runCli(['--home', home.dir, 'doctor', '--backend', 'wasm', '--json'], { CWB_CACHE_DIR: cache.dir, CWB_WASM_THREADS: '1', CWB_WASM_FILTER_KERNEL: 'xnnpack' }),
      runCli(['--home', home.dir, 'doctor', '--backend', 'wasm', '--json'], { CWB_CACHE_DIR: cache.dir, CWB_WASM_THREADS: '1', CWB_WASM_FILTER_KERNEL: 'fast' }),
    ]);
    expect(simd.code, simd.stderr).toBe(0);
    expect(simd.stdout).toMatch(/^filter gradient: (simd — WebAssembly SIMD, in the backend's memory \(.*conv2d-backprop-filter\.wasm\)|xnnpack — .*missing.*)$/m);
    expect(xnnpack.code, xnnpack.stderr).toBe(0);
    expect(JSON.parse(xnnpack.stdout).wasmFilterKernel).toEqual({ kernel: 'xnnpack', reason: 'CWB_WASM_FILTER_KERNEL=xnnpack' });
    expect(simd.stdout).toMatch(/^input gradient: (simd — WebAssembly SIMD for strides > 1 and layers of ≤ 32 channels .*, in the backend's memory \(.*conv2d-backprop-input\.wasm\)|xnnpack — .*missing.*)$/m);
    expect(bad.code, bad.stderr).toBe(0);
    expect(JSON.parse(bad.stdout).wasmFilterKernel).toEqual({ kernel: 'xnnpack', reason: 'CWB_WASM_FILTER_KERNEL must be "simd" or "xnnpack", got "fast"' });
  }, 120_000);

  it('bench train --json names the filter kernel that ran', async () => {
    const r = await runCli(['--home', home.dir, 'bench', 'train', ...TINY], { CWB_CACHE_DIR: cache.dir, CWB_WASM_THREADS: '1', CWB_WASM_FILTER_KERNEL: 'xnnpack', CWB_WASM_INPUT_KERNEL: 'xnnpack' });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ backend: 'wasm', filterKernel: 'xnnpack', inputKernel: 'xnnpack' });
  }, 120_000);
});
