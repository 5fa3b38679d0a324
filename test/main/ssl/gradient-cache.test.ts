/**
 * Gradient caching (Gao et al. 2021) against references built by hand: the plain step, a network
 * without BatchNorm, and a single tape over per-chunk forwards (per-chunk BatchNorm).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../src/main/compute/tf';
import {
  cachedGradients,
  cachedTrainStep,
  createMethod,
  ntXentLoss,
  trainStep,
  type EmbeddingLoss,
  type MethodBatch,
  type SslMethod,
} from '../../../src/main/ssl/index';
import { BATCH, batchIndices, CONTEXT, DATASET_SIZE, makeBatch, syntheticImages, tinyConfig } from './fixtures';

const VIEWS = 2 * BATCH;

function simclr(): SslMethod {
  return createMethod('simclr', tinyConfig('simclr'), CONTEXT);
}

function split(method: SslMethod): EmbeddingLoss {
  if (!method.embeddingLoss) throw new Error(`${method.name} has no embedding loss`);
  return method.embeddingLoss;
}

/** Gradients in trainable-variable order, read back (missing gradients as null). */
function ordered(method: SslMethod, grads: tf.NamedTensorMap): (Float32Array | null)[] {
  return method.trainableVariables().map((v) => {
    const g = grads[v.name];
    return g ? (g.dataSync() as Float32Array) : null;
  });
}

/** Largest |a − b| over every gradient; both lists must have the same variables. */
function maxAbsDiff(a: (Float32Array | null)[], b: (Float32Array | null)[]): number {
  expect(a.map((g) => g === null)).toEqual(b.map((g) => g === null));
  let max = 0;
  a.forEach((ga, i) => {
    const gb = b[i]!;
    if (!ga) return;
    for (let j = 0; j < ga.length; j++) max = Math.max(max, Math.abs(ga[j]! - gb[j]!));
  });
  return max;
}

/** Largest |g| over every gradient, to make tolerances relative and to show gradients are not all 0. */
function maxAbs(a: (Float32Array | null)[]): number {
  return Math.max(...a.map((g) => (g ? Math.max(...Array.from(g, Math.abs)) : 0)));
}

/** The plain step's gradients: one tape over the whole batch (BatchNorm over all 2N views). */
function plainGradients(method: SslMethod, batch: MethodBatch): { loss: number; grads: (Float32Array | null)[] } {
  const { value, grads } = tf.variableGrads(() => method.loss(batch), method.trainableVariables());
  const out = { loss: value.dataSync()[0]!, grads: ordered(method, grads) };
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}

function cached(method: SslMethod, batch: MethodBatch, chunk: number): { loss: number; grads: (Float32Array | null)[] } {
  const { loss, grads } = cachedGradients(method, batch, chunk);
  const out = { loss: loss.dataSync()[0]!, grads: ordered(method, grads) };
  tf.dispose([loss, ...Object.values(grads)]);
  return out;
}

/** Every BatchNorm moving mean and variance of the method's models, read back. */
function movingStatistics(method: SslMethod): Float32Array[] {
  return split(method)
    .models()
    .flatMap((m) => m.nonTrainableWeights)
    .map((w) => w.read().dataSync() as Float32Array);
}

function rowsOf(method: SslMethod, batch: MethodBatch, chunk: number, k: number): tf.Tensor4D {
  return tf.tidy(() => tf.slice(split(method).rows(batch), [k * chunk, 0, 0, 0], [chunk, -1, -1, -1]));
}

