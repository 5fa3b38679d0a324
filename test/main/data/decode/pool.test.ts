import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetImportError } from '../../../../src/main/data/errors';
import { ImageRejected } from '../../../../src/main/data/image-rejected';
import { DecodePool } from '../../../../src/main/data/decode/pool';
import { removeDir, tempDir, writeImage } from '../fixtures';

const dir = tempDir();
let pool: DecodePool;
beforeAll(async () => {
  pool = new DecodePool(1);
  await writeImage(path.join(dir, 'wide.png'), { r: 250, g: 0, b: 0 }, 300, 100);
});
afterAll(async () => {
  await pool.close();
  removeDir(dir);
});

describe('DecodePool', () => {
  it('decodes to S×S×C uint8 off the main thread', async () => {
    const rgb = await pool.decode(path.join(dir, 'wide.png'), {
      size: 6,
      channels: 3,
      maxPixels: 1e6,
    });
    expect(rgb.pixels).toHaveLength(6 * 6 * 3);
    expect([...rgb.pixels.subarray(0, 3)]).toEqual([250, 0, 0]);
    const grey = await pool.decode(path.join(dir, 'wide.png'), {
      size: 5,
      channels: 1,
      maxPixels: 1e6,
    });
    expect(grey.pixels).toHaveLength(25);
    expect(grey.hash).toBe(rgb.hash);
  });

  it('applies the pixel limit at decode time and checks the expected hash', async () => {
    await expect(
      pool.decode(path.join(dir, 'wide.png'), { size: 4, channels: 3, maxPixels: 1000 }),
    ).rejects.toThrow(/exceeds the pixel limit/);
    await expect(
      pool.decode(path.join(dir, 'wide.png'), {
        size: 4,
        channels: 3,
        maxPixels: 1e6,
        expectHash: '0'.repeat(64),
      }),
    ).rejects.toThrow('file changed during import');
  });

  it('makes small WebP and JPEG thumbnails that fit the requested side', async () => {
    for (const format of ['webp', 'jpeg'] as const) {
      const thumb = await pool.thumbnail(path.join(dir, 'wide.png'), { maxSide: 60, format });
      const meta = await sharp(thumb).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual([format, 60, 20]);
    }
  });

  it('rejects a missing file with a reason and a cancelled task as aborted', async () => {
    const err = await pool.probe(path.join(dir, 'nope.png'), 1e6).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageRejected);
    const ac = new AbortController();
    ac.abort();
    await expect(pool.probe(path.join(dir, 'wide.png'), 1e6, ac.signal)).rejects.toBeInstanceOf(
      DatasetImportError,
    );
  });
});
