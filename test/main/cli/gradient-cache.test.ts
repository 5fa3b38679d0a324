/** Gradient caching from the command line: `cwb train --config` and `cwb bench train --grad-cache-chunk`. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cwbErrorLine, runCli, useCliWorkspace } from '../../helpers/cli';

const ws = useCliWorkspace();

describe('gradient caching on the command line', () => {
  it('cwb train accepts gradientCache in an experiment file and refuses it for other methods', async () => {
    const file = join(ws.root, 'cached.json');
    writeFileSync(file, JSON.stringify({ datasetId: 1, method: 'simclr', epochs: 1, batchSize: 4, gradientCache: { chunkSize: 4 } }));
    const r = await runCli(['--home', ws.home, 'train', '--config', file, '--backend', 'wasm', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'completed', epochs: 1, backend: 'wasm' });
    const moco = await runCli(['--home', ws.home, 'train', '--config', file, '--method', 'moco', '--json']);
    expect(moco.code).not.toBe(0);
    expect(cwbErrorLine(moco.stderr)).toMatch(/gradientCache applies to the end-to-end method \(simclr\) only, not moco/);
  });

  it('cwb bench train --grad-cache-chunk times chunked steps and says so in --json', async () => {
    const args = ['--home', ws.home, 'bench', 'train', '--method', 'simclr', '--encoder', 'small', '--batch-size', '4', '--image-size', '8', '--steps', '1', '--warmup', '0', '--backend', 'wasm', '--json'];
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
