/** What the convolution-kernel tests share: case shapes, seeded tensors, the largest difference, env switches. */
import { spawnSync } from 'node:child_process';
import { expect } from 'vitest';
import { tf } from '../../src/main/compute/tf';

export type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

/** One convolution: input x, filter kh×kw, output channels, strides, padding, and what it covers. */
export interface ConvCase {
  x: [number, number, number, number];
  k: [number, number];
  cout: number;
  stride: [number, number];
  pad: Pad;
  note: string;
}

/** Explicit padding top, bottom, left, right. */
export const explicitPad = (t: number, b: number, l: number, r: number): Pad => [[0, 0], [t, b], [l, r], [0, 0]];

export function seeded(shape: number[], seed: number): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, 'float32', seed);
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return worst;
}

/** Run `fn` with `variable` set to `value`, restoring it afterwards. */
export function withEnv<T>(variable: string, value: string, fn: () => T): T {
  const before = process.env[variable];
  process.env[variable] = value;
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env[variable];
    else process.env[variable] = before;
  }
}

/**
 * Whether the SIMD kernels must be there: the test set-up (test/helpers/build-wasm-kernels.ts) builds
 * them where clang is installed; without clang their tests are skipped (the fallback tests still run)
 * — except in CI, which installs clang and must test them.
 */
export const requireSimd = spawnSync('clang', ['--version']).status === 0 || Boolean(process.env['CI']);
