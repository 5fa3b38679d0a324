/**
 * The demo dataset offered on first start: procedurally drawn colour shapes (circle, square,
 * triangle, ring) at random positions, sizes and colours on random backgrounds, written as PNG class
 * folders. Seeded, so every install gets the same images; generated, so nothing is redistributed.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { createDataRng, type Rng } from '../random/index';

export const DEMO_CLASSES = ['circle', 'square', 'triangle', 'ring'] as const;
type Shape = (typeof DEMO_CLASSES)[number];

function inside(shape: Shape, dx: number, dy: number, r: number): boolean {
  switch (shape) {
    case 'circle':
      return dx * dx + dy * dy <= r * r;
    case 'square':
      return Math.abs(dx) <= r * 0.85 && Math.abs(dy) <= r * 0.85;
    case 'triangle':
      // Upward triangle with its centroid at the origin.
      return dy <= r * 0.6 && dy >= -r + 2 * Math.abs(dx) * 0.9;
    case 'ring': {
      const d = Math.sqrt(dx * dx + dy * dy);
      return d <= r && d >= r * 0.55;
    }
  }
}

function colour(rng: Rng): [number, number, number] {
  return [Math.floor(rng.next() * 256), Math.floor(rng.next() * 256), Math.floor(rng.next() * 256)];
}

/** RGB pixels [size, size, 3] of one shape. */
export function drawShape(shape: Shape, size: number, rng: Rng): Uint8Array {
  const pixels = new Uint8Array(size * size * 3);
  const bg = colour(rng);
  let fg = colour(rng);
  // Keep the shape visible: push the foreground away from a too-similar background.
  if (Math.abs(fg[0] - bg[0]) + Math.abs(fg[1] - bg[1]) + Math.abs(fg[2] - bg[2]) < 150) fg = fg.map((c, i) => (bg[i]! > 127 ? c / 3 : 255 - c / 3)) as typeof fg;
  const r = size * (0.2 + 0.18 * rng.next());
  const cx = r + rng.next() * (size - 2 * r);
  const cy = r + rng.next() * (size - 2 * r);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const c = inside(shape, x + 0.5 - cx, y + 0.5 - cy, r) ? fg : bg;
      const o = (y * size + x) * 3;
      pixels[o] = c[0];
      pixels[o + 1] = c[1];
      pixels[o + 2] = c[2];
    }
  }
  return pixels;
}

/** Write `perClass` images of every class under `dir/<class>/NNN.png`; returns the folder. */
export async function writeDemoShapes(dir: string, perClass = 64, size = 32, seed = 2024): Promise<string> {
  const rng = createDataRng(seed);
  for (const shape of DEMO_CLASSES) {
    mkdirSync(join(dir, shape), { recursive: true });
    for (let i = 0; i < perClass; i += 1) {
      const pixels = drawShape(shape, size, rng);
      await sharp(pixels, { raw: { width: size, height: size, channels: 3 } })
        .png()
        .toFile(join(dir, shape, `${String(i).padStart(3, '0')}.png`));
    }
  }
  return dir;
}
