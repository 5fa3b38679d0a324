/**
 * Colour adjustments as per-pixel linear maps x ↦ M·x (+ offset), so that one batched matrix product
 * applies a different adjustment to every image. Matrices are row-major 3×3 over RGB (1×1 for gray).
 *
 * Hue is a rotation by 2π·δ of the chroma plane (I, Q) of YIQ — the formulation of NVIDIA DALI's hue
 * op; it keeps luma and approximates the HSV hue shift of torchvision (δ = ½ maps red towards cyan).
 */
import { LUMA } from './grayscale';

export type Matrix = number[][];

const RGB_TO_YIQ: Matrix = [
  [0.299, 0.587, 0.114],
  [0.595716, -0.274453, -0.321263],
  [0.211456, -0.522591, 0.311135],
];

function multiply(a: Matrix, b: Matrix): Matrix {
  return a.map((row) =>
    b[0]!.map((_, j) => row.reduce((sum, v, k) => sum + v * (b[k]?.[j] ?? 0), 0)),
  );
}

function invert3(m: Matrix): Matrix {
  const [[a = 0, b = 0, c = 0] = [], [d = 0, e = 0, f = 0] = [], [g = 0, h = 0, i = 0] = []] = m;
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  return [
    [(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det],
    [(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det],
    [(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det],
  ];
}

const YIQ_TO_RGB = invert3(RGB_TO_YIQ);

export function identity(channels: number): Matrix {
  return Array.from({ length: channels }, (_, r) =>
    Array.from({ length: channels }, (_, c) => (r === c ? 1 : 0)),
  );
}

export function scaled(factor: number, channels: number): Matrix {
  return identity(channels).map((row) => row.map((v) => v * factor));
}

/** s·x + (1 − s)·luma(x); identity on gray. */
export function saturationMatrix(s: number, channels: number): Matrix {
  if (channels === 1 || s === 1) return identity(channels);
  return [0, 1, 2].map((r) => LUMA.map((l, c) => (1 - s) * l + (r === c ? s : 0)));
}

/** Hue rotation by δ turns (δ ∈ [−½, ½]); identity on gray or for δ = 0. */
export function hueMatrix(delta: number, channels: number): Matrix {
  if (channels === 1 || delta === 0) return identity(channels);
  const cos = Math.cos(2 * Math.PI * delta);
  const sin = Math.sin(2 * Math.PI * delta);
  const rotation: Matrix = [
    [1, 0, 0],
    [0, cos, -sin],
    [0, sin, cos],
  ];
  return multiply(YIQ_TO_RGB, multiply(rotation, RGB_TO_YIQ));
}
