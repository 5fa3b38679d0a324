import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/main/compute/tf';
import { exportEncoder } from '../../../src/main/export/export-encoder';
import { loadOnnxEncoder } from '../../../src/main/export/import-encoder';
import { ExportMetadataSchema } from '../../../src/main/export/metadata';
import { buildEncoder } from '../../../src/main/ssl/index';
import { maxAbsDiff, metadataFor, randomizeBatchNorm, seededImages, tempRoot, tfjsFeatures } from './fixtures';

/** What the trainer feeds the encoder: (x − mean) / std per channel, NHWC. */
function normalise(images: Float32Array, mean: number[], std: number[]): Float32Array {
  const c = mean.length;
  return images.map((v, i) => (v - mean[i % c]!) / std[i % c]!);
}

describe('re-import an ONNX encoder as a frozen feature extractor', () => {
  let cleanups: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    await initBackend('wasm');
  });
  afterEach(async () => {
    await Promise.all(cleanups.map((c) => c()));
    cleanups = [];
  });

  it('export folder: metadata gives size and normalisation; embed(raw pixels) matches tfjs', async () => {
    const { root, cleanup } = await tempRoot();
    cleanups.push(cleanup);
    const encoder = buildEncoder({ name: 'resnet18-cifar', inputShape: [16, 16, 3], widthMultiplier: 0.125, seed: 2 });
    randomizeBatchNorm(encoder, 9);
    const meta = metadataFor(3, 'resnet18-cifar');
    const result = await exportEncoder({ encoder, format: 'onnx', outDir: root, metadata: meta });
    expect(result.verification?.maxAbsDiff).toBeLessThan(1e-4);
    const written = ExportMetadataSchema.parse(JSON.parse(await readFile(join(root, 'metadata.json'), 'utf8')));
    expect(written.onnx?.verification?.passed).toBe(true);
    expect(written.encoder).toMatchObject({ layout: 'NCHW', outputDim: 64, inputSize: { height: 16, width: 16, channels: 3 } });

    const frozen = await loadOnnxEncoder(root, { batchSize: 3 });
    expect(frozen.inputSize).toEqual({ height: 16, width: 16, channels: 3 });
    expect(frozen.layout).toBe('NCHW');
    expect(frozen.outputDim).toBe(64);
    const pixels = seededImages(5, 16, 16, 3, 4);
    const features = await frozen.embed(pixels);
    expect(features.length).toBe(5 * 64);
    const expected = tfjsFeatures(encoder, normalise(pixels, meta.normalization.mean, meta.normalization.std), [5, 16, 16, 3]);
    expect(maxAbsDiff(features, expected)).toBeLessThan(1e-4);
    // Already-normalised input skips the normalisation; raw pixels passed that way give other features.
    expect(maxAbsDiff(await frozen.embed(pixels, { normalized: true }), expected)).toBeGreaterThan(1e-2);
    await expect(frozen.embed(new Float32Array(10))).rejects.toThrow(/whole 16×16×3 images/);
    await frozen.dispose();
    encoder.dispose();
  });

  it('a bare .onnx file without metadata: size and layout come from the graph', async () => {
    const { root, cleanup } = await tempRoot();
    cleanups.push(cleanup);
    const encoder = buildEncoder({ name: 'small', inputShape: [12, 12, 1], widthMultiplier: 0.5, seed: 5 });
    randomizeBatchNorm(encoder, 1);
    await exportEncoder({ encoder, format: 'onnx', outDir: join(root, 'export'), metadata: metadataFor(1) });
    await mkdir(join(root, 'elsewhere'));
    const bare = join(root, 'elsewhere', 'encoder.onnx');
    await copyFile(join(root, 'export', 'model.onnx'), bare);
    const frozen = await loadOnnxEncoder(bare);
    expect(frozen.metadata).toBeUndefined();
    expect(frozen.inputSize).toEqual({ height: 12, width: 12, channels: 1 });
    expect(frozen.layout).toBe('NCHW');
    const images = seededImages(2, 12, 12, 1, 3, -1, 1);
    const features = await frozen.embed(images);
    expect(maxAbsDiff(features, tfjsFeatures(encoder, images, [2, 12, 12, 1]))).toBeLessThan(1e-4);
    await frozen.dispose();
    encoder.dispose();
  });
});
