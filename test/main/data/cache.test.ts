import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TensorCache, TensorCacheWriter, cacheFileName } from '../../../src/main/data/cache';
import { sha256Hex } from '../../../src/main/data/hash';
import { removeDir, tempDir } from './fixtures';

const dir = tempDir();
afterAll(() => removeDir(dir));

function record(value: number, bytes: number): Uint8Array {
  return new Uint8Array(bytes).fill(value);
}

describe('tensor cache', () => {
  it('round-trips records by hash and index, storing a repeated hash once', async () => {
    const file = path.join(dir, cacheFileName({ size: 2, channels: 3 }));
    expect(path.basename(file)).toBe('tensors-2x2x3.u8');
    const w = await TensorCacheWriter.create(file, { size: 2, channels: 3 });
    const hashes = [0, 1, 2].map((i) => sha256Hex(new Uint8Array([i])));
    expect(w.add(hashes[0] as string, record(10, 12))).toBe(0);
    expect(w.add(hashes[1] as string, record(11, 12))).toBe(1);
    expect(w.add(hashes[0] as string, record(99, 12))).toBe(0);
    expect(w.add(hashes[2] as string, record(12, 12))).toBe(2);
    expect(() => w.add(hashes[2] as string, record(1, 11))).toThrow(/expected 12/);
    const { hashes: stored } = await w.commit();
    expect(stored).toEqual(hashes);
    expect(readdirSync(dir)).toEqual(['tensors-2x2x3.u8']);

    const c = await TensorCache.open(file);
    expect([c.size, c.channels, c.count, c.recordBytes]).toEqual([2, 3, 3, 12]);
    expect(c.indexOf(hashes[1] as string)).toBe(1);
    expect(c.indexOf('ff'.repeat(32))).toBe(-1);
    expect([...(await c.read(0))]).toEqual([...record(10, 12)]);
    const out = new Uint8Array(36);
    await c.readMany([2, 0, 1], out);
    expect([out[0], out[12], out[24]]).toEqual([12, 10, 11]);
    await expect(c.read(3)).rejects.toThrow(RangeError);
    await c.close();
  });

  it('rejects files that are not caches or are truncated, and a shape mismatch', async () => {
    const junk = path.join(dir, 'junk.u8');
    writeFileSync(junk, 'definitely not a cache, just forty bytes!!');
    await expect(TensorCache.open(junk)).rejects.toThrow(/not a tensor cache/);
    expect(await TensorCache.tryOpen(path.join(dir, 'missing.u8'))).toBeNull();
    const file = path.join(dir, 'short.u8');
    const w = await TensorCacheWriter.create(file, { size: 1, channels: 1 });
    w.add(sha256Hex(new Uint8Array([7])), new Uint8Array([7]));
    await w.commit();
    expect(await TensorCache.tryOpen(file, { size: 2, channels: 1 })).toBeNull();
    const ok = await TensorCache.tryOpen(file, { size: 1, channels: 1 });
    expect(ok?.count).toBe(1);
    await ok?.close();
    const { readFileSync } = await import('node:fs');
    writeFileSync(file, readFileSync(file).subarray(0, 40));
    await expect(TensorCache.open(file)).rejects.toThrow(/truncated or corrupt/);
  });

  it('abort leaves the previous cache untouched and no temp file', async () => {
    const file = path.join(dir, 'keep.u8');
    const w1 = await TensorCacheWriter.create(file, { size: 1, channels: 1 });
    w1.add(sha256Hex(new Uint8Array([1])), new Uint8Array([1]));
    await w1.commit();
    const w2 = await TensorCacheWriter.create(file, { size: 1, channels: 1 });
    w2.add(sha256Hex(new Uint8Array([2])), new Uint8Array([2]));
    await w2.abort();
    const c = await TensorCache.open(file);
    expect(c.count).toBe(1);
    await c.close();
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('checksums every chunk: a sound cache verifies, one flipped byte in any chunk or the index is found', async () => {
    const file = path.join(dir, 'sums.u8');
    // 32×32×3 records: 341 per 1 MiB chunk, so 700 records make three chunks
    const w = await TensorCacheWriter.create(file, { size: 32, channels: 3 });
    const record = 32 * 32 * 3;
    for (let i = 0; i < 700; i++) {
      const px = new Uint8Array(record).fill(i % 251);
      px[0] = i & 0xff;
      px[1] = i >> 8;
      w.add(sha256Hex(px), px);
    }
    await w.commit();
    const sound = await TensorCache.open(file);
    expect(sound.version).toBe(2);
    expect(await sound.verify()).toBeNull();
    await sound.close();
    const { readFileSync } = await import('node:fs');
    const pristine = readFileSync(file);
    const flip = async (offset: number): Promise<number> => {
      const bytes = Buffer.from(pristine);
      bytes[offset] = (bytes[offset] ?? 0) ^ 0x10;
      writeFileSync(file, bytes);
      const c = await TensorCache.open(file);
      const damage = await c.verify();
      await c.close();
      expect(damage, `offset ${offset}`).not.toBeNull();
      return damage?.chunk ?? -2;
    };
    expect(await flip(32 + 5)).toBe(0);
    expect(await flip(32 + 400 * record + 17)).toBe(1);
    expect(await flip(32 + 699 * record + record - 1)).toBe(2);
    expect(await flip(32 + 700 * record + 3)).toBe(-1); // the hash index
    // truncated by one byte: refused at open as a store error
    writeFileSync(file, pristine.subarray(0, pristine.length - 1));
    await expect(TensorCache.open(file)).rejects.toMatchObject({ code: 'STORE_ERROR', message: expect.stringMatching(/truncated or corrupt/) as string });
  });
});
