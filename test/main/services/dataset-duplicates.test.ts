import { copyFileSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../src/main/services/index';
import { makeImageFolder } from '../../helpers/dataset';
import { runCli } from '../../helpers/cli';
import { useTempHome, type TempHome } from '../../helpers/temp';

interface Workspace extends TempHome {
  services: Services;
  plain: string;
  copies: string;
}

/** Every training image's split by path. */
function splits(services: Services, datasetId: number): Map<string, string> {
  const page = services.datasets.images({ datasetId, offset: 0, limit: 500 });
  return new Map(page.images.map((image) => [image.relPath, image.split]));
}

const ws = useTempHome<Workspace>(
  async (w) => {
    w.services = createServices({ home: w.home, front: 'browser' });
    w.plain = await makeImageFolder(join(w.root, 'plain'), ['circle', 'square'], 8);
    // The same folder plus three exact copies: two of circle/0.png (one filed under square), one of square/1.png.
    w.copies = join(w.root, 'copies');
    cpSync(w.plain, w.copies, { recursive: true });
    copyFileSync(join(w.copies, 'circle', '0.png'), join(w.copies, 'circle', 'again.png'));
    copyFileSync(join(w.copies, 'circle', '0.png'), join(w.copies, 'square', 'zz-circle.png'));
    copyFileSync(join(w.copies, 'square', '1.png'), join(w.copies, 'square', 'one-more.png'));
  },
  async (w) => w.services?.close(),
);

describe('exact duplicates on import', () => {
  it('are reported by content hash, counted, grouped, and flagged when their labels disagree', async () => {
    const reply = await ws.services.datasets.import({ dir: ws.copies, size: 16, valFraction: 0.5, seed: 3 });
    expect(reply.imported).toBe(16);
    expect(reply.duplicates).toEqual({
      files: 3,
      groups: 2,
      shown: [
        { kept: 'circle/0.png', copies: ['circle/again.png', 'square/zz-circle.png'], count: 2, conflictingLabels: ['circle', 'square'] },
        { kept: 'square/1.png', copies: ['square/one-more.png'], count: 1, conflictingLabels: [] },
      ],
    });
  });

  it('do not change the split of any other image, and are not trained on', async () => {
    const plain = await ws.services.datasets.import({ dir: ws.plain, size: 16, valFraction: 0.5, seed: 3 });
    const copies = await ws.services.datasets.import({ dir: ws.copies, size: 16, valFraction: 0.5, seed: 3 });
    expect(plain.duplicates.files).toBe(0);
    const without = splits(ws.services, plain.datasetId);
    const withCopies = splits(ws.services, copies.datasetId);
    expect(withCopies).toEqual(without);
    expect([...without.values()].filter((s) => s === 'val')).toHaveLength(8);
    expect(ws.services.datasets.get(copies.datasetId).numImages).toBe(16);
  });

  it('cwb dataset import prints them in text and in --json', async () => {
    const text = await runCli(['--home', join(ws.root, 'cli-home'), 'dataset', 'import', ws.copies, '--size', '16']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('imported 16 images, skipped 0');
    expect(text.stdout).toContain('exact duplicates: 3 file(s) in 2 set(s) of identical files');
    expect(text.stdout).toContain('  circle/0.png = circle/again.png, square/zz-circle.png');
    expect(text.stdout).toContain('labels disagree: circle / square');
    const json = await runCli(['--home', join(ws.root, 'cli-home'), 'dataset', 'import', ws.plain, '--size', '16', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ imported: 16, skipped: [], duplicates: { files: 0, groups: 0, shown: [] } });
  });
});

describe('standard formats', () => {
  it('count every record read as imported (as --limit promises) and report the copies beside it', async () => {
    const dir = join(ws.root, 'cifar');
    mkdirSync(dir, { recursive: true });
    const record = (label: number, value: number): Uint8Array => {
      const r = new Uint8Array(3073);
      r[0] = label;
      r.fill(value, 1);
      return r;
    };
    writeFileSync(join(dir, 'data_batch_1.bin'), new Uint8Array([...record(0, 1), ...record(1, 2), ...record(0, 1)]));
    writeFileSync(join(dir, 'test_batch.bin'), record(1, 3));
    const reply = await ws.services.datasets.import({ dir });
    expect(reply.imported).toBe(4);
    expect(reply.duplicates.files).toBe(1);
  });
});
