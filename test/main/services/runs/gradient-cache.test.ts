/** Runs and estimates with gradient caching, through the services as every front calls them. */
import { describe, expect, it } from 'vitest';
import { useTestWorkspace } from '../../../helpers/workspace';

const workspace = useTestWorkspace();

describe('runs with gradient caching', () => {
  const design = { datasetId: 1, method: 'simclr' as const, epochs: 1, batchSize: 4, seed: 3 };

  it('train to the same loss as the plain step with one chunk of all 2N views, and train with smaller chunks', async () => {
    const { services } = workspace;
    const plain = await services.runs.start(services.experiments.create(design).id).done;
    const whole = await services.runs.start(services.experiments.create({ ...design, gradientCache: { chunkSize: 8 } }).id).done;
    const chunked = await services.runs.start(services.experiments.create({ ...design, gradientCache: { chunkSize: 4 } }).id).done;
    expect(plain.status).toBe('completed');
    expect(plain.steps).toBeGreaterThan(1);
    expect(whole).toMatchObject({ status: 'completed', steps: plain.steps });
    expect(whole.finalLoss).toBeCloseTo(plain.finalLoss!, 5);
    expect(chunked).toMatchObject({ status: 'completed', steps: plain.steps });
    expect(Number.isFinite(chunked.finalLoss)).toBe(true);
    // Per-chunk BatchNorm is a different network function: the same seed no longer gives the same loss.
    expect(Math.abs(chunked.finalLoss! - plain.finalLoss!)).toBeGreaterThan(1e-6);
  });

  it('refuses the option for other methods and for chunks that do not fit the batch, before a run exists', () => {
    const { services } = workspace;
    const runs = services.runs.list().length;
    expect(() => services.experiments.create({ ...design, method: 'moco', gradientCache: { chunkSize: 4 } })).toThrow(/gradientCache: gradientCache applies to the end-to-end method \(simclr\) only, not moco/);
    expect(() => services.experiments.create({ ...design, gradientCache: { chunkSize: 16 } })).toThrow(/gradientCache.chunkSize 16 is larger than the 8 views of a step/);
    expect(() => services.experiments.create({ ...design, gradientCache: { chunkSize: 3 } })).toThrow(/must divide the 8 views/);
    expect(services.runs.list().length).toBe(runs);
  });

  it('are estimated with the chunked step, and the estimate says so', async () => {
    const { services } = workspace;
    const plain = await services.experiments.estimate(design);
    const cached = await services.experiments.estimate({ ...design, gradientCache: { chunkSize: 4 } });
    expect(plain.gradientCacheChunk).toBeNull();
    expect(cached.gradientCacheChunk).toBe(4);
    expect(cached.secondsPerStep).toBeGreaterThan(0);
    expect(cached.tensorMB).toBeGreaterThan(0);
  });
});
