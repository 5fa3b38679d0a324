#!/usr/bin/env node
// App icons from resources/icon.svg, rendered with sharp at every size the installers need:
//   resources/icon.png          1024 px (kept in git: the ≥ 512 px master that electron-builder also accepts)
//   build/icons/<n>x<n>.png     Linux (AppImage, deb): 16 … 1024
//   build/icon.ico              Windows (nsis): 16 … 256, PNG-compressed entries
//   build/icon.icns             macOS (dmg): 16 … 1024, PNG entries
// `npm run dist` runs this first; `node scripts/icons.mjs` alone regenerates them.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import sharp from 'sharp';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
/** icns entry type per size (PNG payloads; Apple's icns types since macOS 10.7). */
export const ICNS_TYPES = { 16: 'icp4', 32: 'icp5', 64: 'icp6', 128: 'ic07', 256: 'ic08', 512: 'ic09', 1024: 'ic10' };

/** The SVG rendered to a square RGBA PNG of `size` pixels. */
export async function renderIcon(svg, size) {
  const { width } = await sharp(svg).metadata();
  const density = Math.max(72, Math.ceil((72 * size) / (width ?? size)));
  return sharp(svg, { density }).resize(size, size).png().toBuffer();
}

/** A Windows .ico holding PNG images (one directory entry each; 256 is written as 0). */
export function icoFile(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, png }) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0);
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt16LE(1, 4);
    entry.writeUInt16LE(32, 6);
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map(({ png }) => png)]);
}

/** A macOS .icns: 'icns', total length, then (type, length incl. 8-byte header, PNG) per image. */
export function icnsFile(images) {
  const chunks = images.map(({ size, png }) => {
    const head = Buffer.alloc(8);
    head.write(ICNS_TYPES[size], 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const header = Buffer.alloc(8);
  header.write('icns', 0, 'ascii');
  header.writeUInt32BE(8 + chunks.reduce((n, c) => n + c.length, 0), 4);
  return Buffer.concat([header, ...chunks]);
}

export async function generateIcons({ svgPath = join(root, 'resources', 'icon.svg'), resourcesDir = join(root, 'resources'), buildDir = join(root, 'build') } = {}) {
  const svg = readFileSync(svgPath);
  const sizes = [...new Set([...LINUX_SIZES, ...ICO_SIZES, ...Object.keys(ICNS_TYPES).map(Number)])].sort((a, b) => a - b);
  const pngs = new Map(await Promise.all(sizes.map(async (size) => [size, await renderIcon(svg, size)])));
  mkdirSync(join(buildDir, 'icons'), { recursive: true });
  const written = [join(resourcesDir, 'icon.png')];
  writeFileSync(written[0], pngs.get(1024));
  for (const size of LINUX_SIZES) {
    const file = join(buildDir, 'icons', `${size}x${size}.png`);
    writeFileSync(file, pngs.get(size));
    written.push(file);
  }
  writeFileSync(join(buildDir, 'icon.ico'), icoFile(ICO_SIZES.map((size) => ({ size, png: pngs.get(size) }))));
  writeFileSync(join(buildDir, 'icon.icns'), icnsFile(Object.keys(ICNS_TYPES).map(Number).map((size) => ({ size, png: pngs.get(size) }))));
  written.push(join(buildDir, 'icon.ico'), join(buildDir, 'icon.icns'));
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const written = await generateIcons();
  process.stdout.write(`${written.length} icon files written (resources/icon.png, build/icons, build/icon.ico, build/icon.icns)\n`);
}
