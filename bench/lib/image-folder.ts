/**
 * A generated labelled folder of JPEG and PNG files for the import benchmark: `classes` sub-folders,
 * half the files JPEG (quality 90) and half PNG, seeded noise plus a class-dependent bright band, so
 * decoding does real work (noise defeats PNG's filters the way photographs do).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

export async function makeMixedImageFolder(
  dir: string,
  count: number,
  size = 96,
  classes = 4,
): Promise<string> {
  let state = 12345;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state >>> 24;
  };
  for (let i = 0; i < count; i += 1) {
    const label = i % classes;
    const folder = join(dir, `class${label}`);
    mkdirSync(folder, { recursive: true });
    const pixels = Buffer.alloc(size * size * 3);
    for (let y = 0; y < size; y += 1) {
      for (let x = 0; x < size; x += 1) {
        const o = (y * size + x) * 3;
        const band = Math.floor((y * classes) / size) === label;
        pixels[o] = band ? 230 : next();
        pixels[o + 1] = next();
        pixels[o + 2] = (x * 3 + label * 60) % 256;
      }
    }
    const img = sharp(pixels, { raw: { width: size, height: size, channels: 3 } });
    if (i % 2 === 0) await img.jpeg({ quality: 90 }).toFile(join(folder, `${i}.jpg`));
    else await img.png().toFile(join(folder, `${i}.png`));
  }
  return dir;
}