describe('gradient caching', () => {
  let dataset: tf.Tensor4D;
  let batch: MethodBatch;

  beforeAll(async () => {
    await initBackend('wasm');
    dataset = syntheticImages(DATASET_SIZE, CONTEXT.imageSize, CONTEXT.channels, 1);
    const shape = simclr();
    batch = makeBatch(shape, dataset, batchIndices(0), 7);
    shape.dispose();
  });
  afterAll(() => {
    tf.dispose([dataset, ...batch.views]);
  });

  it('with one chunk of all 2N views equals the plain step (gradients, loss, weights, statistics)', async () => {
    const plain = simclr();
    const chunked = simclr();
    const reference = plainGradients(plain, batch);
    const result = cached(chunked, batch, VIEWS);
    expect(maxAbs(reference.grads)).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(result.grads, reference.grads)).toBeLessThanOrEqual(1e-6 * maxAbs(reference.grads));
    expect(result.loss).toBeCloseTo(reference.loss, 6);
    // The whole step through the optimiser too.
    const a = tf.train.sgd(0.1);
    const b = tf.train.sgd(0.1);
    const la = await trainStep(plain, a, batch);
    const lb = await cachedTrainStep(chunked, b, batch, VIEWS);
    expect(lb).toBeCloseTo(la, 6);
    plain.trainableVariables().forEach((v, i) => {
      const w = chunked.trainableVariables()[i]!;
      expect(Math.max(...Array.from(tf.tidy(() => tf.abs(tf.sub(v, w)).dataSync())))).toBeLessThan(1e-6);
    });
    const ms = movingStatistics(chunked);
    movingStatistics(plain).forEach((m, i) => expect(Array.from(ms[i]!)).toEqual(Array.from(m)));
    a.dispose();
    b.dispose();
    plain.dispose();
    chunked.dispose();
  });

  it('equals the plain gradients within 1e-5 when every chunk has the batch statistics', () => {
    // Rows [a b c d a' b' c' d' | a' b' c' d' a b c d]: each chunk of 8 holds the same multiset of
    // views as the whole batch, so per-chunk BatchNorm statistics are the whole-batch ones (and the
    // positives are still real pairs: row i's partner N + i is the other augmentation).
    const [v0, v1] = batch.views as [tf.Tensor4D, tf.Tensor4D];
    const half = BATCH / 2;
    const first = tf.concat([tf.slice(v0, 0, half), tf.slice(v1, 0, half)]);
    const second = tf.concat([tf.slice(v1, 0, half), tf.slice(v0, 0, half)]);
    const balanced: MethodBatch = { views: [first, second], indices: batch.indices };
    const plain = simclr();
    const chunked = simclr();
    const reference = plainGradients(plain, balanced);
    const result = cached(chunked, balanced, BATCH);
    expect(maxAbs(reference.grads)).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(result.grads, reference.grads)).toBeLessThan(1e-5);
    expect(result.loss).toBeCloseTo(reference.loss, 5);
    tf.dispose([first, second]);
    plain.dispose();
    chunked.dispose();
  });

  it('equals a network without BatchNorm back-propagated in one piece, for any chunk', () => {
    // A stand-in end-to-end method: one Dense layer, no BatchNorm, NT-Xent over the 2N rows.
    const dense = tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [CONTEXT.imageSize, CONTEXT.imageSize, CONTEXT.channels] }),
        tf.layers.dense({ units: 8, kernelInitializer: tf.initializers.glorotNormal({ seed: 3 }) }),
      ],
    });
    const embeddingLoss: EmbeddingLoss = {
      rows: (b) => tf.concat(b.views, 0) as tf.Tensor4D,
      project: (rows) => dense.apply(rows, { training: true }) as tf.Tensor2D,
      fromEmbeddings: (z, b) => {
        const n = b.indices.length;
        return ntXentLoss(tf.slice(z, [0, 0], [n, -1]), tf.slice(z, [n, 0], [n, -1]), 0.5);
      },
      models: () => [dense],
    };
    const method = {
      name: 'simclr',
      embeddingLoss,
      trainableVariables: () => dense.trainableWeights.map((w) => w.read() as tf.Variable),
      loss: (b: MethodBatch) => tf.tidy(() => embeddingLoss.fromEmbeddings(embeddingLoss.project(embeddingLoss.rows(b)), b)),
    } as unknown as SslMethod;
    const reference = plainGradients(method, batch);
    expect(maxAbs(reference.grads)).toBeGreaterThan(1e-3);
    for (const chunk of [2, 4, 8]) {
      const result = cached(method, batch, chunk);
      expect(maxAbsDiff(result.grads, reference.grads), `chunk ${chunk}`).toBeLessThan(1e-5);
      expect(result.loss).toBeCloseTo(reference.loss, 5);
    }
    dense.dispose();
  });

  it('with BatchNorm equals one tape over per-chunk forwards (per-chunk BatchNorm)', () => {
    const chunk = 4;
    const perChunk = simclr();
    const chunked = simclr();
    const plain = simclr();
    const s = split(perChunk);
    const { value, grads } = tf.variableGrads(() => {
      const rows = s.rows(batch);
      const z = tf.concat(
        Array.from({ length: VIEWS / chunk }, (_, k) =>
          s.project(tf.slice(rows, [k * chunk, 0, 0, 0], [chunk, -1, -1, -1])),
        ),
      ) as tf.Tensor2D;
      return s.fromEmbeddings(z, batch);
    }, perChunk.trainableVariables());
    const reference = { loss: value.dataSync()[0]!, grads: ordered(perChunk, grads) };
    tf.dispose([value, ...Object.values(grads)]);
    const result = cached(chunked, batch, chunk);
    const scale = maxAbs(reference.grads);
    expect(maxAbsDiff(result.grads, reference.grads)).toBeLessThan(1e-5 * Math.max(1, scale));
    expect(result.loss).toBeCloseTo(reference.loss, 5);
    // … and per-chunk statistics really change the step, or this test would prove nothing.
    expect(maxAbsDiff(plainGradients(plain, batch).grads, reference.grads)).toBeGreaterThan(1e-3 * scale);
    perChunk.dispose();
    chunked.dispose();
    plain.dispose();
  });

  it('updates the BatchNorm moving statistics exactly once per chunk', async () => {
    const chunk = 4;
    const chunked = simclr();
    const once = simclr();
    const twice = simclr();
    const optimizer = tf.train.sgd(0.1);
    await cachedTrainStep(chunked, optimizer, batch, chunk);
    for (let k = 0; k < VIEWS / chunk; k++) {
      const rows = rowsOf(once, batch, chunk, k);
      // Forwards run before the weights change, so these see the weights the cached step saw.
      tf.dispose([split(once).project(rows), split(twice).project(rows), split(twice).project(rows)]);
      rows.dispose();
    }
    const got = movingStatistics(chunked);
    const expected = movingStatistics(once);
    const doubled = movingStatistics(twice);
    let differsFromDoubled = 0;
    expected.forEach((e, i) => {
      const g = got[i]!;
      for (let j = 0; j < e.length; j++) {
        expect(Math.abs(g[j]! - e[j]!)).toBeLessThan(1e-6);
        differsFromDoubled = Math.max(differsFromDoubled, Math.abs(g[j]! - doubled[i]![j]!));
      }
    });
    expect(differsFromDoubled).toBeGreaterThan(1e-4);
    optimizer.dispose();
    chunked.dispose();
    once.dispose();
    twice.dispose();
  });

  it('leaks no tensor across steps and frees everything on dispose', async () => {
    const before = tf.memory().numTensors;
    const method = simclr();
    const optimizer = tf.train.adam(0.01);
    const counts: number[] = [];
    const losses: number[] = [];
    for (let step = 0; step < 4; step++) {
      const b = makeBatch(method, dataset, batchIndices(step), 100 + step);
      losses.push(await cachedTrainStep(method, optimizer, b, 4));
      tf.dispose(b.views);
      counts.push(tf.memory().numTensors);
    }
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(new Set(counts.slice(1)).size).toBe(1);
    optimizer.dispose();
    method.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses methods without an embedding loss and chunks that do not divide the batch', () => {
    const moco = createMethod('moco', tinyConfig('moco'), CONTEXT);
    const method = simclr();
    const before = tf.memory().numTensors;
    expect(() => cachedGradients(moco, batch, 4)).toThrow(/end-to-end methods \(simclr\) only; moco/);
    expect(() => cachedGradients(method, batch, 5)).toThrow(/chunkSize 5 must be an integer dividing the 16 views/);
    expect(() => cachedGradients(method, batch, 32)).toThrow(RangeError);
    expect(tf.memory().numTensors).toBe(before);
    moco.dispose();
    method.dispose();
  });
});
