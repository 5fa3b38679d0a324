import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  readdirSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TensorCache } from '../../../../src/main/data/cache';
import { DatasetImportError } from '../../../../src/main/data/errors';
import { importImageFolder } from '../../../../src/main/data/import/folder';
import { DecodePool } from '../../../../src/main/data/decode/pool';
import type { PreviousFileInfo } from '../../../../src/main/data/types';
import {
  permissionsBlockReads,
  removeDir,
  tempDir,
  treeFingerprint,
  writeBombPng,
  writeGreyPng,
  writeImage,
  writeTruncated,
} from '../fixtures';

const RED = { r: 220, g: 20, b: 20 };
const GREEN = { r: 20, g: 200, b: 40 };
const BLUE = { r: 30, g: 40, b: 210 };

let pool: DecodePool;
const dirs: string[] = [];
function newDir(): string {
  const d = tempDir();
  dirs.push(d);
  return d;
}

beforeAll(() => {
  pool = new DecodePool(2);
});
afterAll(async () => {
  await pool.close();
  for (const d of dirs) {
    // restore permissions so cleanup works as non-root
    try {
      chmodSync(path.join(d, 'bad', 'locked.png'), 0o644);
    } catch {
      /* not every fixture has it */
    }
    removeDir(d);
  }
});

async function expectRefused(
  promise: Promise<unknown>,
  code: DatasetImportError['code'],
  message: RegExp,
): Promise<void> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DatasetImportError);
  expect((err as DatasetImportError).code).toBe(code);
  expect((err as DatasetImportError).message).toMatch(message);
}

describe('importImageFolder refuses', () => {
  it('a folder that does not exist', async () => {
    await expectRefused(
      importImageFolder(path.join(newDir(), 'nope'), { pool }),
      'not-found',
      /folder not found/,
    );
  });
  it('a file instead of a folder', async () => {
    const file = path.join(newDir(), 'a.png');
    await writeImage(file, RED);
    await expectRefused(importImageFolder(file, { pool }), 'not-a-directory', /not a folder/);
  });
  it('an empty folder', async () => {
    await expectRefused(importImageFolder(newDir(), { pool }), 'empty', /folder is empty/);
  });
  it('a folder without images, listing what it found', async () => {
    const dir = newDir();
    writeFileSync(path.join(dir, 'readme.txt'), 'hi');
    const err = (await importImageFolder(dir, { pool }).catch(
      (e: unknown) => e,
    )) as DatasetImportError;
    expect(err.code).toBe('empty');
    expect(err.message).toMatch(/no images found.*1 other file/);
    expect(err.skipped).toEqual([
      { path: path.join(dir, 'readme.txt'), reason: 'not an image file (.txt)' },
    ]);
  });
  it('a folder where every image is bad, with the reasons', async () => {
    const dir = newDir();
    writeFileSync(path.join(dir, 'fake.jpg'), 'not really a jpeg');
    const err = (await importImageFolder(dir, { pool }).catch(
      (e: unknown) => e,
    )) as DatasetImportError;
    expect(err.code).toBe('no-valid-images');
    expect(err.skipped.map((s) => s.reason)).toEqual([
      'not a readable image (unknown or unsupported format)',
    ]);
  });
  it('a cache file inside the dataset folder', async () => {
    const dir = newDir();
    await writeImage(path.join(dir, 'a.png'), RED);
    await expectRefused(
      importImageFolder(dir, { pool, cacheFile: path.join(dir, 'c.u8') }),
      'cache-inside-dataset',
      /must not be written inside/,
    );
  });
  it('a cancelled import', async () => {
    const dir = newDir();
    await writeImage(path.join(dir, 'a.png'), RED);
    const ac = new AbortController();
    ac.abort();
    await expectRefused(
      importImageFolder(dir, { pool, signal: ac.signal }),
      'aborted',
      /cancelled/,
    );
  });
  it('bad option values', async () => {
    await expect(importImageFolder(newDir(), { pool, valFraction: 1 })).rejects.toThrow(
      /valFraction/,
    );
  });
});

