/** The autoencoder's reconstruction preview (input, corrupted, output) from a trained run, through the services and the engine. */
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../../src/main/services/index';
import { makeImageFolder } from '../../../helpers/dataset';
import { tempDir } from '../../../helpers/temp';

let services: Services;
let cleanup: () => void;

beforeAll(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  services = createServices({ home: join(t.dir, 'home'), front: 'browser' });
  await services.datasets.import({
    dir: await makeImageFolder(join(t.dir, 'shapes')),
    size: 16,
    valFraction: 0.34,
    seed: 0,
  });
});
afterAll(async () => {
  await services.close();
  cleanup();
});

const train = async (
  method: 'autoencoder' | 'simclr',
  methodOverrides: Record<string, unknown> = {},
): Promise<number> => {
  const { id } = services.experiments.create({
    datasetId: 1,
    method,
    epochs: 1,
    batchSize: 4,
    seed: 1,
    methodOverrides,
  });
  const run = services.runs.start(id);
  await run.done;
  return run.runId;
};

describe('runs:reconstruction', () => {
  it('gives input, masked input and reconstruction PNGs of validation images at the image size', async () => {
    const runId = await train('autoencoder', { corruption: 'mask', maskRatio: 0.5, maskPatch: 4 });
    const reply = await services.runs.reconstruction(runId, 3);
    expect(reply.runId).toBe(runId);
    expect(reply.rows).toHaveLength(3);
    for (const row of reply.rows) {
      const decode = (url: string) =>
        sharp(Buffer.from(url.replace(/^data:image\/png;base64,/, ''), 'base64'))
          .raw()
          .toBuffer({ resolveWithObject: true });
      const [input, corrupted, output] = await Promise.all([
        decode(row.input),
        decode(row.corrupted),
        decode(row.output),
      ]);
      for (const img of [input, corrupted, output])
        expect([img.info.width, img.info.height]).toEqual([16, 16]);
      // Masking zeroes pixels the input has (never adds any), and the decoder's output is an image of its own.
      let zeroed = 0;
      for (let i = 0; i < input.data.length; i++)
        if (corrupted.data[i] === 0 && input.data[i] !== 0) zeroed++;
      expect(zeroed).toBeGreaterThan(0);
      expect(output.data.equals(input.data)).toBe(false);
    }
  }, 60_000);

  it('refuses a run of another method', async () => {
    const runId = await train('simclr');
    await expect(services.runs.reconstruction(runId, 2)).rejects.toThrow(/not an autoencoder/);
  }, 60_000);
});
