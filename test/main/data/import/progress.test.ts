import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importImageFolder } from '../../../../src/main/data/import/folder';
import type { ImportProgress } from '../../../../src/main/data/types';
import { removeDir, tempDir, writeImage } from '../fixtures';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

describe('import progress', () => {
  it('goes scan → hash → decode → cache → split, each phase counting up to its own total', async () => {
    const dir = tempDir();
    const workspace = tempDir();
    dirs.push(dir, workspace);
    for (const [i, label] of ['a', 'b', 'c'].entries()) {
      for (let j = 0; j < 3; j += 1) await writeImage(path.join(dir, label, `${j}.png`), { r: 60 * i, g: 30 * j, b: 90 });
    }
    const events: ImportProgress[] = [];
    await importImageFolder(dir, { size: 8, cacheFile: path.join(workspace, 'cache.u8'), onProgress: (p) => events.push(p) });
    const order = events.map((e) => e.phase).filter((phase, i, all) => i === 0 || all[i - 1] !== phase);
    expect(order).toEqual(['scan', 'hash', 'decode', 'cache', 'split']);
    for (const phase of order) {
      const mine = events.filter((e) => e.phase === phase);
      for (const e of mine) expect(e.done).toBeLessThanOrEqual(e.total);
      const last = mine[mine.length - 1]!;
      expect(last.done, phase).toBe(last.total);
      expect(last.total, phase).toBeGreaterThan(0);
    }
    expect(events.filter((e) => e.phase === 'hash').at(-1)?.total).toBe(9);
    expect(events.filter((e) => e.phase === 'decode').at(-1)?.total).toBe(9);
  });
});
