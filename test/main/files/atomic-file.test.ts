import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  openAtomicFile,
  writeFileAtomic,
  writeFileAtomicSync,
} from '../../../src/main/files/atomic-file';
import { tempDir } from '../../helpers/temp';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function dir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

/** A target the final rename cannot replace: a folder with a file in it. */
function occupied(base: string): string {
  const target = join(base, 'target');
  mkdirSync(target);
  writeFileSync(join(target, 'keep.txt'), 'keep');
  return target;
}

describe('atomic file writes', () => {
  it('sync: writes a string, replaces an old file, returns the bytes and leaves no temp file', () => {
    const base = dir();
    const file = join(base, 'a.json');
    writeFileSync(file, 'old');
    expect(writeFileAtomicSync(file, '{"é":1}')).toBe(Buffer.byteLength('{"é":1}'));
    expect(readFileSync(file, 'utf8')).toBe('{"é":1}');
    expect(readdirSync(base)).toEqual(['a.json']);
  });

  it('sync: writes parts in order (a view into a larger buffer writes only its bytes)', () => {
    const base = dir();
    const file = join(base, 'parts.bin');
    const big = Uint8Array.from([9, 9, 3, 4, 9]);
    expect(
      writeFileAtomicSync(file, [Uint8Array.of(1, 2), big.subarray(2, 4), new Uint8Array(0)]),
    ).toBe(4);
    expect([...readFileSync(file)]).toEqual([1, 2, 3, 4]);
  });

  it('sync: a failed rename removes the temp file and leaves the target as it was', () => {
    const base = dir();
    const target = occupied(base);
    expect(() => writeFileAtomicSync(target, 'new')).toThrow();
    expect(readdirSync(base)).toEqual(['target']);
    expect(readFileSync(join(target, 'keep.txt'), 'utf8')).toBe('keep');
  });

  it('sync: a folder that does not exist is a clear error, not a stray file', () => {
    const base = dir();
    expect(() => writeFileAtomicSync(join(base, 'missing', 'x.bin'), 'x')).toThrow(/ENOENT/);
    expect(readdirSync(base)).toEqual([]);
  });

  it('async: writes bytes and on failure removes its temp file', async () => {
    const base = dir();
    const file = join(base, 'b.bin');
    expect(await writeFileAtomic(file, [Uint8Array.of(7), Uint8Array.of(8, 9)])).toBe(3);
    expect([...readFileSync(file)]).toEqual([7, 8, 9]);
    const target = occupied(base);
    await expect(writeFileAtomic(target, 'new')).rejects.toThrow();
    expect(readdirSync(base).sort()).toEqual(['b.bin', 'target']);
  });

  it('open file: written by position, invisible until commit; abort keeps the old file', async () => {
    const base = dir();
    const file = join(base, 'cache.bin');
    const first = await openAtomicFile(file);
    await first.handle.write(Uint8Array.of(5, 6), 0, 2, 2);
    await first.handle.write(Uint8Array.of(3, 4), 0, 2, 0);
    expect(existsSync(file)).toBe(false);
    await first.commit();
    expect([...readFileSync(file)]).toEqual([3, 4, 5, 6]);
    expect(readdirSync(base)).toEqual(['cache.bin']);

    const second = await openAtomicFile(file);
    await second.handle.write(Uint8Array.of(1), 0, 1, 0);
    await second.abort();
    await second.abort();
    expect([...readFileSync(file)]).toEqual([3, 4, 5, 6]);
    expect(readdirSync(base)).toEqual(['cache.bin']);
  });

  it('open file: a failed commit removes the temp file and rethrows', async () => {
    const base = dir();
    const target = occupied(base);
    const file = await openAtomicFile(target);
    await file.handle.write(Uint8Array.of(1), 0, 1, 0);
    await expect(file.commit()).rejects.toThrow();
    expect(readdirSync(base)).toEqual(['target']);
  });
});
