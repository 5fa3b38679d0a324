/** Tiny image fixtures written at test time (never checked in). */
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  lstatSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';

export function tempDir(prefix = 'cwb-data-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

type Rgb = { r: number; g: number; b: number };

/** Writes a solid-colour RGB image; format from the extension (.png .jpg .webp .gif .tif .avif). */
export async function writeImage(file: string, rgb: Rgb, width = 16, height = 16): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const img = sharp({ create: { width, height, channels: 3, background: rgb } });
  const ext = path.extname(file).toLowerCase();
  const out =
    ext === '.png'
      ? img.png()
      : ext === '.webp'
        ? img.webp()
        : ext === '.gif'
          ? img.gif()
          : ext === '.tif'
            ? img.tiff()
            : ext === '.avif'
              ? img.avif()
              : img.jpeg();
  writeFileSync(file, await out.toBuffer());
}

/** A single-band (grey) PNG with a constant value. */
export async function writeGreyPng(file: string, value: number, side = 16): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const raw = Buffer.alloc(side * side, value);
  writeFileSync(
    file,
    await sharp(raw, { raw: { width: side, height: side, channels: 1 } })
      .toColourspace('b-w')
      .png()
      .toBuffer(),
  );
}

/** A valid PNG header claiming width × height pixels (a decompression bomb's header). */
export function writeBombPng(file: string, width = 100_000, height = 100_000): void {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const body = Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(1024))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, body);
}

/** Writes the first `fraction` of a valid image file. */
export async function writeTruncated(file: string, fraction: number): Promise<void> {
  await writeImage(file, { r: 10, g: 200, b: 30 }, 64, 64);
  const bytes = readFileSync(file);
  writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length * fraction)));
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([len, typed, crc]);
}

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * Fingerprint of a folder tree: every entry's relPath, type, mode, size, mtime and content hash
 * (symlinks by their target, never followed). Equal fingerprints ⇒ nothing written/moved/deleted.
 */
export function treeFingerprint(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const rel = path.relative(root, full);
      const st = lstatSync(full);
      if (st.isSymbolicLink()) out.push(`${rel} link ${readlinkSync(full)}`);
      else if (st.isDirectory()) {
        out.push(`${rel} dir ${st.mode} ${st.mtimeMs}`);
        walk(full);
      } else {
        let digest = 'unreadable';
        try {
          digest = createHash('sha256').update(readFileSync(full)).digest('hex');
        } catch {
          // chmod 000 as non-root: content cannot be read, mode/size/mtime still compared
        }
        out.push(`${rel} file ${st.mode} ${st.size} ${st.mtimeMs} ${digest}`);
      }
    }
  };
  walk(root);
  return out;
}

/** True when chmod 000 really blocks reading (false when the tests run as root). */
export function permissionsBlockReads(file: string): boolean {
  try {
    readFileSync(file);
    return false;
  } catch {
    return true;
  }
}
