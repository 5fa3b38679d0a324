import { describe, expect, it } from 'vitest';
import { ExperimentSchema, gradientCacheProblem } from '../../../src/shared/schemas/experiment';

const base = { datasetId: 1, method: 'simclr', batchSize: 64 };

function messages(input: unknown): string[] {
  const r = ExperimentSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('experiment gradientCache', () => {
  it('is off by default and accepted for simclr with a chunk dividing 2N', () => {
    expect(ExperimentSchema.parse(base).gradientCache).toBeUndefined();
    expect(ExperimentSchema.parse({ ...base, gradientCache: { chunkSize: 32 } }).gradientCache).toEqual({ chunkSize: 32 });
    // 2N = 128 itself: one chunk, the plain step's gradients.
    expect(messages({ ...base, gradientCache: { chunkSize: 128 } })).toEqual([]);
  });

  it('refuses methods it does not apply to, naming the method', () => {
    expect(messages({ ...base, method: 'moco', gradientCache: { chunkSize: 32 } })).toEqual([
      'gradientCache: gradientCache applies to the end-to-end method (simclr) only, not moco: its loss does not see the batch only through the embeddings',
    ]);
    expect(messages({ ...base, method: 'swav', gradientCache: { chunkSize: 32 } })[0]).toMatch(/not swav/);
  });

  it('refuses a chunk larger than 2N or not dividing it, with the divisors around it', () => {
    expect(messages({ ...base, gradientCache: { chunkSize: 256 } })).toEqual([
      'gradientCache.chunkSize: gradientCache.chunkSize 256 is larger than the 128 views of a step (2 × batchSize 64)',
    ]);
    expect(messages({ ...base, gradientCache: { chunkSize: 48 } })).toEqual([
      'gradientCache.chunkSize: gradientCache.chunkSize 48 must divide the 128 views of a step (2 × batchSize 64), so every chunk has the same BatchNorm batch; try 32 or 64',
    ]);
    expect(gradientCacheProblem('simclr', 48, 64)?.message).toMatch(/divide the 96 views .* try 48 or 96/);
  });

  it('refuses malformed values field by field', () => {
    expect(messages({ ...base, gradientCache: { chunkSize: 1 } })).toEqual(['gradientCache.chunkSize: gradientCache.chunkSize must be ≥ 2']);
    expect(messages({ ...base, gradientCache: { chunkSize: 2.5 } })[0]).toMatch(/gradientCache.chunkSize must be an integer/);
    expect(messages({ ...base, gradientCache: { chunk: 32 } })[0]).toMatch(/^gradientCache/);
    expect(messages({ ...base, gradientCache: 32 })[0]).toMatch(/^gradientCache/);
  });
});