describe('importImageFolder with every kind of bad file', () => {
  let dir: string;
  let before: string[];
  let result: Awaited<ReturnType<typeof importImageFolder>>;
  let lockedBlocks = false;

  beforeAll(async () => {
    dir = newDir();
    await writeImage(path.join(dir, 'cat', 'a.png'), RED);
    await writeImage(path.join(dir, 'cat', 'b.jpg'), GREEN, 20, 12);
    await writeImage(path.join(dir, 'dog', 'c.webp'), BLUE);
    await writeImage(path.join(dir, 'dog', 'e.gif'), GREEN);
    await writeImage(path.join(dir, 'dog', 'f.tif'), BLUE, 8, 8);
    await writeImage(path.join(dir, 'root.avif'), RED);
    copyFileSync(path.join(dir, 'cat', 'a.png'), path.join(dir, 'dog', 'dup.png'));
    await writeTruncated(path.join(dir, 'bad', 'truncated.jpg'), 0.6);
    await writeTruncated(path.join(dir, 'bad', 'truncated.png'), 0.7);
    writeFileSync(path.join(dir, 'bad', 'zero.png'), '');
    writeFileSync(path.join(dir, 'bad', 'text.jpg'), 'this is a text file pretending to be a jpeg');
    writeBombPng(path.join(dir, 'bad', 'bomb.png'));
    await writeImage(path.join(dir, 'bad', 'locked.png'), GREEN);
    chmodSync(path.join(dir, 'bad', 'locked.png'), 0o000);
    lockedBlocks = permissionsBlockReads(path.join(dir, 'bad', 'locked.png'));
    writeFileSync(path.join(dir, 'notes.txt'), 'notes');
    await writeImage(path.join(dir, '.hidden.png'), RED);
    symlinkSync(dir, path.join(dir, 'cat', 'loop')); // folder link back to the root
    symlinkSync(path.join(dir, 'self'), path.join(dir, 'self')); // link to itself (ELOOP)
    symlinkSync(path.join(dir, 'missing.png'), path.join(dir, 'broken.png'));
    before = treeFingerprint(dir);
    result = await importImageFolder(dir, { pool, size: 8, channels: 3, seed: 1, valFraction: 0 });
  });

  it('imports the good images with folder labels and metadata', () => {
    const byRel = new Map(result.images.map((i) => [i.relPath, i]));
    const expected = [
      'cat/a.png',
      'cat/b.jpg',
      'dog/c.webp',
      'dog/dup.png',
      'dog/e.gif',
      'dog/f.tif',
      'root.avif',
    ];
    if (!lockedBlocks) expected.push('bad/locked.png'); // running as root: chmod 000 does not stop reads
    expect([...byRel.keys()].sort()).toEqual(expected.sort());
    expect(byRel.get('cat/b.jpg')).toMatchObject({
      label: 'cat',
      width: 20,
      height: 12,
      channels: 3,
      format: 'jpeg',
      split: 'train',
    });
    expect(byRel.get('dog/f.tif')).toMatchObject({ label: 'dog', format: 'tiff', width: 8 });
    expect(byRel.get('root.avif')).toMatchObject({ label: null, format: 'avif' });
    expect(byRel.get('cat/a.png')?.path).toBe(path.join(dir, 'cat', 'a.png'));
    expect(byRel.get('cat/a.png')?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('marks byte-identical files as duplicates of the first', () => {
    const dup = result.images.find((i) => i.relPath === 'dog/dup.png');
    const orig = result.images.find((i) => i.relPath === 'cat/a.png');
    expect(dup?.duplicateOf).toBe('cat/a.png');
    expect(dup?.hash).toBe(orig?.hash);
    expect(orig?.duplicateOf).toBeNull();
    expect(result.stats.duplicates).toBe(1);
  });

  it('skips every bad file with a readable reason', () => {
    const reasons = new Map(result.skipped.map((s) => [path.relative(dir, s.path), s.reason]));
    expect(reasons.get('bad/zero.png')).toBe('empty file (0 bytes)');
    expect(reasons.get('bad/text.jpg')).toBe(
      'not a readable image (unknown or unsupported format)',
    );
    expect(reasons.get('bad/bomb.png')).toMatch(
      /^image too large: 100000×100000 = .* exceeds the limit of 100,000,000$/,
    );
    expect(reasons.get('bad/truncated.jpg')).toMatch(/corrupt or truncated/);
    expect(reasons.get('bad/truncated.png')).toMatch(/corrupt or truncated/);
    expect(reasons.get('notes.txt')).toBe('not an image file (.txt)');
    expect(reasons.get('cat/loop')).toBe('symbolic link loop: folder already scanned as .');
    expect(reasons.get('self')).toBe('symbolic link loop');
    expect(reasons.get('broken.png')).toBe('broken symbolic link');
    if (lockedBlocks)
      expect(reasons.get('bad/locked.png')).toBe('permission denied (cannot read this file)');
    expect(reasons.has('.hidden.png')).toBe(false);
    expect(result.stats.hiddenIgnored).toBe(1);
    expect(result.skipped).toHaveLength(lockedBlocks ? 10 : 9);
    expect(result.stats).toMatchObject({
      imported: result.images.length,
      skipped: result.skipped.length,
      channels: 3,
      size: 8,
    });
  });

  it('never writes, moves or deletes anything in the user folder', () => {
    expect(treeFingerprint(dir)).toEqual(before);
  });
});

describe('importImageFolder labels and groups', () => {
  it('takes labels from a CSV and reports its bad rows', async () => {
    const dir = newDir();
    await writeImage(path.join(dir, 'x', 'a.png'), RED);
    await writeImage(path.join(dir, 'x', 'b,c.png'), GREEN);
    await writeImage(path.join(dir, 'y.png'), BLUE);
    await writeImage(path.join(dir, 'unlisted.png'), { r: 1, g: 2, b: 3 });
    const csv = path.join(dir, 'labels.csv');
    writeFileSync(
      csv,
      [
        'path,label',
        'x/a.png,red',
        '"x/b,c.png",green',
        'y.png,blue,extra',
        'y.png,',
        'gone.png,ghost',
        '../outside.png,evil',
        'x/a.png,crimson',
        './y.png,blue',
        // RFC 4180: an open quote runs on over line ends, so it can only be refused at the end
        '"y.png,blue',
      ].join('\r\n'),
    );
    const res = await importImageFolder(dir, { pool, labelsCsv: csv, valFraction: 0 });
    const labels = Object.fromEntries(res.images.map((i) => [i.relPath, i.label]));
    expect(labels).toEqual({
      'x/a.png': 'red',
      'x/b,c.png': 'green',
      'y.png': 'blue',
      'unlisted.png': null,
    });
    const reasons = res.skipped.map((s) => `${path.relative(dir, s.path)}: ${s.reason}`).sort();
    expect(reasons).toEqual(
      [
        'gone.png: listed in labels.csv (line 6) but not found in the folder',
        'labels.csv:4: labels CSV row skipped: expected 2 columns (path,label), found 3',
        'labels.csv:5: labels CSV row skipped: empty label',
        'labels.csv:7: labels CSV row skipped: path is outside the dataset folder (../outside.png)',
        'labels.csv:8: labels CSV row skipped: x/a.png already labelled "red" on line 2',
        'labels.csv:10: labels CSV row skipped: unterminated quote',
      ].sort(),
    );
    expect(res.stats.classes).toEqual({ red: 1, green: 1, blue: 1 });
  });

  it('refuses a labels CSV that does not exist', async () => {
    const dir = newDir();
    await writeImage(path.join(dir, 'a.png'), RED);
    await expectRefused(
      importImageFolder(dir, { pool, labelsCsv: path.join(dir, 'no.csv') }),
      'not-found',
      /labels CSV/,
    );
  });

  it('numbers sequence frames in natural order and keeps a clip in one split', async () => {
    const dir = newDir();
    for (const clip of ['c1', 'c2', 'c3', 'c4'])
      for (const f of [1, 2, 10])
        await writeImage(path.join(dir, 'walk', clip, `frame${f}.png`), {
          r: f * 20,
          g: clip.length * 30 + f,
          b: Number(clip[1]) * 40,
        });
    const res = await importImageFolder(dir, {
      pool,
      groups: 'sequences',
      valFraction: 0.5,
      seed: 3,
      size: 8,
    });
    const byRel = new Map(res.images.map((i) => [i.relPath, i]));
    expect(byRel.get('walk/c1/frame1.png')).toMatchObject({
      group: 'walk/c1',
      frameIndex: 0,
      label: 'walk',
    });
    expect(byRel.get('walk/c1/frame2.png')?.frameIndex).toBe(1);
    expect(byRel.get('walk/c1/frame10.png')?.frameIndex).toBe(2);
    for (const clip of ['c1', 'c2', 'c3', 'c4']) {
      const splits = new Set(
        res.images.filter((i) => i.group === `walk/${clip}`).map((i) => i.split),
      );
      expect(splits.size).toBe(1);
    }
    expect(res.stats).toMatchObject({ groups: 4, train: 6, val: 6 });
  });

  it('groups multi-view folders without frame numbers', async () => {
    const dir = newDir();
    await writeImage(path.join(dir, 'obj1', 'front.png'), RED);
    await writeImage(path.join(dir, 'obj1', 'side.png'), GREEN);
    await writeImage(path.join(dir, 'loose.png'), BLUE);
    const res = await importImageFolder(dir, { pool, groups: 'views', valFraction: 0 });
    const byRel = new Map(res.images.map((i) => [i.relPath, i]));
    expect(byRel.get('obj1/side.png')).toMatchObject({
      group: 'obj1',
      frameIndex: null,
      label: null,
    });
    expect(byRel.get('loose.png')).toMatchObject({ group: null, frameIndex: null });
  });

  it('picks 1 channel for an all-grey folder and 3 otherwise', async () => {
    const dir = newDir();
    await writeGreyPng(path.join(dir, 'g1.png'), 10);
    await writeGreyPng(path.join(dir, 'g2.png'), 200);
    const grey = await importImageFolder(dir, { pool });
    expect(grey.stats.channels).toBe(1);
    expect(grey.images.every((i) => i.channels === 1)).toBe(true);
    await writeImage(path.join(dir, 'colour.png'), RED);
    expect((await importImageFolder(dir, { pool })).stats.channels).toBe(3);
  });
});

describe('importImageFolder splits', () => {
  let dir: string;
  beforeAll(async () => {
    dir = newDir();
    for (let i = 0; i < 20; i++)
      await writeImage(path.join(dir, 'a', `${i}.png`), { r: i, g: 0, b: 0 }, 4, 4);
    for (let i = 0; i < 10; i++)
      await writeImage(path.join(dir, 'b', `${i}.png`), { r: 0, g: i + 1, b: 0 }, 4, 4);
  });

  it('is stratified by label and reproducible by seed', async () => {
    const run = async (seed: number): Promise<string[]> =>
      (await importImageFolder(dir, { pool, valFraction: 0.3, seed, size: 8 })).images
        .filter((i) => i.split === 'val')
        .map((i) => i.relPath);
    const v1 = await run(7);
    expect(v1.filter((p) => p.startsWith('a/'))).toHaveLength(6);
    expect(v1.filter((p) => p.startsWith('b/'))).toHaveLength(3);
    expect(await run(7)).toEqual(v1);
    expect(await run(8)).not.toEqual(v1);
  });
});

describe('importImageFolder when the folder changes under it', () => {
  it('skips a sub-folder that disappears mid-scan and a file that disappears before it is read', async () => {
    const dir = newDir();
    await writeImage(path.join(dir, 'a', 'keep.png'), RED);
    await writeImage(path.join(dir, 'a', 'gone.png'), GREEN);
    await writeImage(path.join(dir, 'z', 'y.png'), BLUE);
    let first = true;
    const res = await importImageFolder(dir, {
      pool,
      onProgress: (p) => {
        if (p.phase !== 'scan') return;
        if (first) rmSync(path.join(dir, 'z'), { recursive: true }); // root listed, z not yet
        first = false;
        if (p.done === p.total && p.done === 3) unlinkSync(path.join(dir, 'a', 'gone.png')); // scan finished
      },
    });
    expect(res.images.map((i) => i.relPath)).toEqual(['a/keep.png']);
    expect(res.skipped).toEqual([
      { path: path.join(dir, 'z'), reason: 'folder disappeared during import' },
      { path: path.join(dir, 'a', 'gone.png'), reason: 'file disappeared during import' },
    ]);
  });
});

describe('importImageFolder with a tensor cache', () => {
  it('decodes into the cache, then re-import touches only changed files', async () => {
    const dir = newDir();
    const work = newDir();
    const cacheFile = path.join(work, 'tensors.u8');
    await writeImage(path.join(dir, 'r.png'), RED);
    await writeImage(path.join(dir, 'g.png'), GREEN);
    await writeImage(path.join(dir, 'b.png'), BLUE);
    const first = await importImageFolder(dir, { pool, cacheFile, size: 4, channels: 3 });
    expect(first.stats).toMatchObject({ decoded: 3, cacheHits: 0, unchanged: 0 });
    expect(first.cache?.hashes).toHaveLength(3);
    const cache = await TensorCache.open(cacheFile);
    const red = first.images.find((i) => i.relPath === 'r.png');
    const pixels = await cache.read(cache.indexOf(red?.hash ?? ''));
    await cache.close();
    expect(pixels).toHaveLength(4 * 4 * 3);
    expect([...pixels.subarray(0, 3)].map((v) => Math.round(v / 10))).toEqual([22, 2, 2]);

    const previous = new Map<string, PreviousFileInfo>(
      first.images.map((i) => [
        i.relPath,
        {
          hash: i.hash,
          mtimeMs: i.mtimeMs,
          size: i.bytes,
          width: i.width,
          height: i.height,
          channels: i.channels,
          format: i.format,
        },
      ]),
    );
    const second = await importImageFolder(dir, {
      pool,
      cacheFile,
      size: 4,
      channels: 3,
      previous,
    });
    expect(second.stats).toMatchObject({ decoded: 0, cacheHits: 3, unchanged: 3 });
    expect(second.images).toEqual(first.images);

    await writeImage(path.join(dir, 'g.png'), { r: 1, g: 1, b: 1 }); // changed content
    const third = await importImageFolder(dir, { pool, cacheFile, size: 4, channels: 3, previous });
    expect(third.stats).toMatchObject({ decoded: 1, cacheHits: 2, unchanged: 2 });
    expect(readdirSync(work)).toEqual(['tensors.u8']); // no temp files left behind

    const other = await importImageFolder(dir, { pool, cacheFile, size: 8, channels: 3, previous });
    expect(other.stats).toMatchObject({ decoded: 3, cacheHits: 0 }); // another size is another cache
  });
});

describe('importImageFolder without a shared pool', () => {
  it('creates and closes its own workers', async () => {
    const dir = newDir();
    mkdirSync(path.join(dir, 'one'));
    await writeImage(path.join(dir, 'one', 'a.png'), RED);
    const res = await importImageFolder(dir, { valFraction: 0 });
    expect(res.images).toHaveLength(1);
  });
});
