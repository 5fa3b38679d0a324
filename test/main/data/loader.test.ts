import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TensorCache, TensorCacheWriter } from '../../../src/main/data/cache';
import { sha256Hex } from '../../../src/main/data/hash';
import { BatchLoader, type Batch, type LoaderItem } from '../../../src/main/data/loader';
import { toLoaderItems } from '../../../src/main/data/loader-items';
import { selectSubset } from '../../../src/main/data/sampling';
import type { ImportedImage } from '../../../src/main/data/types';
import { removeDir, tempDir } from './fixtures';

const N = 40;
const S = 2;
const dir = tempDir();
let cache: TensorCache;
// Record r is filled with the value r, so a batch's pixels name the records it holds.
const hashes = Array.from({ length: N }, (_, r) => sha256Hex(new Uint8Array([r, 1])));

beforeAll(async () => {
  const w = await TensorCacheWriter.create(path.join(dir, 'c.u8'), { size: S, channels: 1 });
  hashes.forEach((h, r) => w.add(h, new Uint8Array(S * S).fill(r)));
  await w.commit();
  cache = await TensorCache.open(path.join(dir, 'c.u8'));
});
afterAll(async () => {
  await cache.close();
  removeDir(dir);
});

/** Items in reverse cache order; labels 0 (30 items) and 1 (10 items); 4 clips of 10 frames. */
const items: LoaderItem[] = Array.from({ length: N }, (_, i) => ({
  cacheIndex: N - 1 - i,
  label: i < 30 ? 0 : 1,
  group: Math.floor(i / 10),
  frameIndex: i % 10,
}));

async function collect(loader: BatchLoader, epoch: number): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const b of loader.epoch(epoch)) out.push(b);
  return out;
}

describe('BatchLoader', () => {
  it('yields [B,S,S,C] batches whose pixels, indices and labels agree', async () => {
    const loader = new BatchLoader({ cache, items, batchSize: 8, seed: 1 });
    const batches = await collect(loader, 0);
    expect(batches).toHaveLength(5);
    for (const b of batches) {
      expect(b.images).toHaveLength(8 * S * S);
      b.indices.forEach((i, k) => {
        expect(b.images[k * S * S]).toBe(items[i]?.cacheIndex);
        expect(b.labels[k]).toBe(items[i]?.label);
      });
    }
    const seen = batches.flatMap((b) => [...b.indices]).sort((a, b) => a - b);
    expect(seen).toEqual(Array.from({ length: N }, (_, i) => i)); // each item once per epoch
  });

  it('is deterministic by seed and epoch, shuffled, and different across epochs and seeds', async () => {
    const order = async (seed: number, epoch: number): Promise<number[]> =>
      (await collect(new BatchLoader({ cache, items, batchSize: 8, seed }), epoch)).flatMap((b) => [
        ...b.indices,
      ]);
    const a = await order(5, 0);
    expect(await order(5, 0)).toEqual(a);
    expect(a).not.toEqual([...a].sort((x, y) => x - y));
    expect(await order(5, 1)).not.toEqual(a);
    expect(await order(6, 0)).not.toEqual(a);
  });

  it('drops or keeps the last partial batch; no shuffle keeps order', async () => {
    const keep = new BatchLoader({
      cache,
      items,
      batchSize: 16,
      seed: 0,
      dropLast: false,
      shuffle: false,
      prefetch: 0,
    });
    const batches = await collect(keep, 0);
    expect(batches.map((b) => b.indices.length)).toEqual([16, 16, 8]);
    expect([...(batches[0]?.indices ?? [])].slice(0, 3)).toEqual([0, 1, 2]);
    expect(new BatchLoader({ cache, items, batchSize: 16, seed: 0 }).length).toBe(2);
  });

  it('samples a stratified subset that keeps class shares', async () => {
    const loader = new BatchLoader({
      cache,
      items,
      batchSize: 4,
      seed: 2,
      subset: { size: 8, stratified: true },
    });
    expect(loader.members).toHaveLength(8);
    expect(loader.members.filter((i) => items[i]?.label === 1)).toHaveLength(2);
    const seen = (await collect(loader, 0)).flatMap((b) => [...b.indices]).sort((a, b) => a - b);
    expect(seen).toEqual([...loader.members]);
    expect(selectSubset(items, 100, true, 0)).toHaveLength(N);
  });

  it('pairs each frame with a neighbour of the same clip within maxOffset', async () => {
    const loader = new BatchLoader({
      cache,
      items,
      batchSize: 10,
      seed: 3,
      positives: { kind: 'temporal', maxOffset: 2 },
    });
    for (const b of await collect(loader, 0)) {
      const pos = b.positives;
      expect(pos?.images).toHaveLength(b.images.length);
      b.indices.forEach((i, k) => {
        const j = pos?.indices[k] as number;
        expect(j).not.toBe(i);
        expect(items[j]?.group).toBe(items[i]?.group);
        expect(
          Math.abs((items[j]?.frameIndex ?? 0) - (items[i]?.frameIndex ?? 0)),
        ).toBeLessThanOrEqual(2);
        expect(pos?.images[k * S * S]).toBe(items[j]?.cacheIndex);
      });
    }
  });

  it('rejects items that point outside the cache', () => {
    expect(
      () =>
        new BatchLoader({
          cache,
          items: [{ cacheIndex: N, label: -1, group: -1, frameIndex: -1 }],
          batchSize: 1,
          seed: 0,
        }),
    ).toThrow(/out of range/);
  });
});

describe('toLoaderItems', () => {
  const img = (
    relPath: string,
    hash: string,
    extra: Partial<ImportedImage> = {},
  ): ImportedImage => ({
    path: `/d/${relPath}`,
    relPath,
    hash,
    bytes: 1,
    mtimeMs: 0,
    width: 1,
    height: 1,
    channels: 3,
    format: 'png',
    label: null,
    split: 'train',
    group: null,
    frameIndex: null,
    duplicateOf: null,
    ...extra,
  });

  it('maps one split to cache records, class and group indices, leaving out duplicates', () => {
    const images = [
      img('b/1.png', hashes[3] as string, { label: 'b', group: 'g1', frameIndex: 0 }),
      img('a/1.png', hashes[5] as string, { label: 'a', split: 'val' }),
      img('a/2.png', hashes[3] as string, { label: 'a', duplicateOf: 'b/1.png' }),
      img('a/3.png', 'f'.repeat(64), { label: 'a' }), // not in the cache
      img('x.png', hashes[7] as string, { group: 'g1', frameIndex: 1 }),
    ];
    const { items: out, classes, imageIndex } = toLoaderItems(images, hashes, { split: 'train' });
    expect(classes).toEqual(['a', 'b']);
    expect(imageIndex).toEqual([0, 4]);
    expect(out).toEqual([
      { cacheIndex: 3, label: 1, group: 0, frameIndex: 0 },
      { cacheIndex: 7, label: -1, group: 0, frameIndex: 1 },
    ]);
    expect(toLoaderItems(images, hashes, { includeDuplicates: true }).items).toHaveLength(4);
  });
});
