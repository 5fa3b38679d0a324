/**
 * A damaged tensor cache (issue 16): flipped bytes or a truncated file are found before training,
 * said in one line, and the cache is rebuilt from the dataset folder; the run then completes.
 */
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TensorCache } from '../../../../src/main/data/cache';
import { useTestWorkspace } from '../../../helpers/workspace';

const workspace = useTestWorkspace();

async function trainOnce(): Promise<string[]> {
  const lines: string[] = [];
  workspace.services.ctx.notice = (line) => lines.push(line);
  const { id } = workspace.services.experiments.create({ datasetId: 1, method: 'simclr', epochs: 1, batchSize: 4 });
  const result = await workspace.services.runs.start(id).done;
  expect(result.status).toBe('completed');
  return lines;
}

async function sound(file: string): Promise<boolean> {
  const cache = await TensorCache.open(file);
  const damage = await cache.verify();
  await cache.close();
  return damage === null;
}

describe('a damaged tensor cache', () => {
  it('is used as is when sound (no line)', async () => {
    expect(await trainOnce()).toEqual([]);
  });

  it('with flipped bytes is rebuilt before training, in one line', async () => {
    const file = workspace.services.ctx.store.datasets.get(1)!.cache_path!;
    const bytes = readFileSync(file);
    bytes[32 + 100] = (bytes[32 + 100] ?? 0) ^ 0xff;
    writeFileSync(file, bytes);
    expect(await sound(file)).toBe(false);
    const lines = await trainOnce();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/tensor cache of dataset 1 is damaged \(records 0-\d+ of .* do not match their checksum\); rebuilding it from /);
    expect(await sound(workspace.services.ctx.store.datasets.get(1)!.cache_path!)).toBe(true);
  }, 120_000);

  it('truncated is rebuilt before training, in one line', async () => {
    const file = workspace.services.ctx.store.datasets.get(1)!.cache_path!;
    truncateSync(file, 1000);
    const lines = await trainOnce();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/is damaged \(tensor cache is truncated or corrupt: .*\); rebuilding it from /);
    expect(await sound(workspace.services.ctx.store.datasets.get(1)!.cache_path!)).toBe(true);
  }, 120_000);
});
