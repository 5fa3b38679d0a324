import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TensorCacheWriter, TensorCache } from '../../../../src/main/data/cache';
import { alignmentUniformity } from '../../../../src/main/ssl/eval/evaluate';
import { initBackend, tf } from '../../../../src/main/compute/tf';
import { loadAugmentPreset } from '../../../../src/main/augment/presets';

describe('alignment and uniformity (Wang & Isola 2020)', () => {
  it('are (0, 0) for a collapsed embedding and (0, −4) for one-vector-per-image', async () => {
    await initBackend('cpu');
    const dir = mkdtempSync(join(tmpdir(), 'cwb-au-'));
    const writer = await TensorCacheWriter.create(join(dir, 'c.bin'), { size: 8, channels: 3 });
    for (let i = 0; i < 6; i += 1) writer.add(String(i).repeat(64), new Uint8Array(8 * 8 * 3).fill(40 * i));
    await writer.commit();
    const cache = await TensorCache.open(join(dir, 'c.bin'));
    const items = Array.from({ length: 6 }, (_, i) => ({ cacheIndex: i, label: 0, group: -1, frameIndex: -1 }));
    const spec = loadAugmentPreset('simclr');
    const before = tf.memory().numTensors;
    // Every image maps to the same unit vector: perfectly aligned, not uniform at all (log e^0 = 0).
    const constant = await alignmentUniformity((x) => tf.tidy(() => tf.oneHot(tf.zeros([x.shape[0]], 'int32'), 4).toFloat() as tf.Tensor2D), cache, items, 8, spec, 1);
    expect(constant!.alignment).toBeCloseTo(0, 6);
    expect(constant!.uniformity).toBeCloseTo(0, 6);
    // Image i maps to basis vector i whatever the view: aligned, and every pair at distance² 2.
    const identity = await alignmentUniformity((x) => tf.tidy(() => tf.eye(x.shape[0], 8) as tf.Tensor2D), cache, items, 8, spec, 1);
    expect(identity!.alignment).toBeCloseTo(0, 6);
    expect(identity!.uniformity).toBeCloseTo(-4, 5);
    expect(tf.memory().numTensors).toBe(before);
    await cache.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
