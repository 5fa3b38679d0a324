import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cwbErrorLine, runCli } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp';

let home: string;
let data: string;
let cleanup: () => void;

beforeAll(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  home = join(t.dir, 'home');
  data = join(t.dir, 'pictures');
  for (const label of ['circle', 'square']) {
    mkdirSync(join(data, label), { recursive: true });
    for (let i = 0; i < 3; i += 1) {
      await sharp({ create: { width: 20, height: 16, channels: 3, background: { r: 40 * i, g: label === 'circle' ? 200 : 10, b: 80 } } })
        .png()
        .toFile(join(data, label, `${i}.png`));
    }
  }
  writeFileSync(join(data, 'circle', 'notes.png'), 'not really a png');
});
afterAll(() => cleanup());

describe('cwb', () => {
  it('doctor --json prints one object with the chosen backend and every candidate', async () => {
    const r = await runCli(['--home', home, 'doctor', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['backend', 'candidates', 'threads', 'versions']));
    expect((report['candidates'] as { name: string }[]).map((c) => c.name)).toEqual(['tensorflow', 'webgpu', 'wasm', 'cpu']);
    expect(report['logFile']).toBe(join(resolve(home), 'logs', 'workbench.log'));
  });

  it('dataset list --json is empty in a new workspace', async () => {
    const r = await runCli(['--home', home, 'dataset', 'list', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ datasets: [] });
  });

  it('dataset import --json reports imported and skipped files, then list shows the dataset', async () => {
    const r = await runCli(['--home', home, 'dataset', 'import', data, '--json', '--size', '16', '--val-fraction', '0.34']);
    expect(r.code, r.stderr).toBe(0);
    const reply = JSON.parse(r.stdout) as { datasetId: number; imported: number; skipped: { path: string; reason: string }[] };
    expect(reply.imported).toBe(6);
    expect(reply.skipped).toHaveLength(1);
    expect(reply.skipped[0]!.path).toContain('notes.png');
    const list = JSON.parse((await runCli(['--home', home, 'dataset', 'list', '--json'])).stdout) as { datasets: { id: number; classes: string[]; numImages: number }[] };
    expect(list.datasets).toHaveLength(1);
    expect(list.datasets[0]).toMatchObject({ id: reply.datasetId, classes: ['circle', 'square'], numImages: 6 });
  });

  it('dataset demo generates the colour-shapes demo once, inside the workspace', async () => {
    const t = tempDir();
    const first = await runCli(['--home', t.dir, 'dataset', 'demo', '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ datasetId: 1, imported: 256, skipped: [], duplicates: { files: 0, groups: 0, shown: [] } });
    const again = await runCli(['--home', t.dir, 'dataset', 'demo', '--json']);
    expect(JSON.parse(again.stdout)).toEqual({ datasetId: 1, imported: 256, skipped: [], duplicates: { files: 0, groups: 0, shown: [] } });
    const list = JSON.parse((await runCli(['--home', t.dir, 'dataset', 'list', '--json'])).stdout) as { datasets: { rootPath: string; classes: string[] }[] };
    expect(list.datasets).toHaveLength(1);
    expect(list.datasets[0]!.classes).toEqual(['circle', 'ring', 'square', 'triangle']);
    expect(list.datasets[0]!.rootPath.startsWith(t.dir)).toBe(true);
    t.cleanup();
  });

  it('fails with one clear line and a non-zero code on bad input', async () => {
    const missing = await runCli(['--home', home, 'dataset', 'import', join(data, 'nope')]);
    expect(missing.code).not.toBe(0);
    expect(cwbErrorLine(missing.stderr)).toMatch(/not found/);
    expect(missing.stdout).toBe('');
    const badSize = await runCli(['--home', home, 'dataset', 'import', data, '--size', '3']);
    expect(badSize.code).toBe(2);
    expect(cwbErrorLine(badSize.stderr)).toMatch(/size/);
  });

  it('refuses a --home that cannot be written', async () => {
    const file = join(home, '..', 'a-file');
    writeFileSync(file, 'x');
    const r = await runCli(['--home', join(file, 'sub'), 'dataset', 'list']);
    expect(r.code).toBe(2);
    expect(cwbErrorLine(r.stderr)).toMatch(/cannot create the workspace folder/);
  });

  it('refuses a corrupt database without touching it', async () => {
    const t = tempDir();
    const bytes = 'precious bytes that are not sqlite'.repeat(100);
    writeFileSync(join(t.dir, 'workbench.sqlite'), bytes);
    const r = await runCli(['--home', t.dir, 'dataset', 'list']);
    expect(r.code).toBe(5);
    expect(readFileSync(join(t.dir, 'workbench.sqlite'), 'utf8')).toBe(bytes);
    expect(cwbErrorLine(r.stderr)).toMatch(/not a usable Contrastive Workbench database/);
    t.cleanup();
  });

  it('rejects unknown commands with usage', async () => {
    const r = await runCli(['--home', home, 'fly']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command/);
  });
});
