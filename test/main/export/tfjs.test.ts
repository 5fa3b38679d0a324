import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../src/main/compute/tf';
import { exportEncoder, HEAD_DIR } from '../../../src/main/export/export-encoder';
import { ExportMetadataSchema } from '../../../src/main/export/metadata';
import { loadTfjsModel, saveTfjsModel } from '../../../src/main/export/tfjs';
import { buildEncoder, buildProjectionHead } from '../../../src/main/ssl/index';
import type { EncoderName } from '../../../src/shared/schemas/method';
import { maxAbsDiff, metadataFor, randomizeBatchNorm, seededImages, tempRoot, tfjsFeatures } from './fixtures';

describe('tfjs LayersModel export', () => {
  let cleanups: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    await initBackend('wasm');
  });
  afterEach(async () => {
    await Promise.all(cleanups.map((c) => c()));
    cleanups = [];
  });

  const cases: [EncoderName, number, number][] = [
    ['small', 16, 1],
    ['resnet18-cifar', 16, 3],
    ['resnet18', 24, 3],
  ];
  for (const [name, size, channels] of cases) {
    it(`${name} C=${channels}: save → tf.loadLayersModel → identical embeddings`, async () => {
      const { root, cleanup } = await tempRoot();
      cleanups.push(cleanup);
      const encoder = buildEncoder({ name, inputShape: [size, size, channels], widthMultiplier: 0.125, seed: 3 });
      randomizeBatchNorm(encoder, 4);
      const outDir = join(root, 'out');
      const before = tf.memory().numTensors;
      const result = await exportEncoder({ encoder, format: 'tfjs', outDir, metadata: metadataFor(channels, name) });
      expect(tf.memory().numTensors).toBe(before);
      expect(result.files).toContain('model.json');
      expect(result.files).toContain('metadata.json');
      expect((await readdir(outDir)).sort()).toEqual([...result.files].sort());
      const loaded = await loadTfjsModel(outDir);
      const images = seededImages(2, size, size, channels, 5, -1, 1);
      const shape: [number, number, number, number] = [2, size, size, channels];
      expect(maxAbsDiff(tfjsFeatures(loaded, images, shape), tfjsFeatures(encoder, images, shape))).toBe(0);
      const metadata = ExportMetadataSchema.parse(JSON.parse(await readFile(join(outDir, 'metadata.json'), 'utf8')));
      expect(metadata.encoder).toMatchObject({ architecture: name, layout: 'NHWC', inputSize: { height: size, width: size, channels } });
      expect(metadata.encoder.channelOrder).toBe(channels === 1 ? 'grayscale' : 'RGB');
      loaded.dispose();
      encoder.dispose();
    });
  }

  it('splits weights into shards listed in the manifest and reloads them', async () => {
    const { root, cleanup } = await tempRoot();
    cleanups.push(cleanup);
    const encoder = buildEncoder({ name: 'small', inputShape: [8, 8, 3], widthMultiplier: 0.5, seed: 1 });
    const files = await saveTfjsModel(encoder, root, 4096);
    const manifest = JSON.parse(await readFile(join(root, 'model.json'), 'utf8')) as { format: string; weightsManifest: { paths: string[] }[] };
    expect(manifest.format).toBe('layers-model');
    const paths = manifest.weightsManifest[0]!.paths;
    expect(paths.length).toBeGreaterThan(1);
    expect(paths[0]).toBe(`group1-shard1of${paths.length}.bin`);
    expect(files.sort()).toEqual([...paths, 'model.json'].sort());
    const loaded = await loadTfjsModel(root);
    const images = seededImages(1, 8, 8, 3, 2);
    expect(maxAbsDiff(tfjsFeatures(loaded, images, [1, 8, 8, 3]), tfjsFeatures(encoder, images, [1, 8, 8, 3]))).toBe(0);
    loaded.dispose();
    encoder.dispose();
  });

  it('writes the projection head as its own LayersModel folder', async () => {
    const { root, cleanup } = await tempRoot();
    cleanups.push(cleanup);
    const encoder = buildEncoder({ name: 'small', inputShape: [8, 8, 1], widthMultiplier: 0.25, seed: 1 });
    const head = buildProjectionHead({ inputDim: 16, blocks: [{ units: 8, bias: true, batchNorm: true, activation: 'relu' }], seed: 2, batchNormMomentum: 0.9, name: 'head' });
    randomizeBatchNorm(head, 3);
    const result = await exportEncoder({ encoder, head, format: 'tfjs', outDir: root, metadata: metadataFor(1) });
    expect(result.files).toContain(`${HEAD_DIR}/model.json`);
    expect(result.metadata.encoder.projectionDim).toBe(8);
    const loadedHead = await loadTfjsModel(join(root, HEAD_DIR));
    const x = seededImages(2, 1, 1, 16, 4);
    const run = (m: tf.LayersModel): Float32Array =>
      tf.tidy(() => Float32Array.from((m.predict(tf.tensor2d(x, [2, 16])) as tf.Tensor).dataSync()));
    expect(maxAbsDiff(run(loadedHead), run(head))).toBe(0);
    [loadedHead, head, encoder].forEach((m) => m.dispose());
  });
});
