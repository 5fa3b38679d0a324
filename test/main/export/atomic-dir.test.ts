import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../src/main/compute/tf';
import { writeDirAtomic } from '../../../src/main/files/atomic-dir';
import { exportEncoder } from '../../../src/main/export/export-encoder';
import { buildEncoder } from '../../../src/main/ssl/index';
import { metadataFor, randomizeBatchNorm, tempRoot } from './fixtures';

const isRoot = process.getuid?.() === 0;

describe('atomic output folders and refusals', () => {
  let cleanups: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    await initBackend('wasm');
  });
  afterEach(async () => {
    await Promise.all(cleanups.map((c) => c()));
    cleanups = [];
  });

  async function root(): Promise<string> {
    const t = await tempRoot();
    cleanups.push(t.cleanup);
    return t.root;
  }

  it('writes into a temp folder and renames it into place; creates missing parents', async () => {
    const base = await root();
    const outDir = join(base, 'a', 'b', 'out');
    let seenInside = '';
    await writeDirAtomic(outDir, {}, async (dir) => {
      seenInside = dir;
      await writeFile(join(dir, 'x.txt'), 'x');
      // Not visible at the target until the very end.
      await expect(readdir(outDir)).rejects.toThrow(/ENOENT/);
    });
    expect(seenInside).not.toBe(outDir);
    expect(await readdir(outDir)).toEqual(['x.txt']);
    expect((await readdir(join(base, 'a', 'b'))).sort()).toEqual(['out']);
  });

  it('a failure while writing leaves nothing behind (no target, no temp folder, no created parents)', async () => {
    const base = await root();
    await expect(
      writeDirAtomic(join(base, 'new', 'out'), {}, async (dir) => {
        await writeFile(join(dir, 'half.bin'), 'half');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(await readdir(base)).toEqual([]);
  });

  it('refuses a non-empty folder without force and leaves it untouched; force replaces it', async () => {
    const base = await root();
    const outDir = join(base, 'out');
    await mkdir(outDir);
    await writeFile(join(outDir, 'precious.txt'), 'keep me');
    const encoder = buildEncoder({ name: 'small', inputShape: [8, 8, 1], widthMultiplier: 0.25, seed: 1 });
    await expect(exportEncoder({ encoder, format: 'onnx', outDir, metadata: metadataFor(1) })).rejects.toThrow(/not empty.*--force/);
    // The details let the UI name its own checkbox instead of --force.
    await expect(exportEncoder({ encoder, format: 'onnx', outDir, metadata: metadataFor(1) })).rejects.toMatchObject({ details: { reason: 'output-not-empty', path: outDir } });
    expect(await readdir(outDir)).toEqual(['precious.txt']);
    expect(await readdir(base)).toEqual(['out']);
    const result = await exportEncoder({ encoder, format: 'onnx', outDir, force: true, metadata: metadataFor(1) });
    expect((await readdir(outDir)).sort()).toEqual(['metadata.json', 'model.onnx']);
    expect(result.files.sort()).toEqual(['metadata.json', 'model.onnx']);
    expect(await readdir(base)).toEqual(['out']);
    encoder.dispose();
  });

  it('an existing empty folder is used without force', async () => {
    const base = await root();
    const outDir = join(base, 'empty');
    await mkdir(outDir);
    const encoder = buildEncoder({ name: 'small', inputShape: [8, 8, 1], widthMultiplier: 0.25, seed: 1 });
    await exportEncoder({ encoder, format: 'tfjs', outDir, metadata: metadataFor(1) });
    expect(await readdir(outDir)).toContain('model.json');
    encoder.dispose();
  });

  it('refuses an output whose parent is a file, creating nothing', async () => {
    const base = await root();
    await writeFile(join(base, 'file'), 'not a folder');
    const encoder = buildEncoder({ name: 'small', inputShape: [8, 8, 1], widthMultiplier: 0.25, seed: 1 });
    await expect(exportEncoder({ encoder, format: 'tfjs', outDir: join(base, 'file', 'out'), metadata: metadataFor(1) })).rejects.toThrow(
      /is not a folder/,
    );
    await expect(exportEncoder({ encoder, format: 'tfjs', outDir: join(base, 'file'), force: true, metadata: metadataFor(1) })).rejects.toThrow(
      /exists and is not a folder/,
    );
    expect(await readdir(base)).toEqual(['file']);
    expect(await readFile(join(base, 'file'), 'utf8')).toBe('not a folder');
    encoder.dispose();
  });

  // Root ignores permission bits, so this case only means something for an ordinary user.
  it.skipIf(isRoot)('refuses an unwritable folder even with force', async () => {
    const base = await root();
    const locked = join(base, 'locked');
    await mkdir(locked);
    await chmod(locked, 0o555);
    try {
      const encoder = buildEncoder({ name: 'small', inputShape: [8, 8, 1], widthMultiplier: 0.25, seed: 1 });
      await expect(exportEncoder({ encoder, format: 'tfjs', outDir: locked, force: true, metadata: metadataFor(1) })).rejects.toThrow(/not writable/);
      await expect(exportEncoder({ encoder, format: 'tfjs', outDir: join(locked, 'out'), metadata: metadataFor(1) })).rejects.toThrow(/permission denied/);
      expect(await readdir(locked)).toEqual([]);
      encoder.dispose();
    } finally {
      await chmod(locked, 0o755);
    }
  });

  it('refuses an unknown layer type before anything is created', async () => {
    const base = await root();
    const input = tf.input({ shape: [8, 8, 3] });
    const y = tf.layers.separableConv2d({ filters: 4, kernelSize: 3 }).apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: tf.layers.globalAveragePooling2d({}).apply(y) as tf.SymbolicTensor });
    const outDir = join(base, 'out');
    await expect(exportEncoder({ encoder: model, format: 'onnx', outDir, metadata: metadataFor(3) })).rejects.toThrow(
      /layer "separable_conv2d\w*" of class SeparableConv2D/,
    );
    expect(await readdir(base)).toEqual([]);
    model.dispose();
  });

  it('an ONNX file that onnxruntime disagrees with is not written', async () => {
    const base = await root();
    const encoder = buildEncoder({ name: 'resnet18-cifar', inputShape: [8, 8, 3], widthMultiplier: 0.125, seed: 1 });
    randomizeBatchNorm(encoder, 2);
    // float32 rounding alone differs by ~1e-6 here, so an absurdly tight tolerance must fail.
    await expect(
      exportEncoder({ encoder, format: 'onnx', outDir: join(base, 'out'), metadata: metadataFor(3), onnx: { tolerance: 1e-12 } }),
    ).rejects.toThrow(/disagrees with tfjs.*relative difference.*nothing was written/);
    expect(await readdir(base)).toEqual([]);
    encoder.dispose();
  });

  it('ONNX export leaves no tensors behind', async () => {
    const base = await root();
    const encoder = buildEncoder({ name: 'small', inputShape: [8, 8, 3], widthMultiplier: 0.25, seed: 1 });
    await exportEncoder({ encoder, format: 'onnx', outDir: join(base, 'warm'), metadata: metadataFor(3) });
    const before = tf.memory().numTensors;
    await exportEncoder({ encoder, format: 'onnx', outDir: join(base, 'out'), metadata: metadataFor(3) });
    expect(tf.memory().numTensors).toBe(before);
    encoder.dispose();
  });
});
