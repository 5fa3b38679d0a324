/** Gradient caching from the command line: `cwb train --config` and `cwb bench train --grad-cache-chunk`. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cwbErrorLine, runCli } from '../../helpers/cli';
import { makeImageFolder } from '../../helpers/dataset';
import { tempDir } from '../../helpers/temp';

let root: string;
let home: string;
let cleanup: () => void;

beforeAll(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  root = t.dir;
  home = join(t.dir, 'home');
  const data = await makeImageFolder(join(t.dir, 'shapes'));
  const r = await runCli(['--home', home, 'dataset', 'import', data, '--size', '16', '--val-fraction', '0.34', '--json']);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => cleanup());

describe('gradient caching on the command line', () => {
  it('cwb train accepts gradientCache in an experiment file and refuses it for other methods', async () => {
    const file = join(root, 'cached.json');
    writeFileSync(file, JSON.stringify({ datasetId: 1, method: 'simclr', epochs: 1, batchSize: 4, gradientCache: { chunkSize: 4 } }));
    const r = await runCli(['--home', home, 'train', '--config', file, '--backend', 'wasm', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'completed', epochs: 1, backend: 'wasm' });
    const moco = await runCli(['--home', home, 'train', '--config', file, '--method', 'moco', '--json']);
    expect(moco.code).not.toBe(0);
    expect(cwbErrorLine(moco.stderr)).toMatch(/gradientCache applies to the end-to-end method \(simclr\) only, not moco/);
  });

  it('cwb bench train --grad-cache-chunk times chunked steps and says so in --json', async () => {
    const args = ['--home', home, 'bench', 'train', '--method', 'simclr', '--encoder', 'small', '--batch-size', '4', '--image-size', '8', '--steps', '1', '--warmup', '0', '--backend', 'wasm', '--json'];
    const cached = await runCli([...args, '--grad-cache-chunk', '4']);
    expect(cached.code, cached.stderr).toBe(0);
    expect(JSON.parse(cached.stdout)).toMatchObject({ method: 'simclr', viewsPerStep: 8, gradientCache: { chunkSize: 4 } });
    const plain = await runCli(args);
    expect(JSON.parse(plain.stdout)).toMatchObject({ gradientCache: null });
    const uneven = await runCli([...args, '--grad-cache-chunk', '3']);
    expect(uneven.code).toBe(2);
    expect(cwbErrorLine(uneven.stderr)).toMatch(/--grad-cache-chunk: gradientCache.chunkSize 3 must divide the 8 views of a step .* try 2 or 4/);
  });
});
