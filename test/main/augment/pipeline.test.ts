import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../src/main/compute/tf';
import { applyPipeline } from '../../../src/main/augment/pipeline';
import type { PipelineSpecInput } from '../../../src/shared/schemas/augment';
import { expectNoLeak, maxAbsDiff, randomImages } from './fixtures';

const SIMCLR_LIKE: PipelineSpecInput = [
  { op: 'random-resized-crop', scale: [0.2, 1] },
  { op: 'horizontal-flip' },
  { op: 'color-jitter', brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 },
  { op: 'grayscale' },
  { op: 'gaussian-blur', sigma: [0.1, 2] },
  { op: 'solarize', p: 0.3 },
  { op: 'rotation', degrees: [-20, 20], p: 0.5 },
];

beforeAll(async () => {
  await initBackend('wasm');
});

describe('applyPipeline', () => {
  it('is deterministic by seed and differs across seeds and streams', async () => {
    const images = randomImages(4, 16, 16, 3);
    const run = (seed: number, stream = 0) => {
      const r = applyPipeline(images, SIMCLR_LIKE, { seed, stream });
      const data = r.images.dataSync().slice();
      r.images.dispose();
      return { data, ops: r.ops };
    };
    const a = run(7);
    const b = run(7);
    expect(maxAbsDiff(a.data, b.data)).toBe(0);
    expect(a.ops).toEqual(b.ops);
    expect(maxAbsDiff(a.data, run(8).data)).toBeGreaterThan(0.01);
    expect(maxAbsDiff(a.data, run(7, 1).data)).toBeGreaterThan(0.01);
    images.dispose();
  });

  it('augments an image the same whatever its batch (preview = training)', () => {
    const images = randomImages(5, 16, 16, 3, 3);
    const whole = applyPipeline(images, SIMCLR_LIKE, { seed: 11, imageKeys: [10, 11, 12, 13, 14] });
    const part = tf.slice(images, [2, 0, 0, 0], [2, 16, 16, 3]);
    const alone = applyPipeline(part, SIMCLR_LIKE, { seed: 11, imageKeys: [12, 13] });
    const wholePart = tf.slice(whole.images, [2, 0, 0, 0], [2, 16, 16, 3]);
    expect(maxAbsDiff(wholePart.dataSync(), alone.images.dataSync())).toBeLessThan(1e-6);
    tf.dispose([images, whole.images, part, alone.images, wholePart]);
  });

  it('keeps values in [0, 1] and resizes to the view size, for 1 and 3 channels', () => {
    for (const c of [1, 3]) {
      const images = randomImages(3, 20, 20, c);
      const r = applyPipeline(images, SIMCLR_LIKE, { seed: 5, size: { height: 12, width: 12 } });
      expect(r.images.shape).toEqual([3, 12, 12, c]);
      const data = r.images.dataSync();
      expect(Math.min(...data)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...data)).toBeLessThanOrEqual(1);
      tf.dispose([images, r.images]);
    }
  });

  it('leaks no tensors, with or without recorded steps', () => {
    const images = randomImages(3, 16, 16, 3);
    expectNoLeak(() => applyPipeline(images, SIMCLR_LIKE, { seed: 1 }).images);
    expectNoLeak(() => {
      const r = applyPipeline(images, SIMCLR_LIKE, { seed: 1, recordSteps: true });
      return [r.images, ...(r.steps ?? [])];
    });
    expectNoLeak(() => applyPipeline(images, [], { seed: 1 }).images);
    images.dispose();
  });

  it('records one step per op whose last step is the output', () => {
    const images = randomImages(2, 16, 16, 3);
    const r = applyPipeline(images, SIMCLR_LIKE, { seed: 2, recordSteps: true });
    expect(r.steps).toHaveLength(SIMCLR_LIKE.length);
    expect(r.ops.map((o) => o.op)).toEqual(SIMCLR_LIKE.map((o) => o.op));
    expect(r.steps?.at(-1)?.dataSync()).toEqual(r.images.dataSync());
    tf.dispose([images, r.images, ...(r.steps ?? [])]);
  });

  it('resizes first when there is no crop, and rejects bad input', () => {
    const images = randomImages(2, 16, 16, 3);
    const r = applyPipeline(images, [{ op: 'horizontal-flip' }], {
      seed: 2,
      size: { height: 8, width: 8 },
    });
    expect(r.ops.map((o) => o.op)).toEqual(['resize', 'horizontal-flip']);
    expect(r.images.shape).toEqual([2, 8, 8, 3]);
    tf.dispose([images, r.images]);
    const rgba = tf.zeros([1, 8, 8, 4]) as tf.Tensor4D;
    expect(() => applyPipeline(rgba, [], { seed: 0 })).toThrow(/C = 1 or 3/);
    rgba.dispose();
  });

  it('gives the same tensors on cpu and wasm within 1e-5', async () => {
    const images = randomImages(3, 16, 16, 3, 9);
    const spec: PipelineSpecInput = [
      ...SIMCLR_LIKE,
      {
        op: 'affine',
        degrees: [-10, 10],
        translate: [0.1, 0.1],
        scale: [0.9, 1.1],
        shear: [-5, 5],
      },
    ];
    const wasm = applyPipeline(images, spec, { seed: 3 });
    const wasmData = wasm.images.dataSync().slice();
    const host = images.dataSync().slice();
    tf.dispose([images, wasm.images]);
    await tf.setBackend('cpu');
    try {
      const onCpu = tf.tensor4d(host, [3, 16, 16, 3]);
      const cpu = applyPipeline(onCpu, spec, { seed: 3 });
      expect(maxAbsDiff(cpu.images.dataSync(), wasmData)).toBeLessThan(1e-5);
      tf.dispose([onCpu, cpu.images]);
    } finally {
      await tf.setBackend('wasm');
    }
  });
});
