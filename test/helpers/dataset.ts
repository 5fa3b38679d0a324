import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

/**
 * A tiny labelled image folder: `classes` sub-folders of `perClass` PNGs whose colour and a bright
 * square's position depend on the class, so a kNN can tell them apart.
 */
export async function makeImageFolder(dir: string, classes = ['circle', 'square'], perClass = 6, size = 20): Promise<string> {
  for (const [c, label] of classes.entries()) {
    mkdirSync(join(dir, label), { recursive: true });
    for (let i = 0; i < perClass; i += 1) {
      const pixels = Buffer.alloc(size * size * 3);
      for (let y = 0; y < size; y += 1) {
        for (let x = 0; x < size; x += 1) {
          const o = (y * size + x) * 3;
          const inside = c === 0 ? x < size / 2 : y < size / 2;
          pixels[o] = inside ? 220 : 30 + 10 * i;
          pixels[o + 1] = c === 0 ? 180 : 40;
          pixels[o + 2] = (x * 7 + y * 3 + i * 11) % 255;
        }
      }
      await sharp(pixels, { raw: { width: size, height: size, channels: 3 } }).png().toFile(join(dir, label, `${i}.png`));
    }
  }
  return dir;
}
