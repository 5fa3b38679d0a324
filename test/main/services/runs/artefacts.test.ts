/**
 * What a run leaves behind and how it leaves: exports (tfjs reloads, ONNX verified, embeddings),
 * refusals that write nothing, SwAV prototype summaries, previews stored per run, thumbnails.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../../src/main/services/index';
import { cwbErrorLine, runCli } from '../../../helpers/cli';
import { makeImageFolder } from '../../../helpers/dataset';
import { tempDir } from '../../../helpers/temp';

let services: Services;
let home: string;
let root: string;
let cleanup: () => void;
let swavRun: number;

beforeAll(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  root = t.dir;
  home = join(t.dir, 'home');
  services = createServices({ home, front: 'browser' });
  await services.datasets.import({ dir: await makeImageFolder(join(t.dir, 'shapes')), size: 16, valFraction: 0.34, seed: 0 });
  const { id } = services.experiments.create({ datasetId: 1, method: 'swav', epochs: 2, batchSize: 4, methodOverrides: { prototypes: 6 } });
  const started = services.runs.start(id);
  swavRun = started.runId;
  await started.done;
});
afterAll(async () => {
  await services.close();
  cleanup();
});

describe('exports', () => {
  it.each(['tfjs', 'onnx', 'embeddings'] as const)('%s: writes its files and metadata.json, recorded in SQLite', async (format) => {
    const out = join(root, `export-${format}`);
    const r = await runCli(['--home', home, 'export', '--run', String(swavRun), '--format', format, '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const reply = JSON.parse(r.stdout) as { files: string[]; maxAbsDiff?: number };
    expect(reply.files).toContain('metadata.json');
    for (const f of reply.files) expect(existsSync(join(out, f)), f).toBe(true);
    const metadata = JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8')) as { training: { method: string; runId: number } };
    expect(metadata.training).toMatchObject({ method: 'swav', runId: swavRun });
    if (format === 'onnx') expect(reply.maxAbsDiff).toBeLessThan(1e-4);
    if (format === 'embeddings') {
      const rows = readFileSync(join(out, 'metadata.tsv'), 'utf8').trim().split('\n');
      expect(rows[0]).toBe('label\tpath');
      expect(rows).toHaveLength(1 + 12);
    }
    expect(services.exports.list(swavRun).map((e) => e.format)).toContain(format);
  });

  it('exports a memory-bank run too (its bank is sized by the training split, as in training)', async () => {
    const run = services.runs.start(services.experiments.create({ datasetId: 1, method: 'memory-bank', epochs: 1, batchSize: 4 }).id);
    await run.done;
    const reply = await services.exports.create({ runId: run.runId, format: 'tfjs', outDir: join(root, 'export-bank'), force: false });
    expect(reply.files).toContain('model.json');
  });

  it('refuses a non-empty folder, an unknown run and a run without checkpoint, writing nothing', async () => {
    const busy = join(root, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'keep.txt'), 'mine');
    const r = await runCli(['--home', home, 'export', '--run', String(swavRun), '--format', 'onnx', '--out', busy]);
    expect(r.code).toBe(6);
    expect(cwbErrorLine(r.stderr)).toMatch(/not empty.*--force/);
    expect(readdirSync(busy)).toEqual(['keep.txt']);
    const unknown = await runCli(['--home', home, 'export', '--run', '999', '--format', 'onnx', '--out', join(root, 'x')]);
    expect(unknown.code).toBe(3);
    const baseline = services.runs.start(services.experiments.create({ datasetId: 1, method: 'simclr', epochs: 0 }).id);
    await baseline.done;
    const none = await runCli(['--home', home, 'export', '--run', String(baseline.runId), '--format', 'onnx', '--out', join(root, 'y')]);
    expect(none.code).toBe(6);
    expect(cwbErrorLine(none.stderr)).toMatch(/no checkpoint/);
    expect(existsSync(join(root, 'x'))).toBe(false);
    expect(existsSync(join(root, 'y'))).toBe(false);
  });
});

describe('SwAV prototypes, previews and thumbnails', () => {
  it('summarises usage, entropy and prototype × class counts per epoch', () => {
    const summary = services.prototypes.summary(swavRun);
    expect(summary.prototypes).toBe(6);
    expect(summary.epochs).toEqual([1, 2]);
    for (const u of summary.usage) expect(u.counts.reduce((a, b) => a + b, 0)).toBe(8);
    expect(summary.entropy.every((e) => e.entropy >= 0 && e.entropy <= Math.log(6) + 1e-6)).toBe(true);
    expect(summary.classes).toEqual(['circle', 'square']);
    expect(summary.heatmap.flat().reduce((a, b) => a + b, 0)).toBe(8);
  });

  it('shows the images of a prototype, most confident first, as thumbnails', async () => {
    const summary = services.prototypes.summary(swavRun);
    const busiest = summary.usage[1]!.counts.indexOf(Math.max(...summary.usage[1]!.counts));
    const gallery = await services.prototypes.gallery(swavRun, 2, busiest, 10);
    expect(gallery.length).toBe(summary.usage[1]!.counts[busiest]);
    expect(gallery.every((g) => g.url.startsWith('data:image/png;base64,'))).toBe(true);
    const entropies = gallery.map((g) => g.entropy);
    expect([...entropies].sort((a, b) => a - b)).toEqual(entropies);
  });

  it('stored the pretext preview of the run when it started, and previews round-trip through SQLite', async () => {
    const stored = services.previews.list({ runId: swavRun });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.grid).toMatch(/^data:image\/png;base64,/);
    const made = await services.previews.create({ datasetId: 1, augment: 'simclr', seed: 3, pairs: 2, stepByStep: true });
    const row = services.ctx.store.previews.get(made.previewId)!;
    expect(Buffer.from(made.png).equals(row.png)).toBe(true);
    expect(JSON.parse(row.params_json)).toEqual(made.params);
    expect(made.items).toHaveLength(2);
    expect(made.items[0]!.steps!.length).toBeGreaterThan(0);
    const again = await services.previews.create({ datasetId: 1, augment: 'simclr', seed: 3, pairs: 2, stepByStep: true });
    expect(again.grid).toBe(made.grid);
  });
});

describe('embeddings', () => {
  it.each(['pca', 'umap'] as const)('%s: projects the dataset and answers neighbour queries from stored features', async (algorithm) => {
    const projection = await services.embeddings.project(swavRun, algorithm, 1000);
    expect(projection.points).toHaveLength(12);
    expect(projection.points.filter((p) => p.split === 'val')).toHaveLength(4);
    expect(projection.points.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y))).toBe(true);
    const first = projection.points[0]!;
    const near = services.embeddings.neighbours(projection.projectionId, first.imageId, 3);
    expect(near).toHaveLength(3);
    expect(near.map((n) => n.imageId)).not.toContain(first.imageId);
    expect(near[0]!.similarity).toBeGreaterThanOrEqual(near[2]!.similarity);
    expect(() => services.embeddings.neighbours(projection.projectionId, 99_999, 3)).toThrow(/not in projection/);
  });

  it('colours: PCA variance spectrum, the last epoch of SwAV assignments, kNN right/wrong of every labelled validation point', async () => {
    const projection = await services.embeddings.project(swavRun, 'pca', 1000);
    const ratios = projection.varianceExplained!;
    expect(ratios.length).toBeGreaterThanOrEqual(2);
    expect(ratios.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-6);
    expect(ratios[0]!).toBeGreaterThanOrEqual(ratios[1]!);
    // The last stored epoch's assignments, image by image.
    const epochs = services.ctx.store.prototypeAssignments.epochs(swavRun);
    expect(projection.prototypeEpoch).toBe(epochs.at(-1));
    const stored = new Map(services.ctx.store.prototypeAssignments.byImage(swavRun, epochs.at(-1)!).map((a) => [a.imageId, a.prototype]));
    expect(stored.size).toBeGreaterThan(0);
    for (const p of projection.points) expect(p.prototype).toBe(stored.get(p.imageId) ?? null);
    // The sample is the whole dataset here, so the kNN bank is the run's: the share of right
    // validation points is the run's kNN accuracy.
    const val = projection.points.filter((p) => p.split === 'val');
    expect(val.every((p) => typeof p.knnCorrect === 'boolean' && typeof p.knnPrediction === 'string')).toBe(true);
    expect(projection.points.filter((p) => p.split === 'train').every((p) => p.knnCorrect === null)).toBe(true);
    for (const p of val) expect(p.knnCorrect).toBe(p.knnPrediction === p.label);
    expect(projection.knn).toMatchObject({ bankSize: 8, queries: 4, temperature: 0.1 });
    const { accuracy } = await services.runs.evalKnn(swavRun, 200, 0.1);
    expect(val.filter((p) => p.knnCorrect).length / val.length).toBeCloseTo(accuracy, 6);
  });

  it('UMAP has no variance spectrum', async () => {
    expect((await services.embeddings.project(swavRun, 'umap', 1000)).varianceExplained).toBeUndefined();
  });
});

describe('imported encoders', () => {
  it('an exported ONNX encoder imports back and scores the same kNN accuracy as its run', async () => {
    const out = join(root, 'roundtrip');
    await services.exports.create({ runId: swavRun, format: 'onnx', outDir: out, force: false });
    const r = await runCli(['--home', home, 'import-encoder', join(out, 'model.onnx'), '--name', 'round trip', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const encoder = JSON.parse(r.stdout) as { encoderId: number; inputSize: number; channels: number; layout: string; outputDim: number };
    expect(encoder).toMatchObject({ inputSize: 16, channels: 3, layout: 'NCHW' });
    const external = await services.encoders.evalKnn(encoder.encoderId, 1, 200, 0.1);
    const local = await services.runs.evalKnn(swavRun, 200, 0.1);
    expect(external.accuracy).toBeCloseTo(local.accuracy, 6);
  });

  it('refuses a file that is not an ONNX model and records nothing', async () => {
    const bogus = join(root, 'bogus.onnx');
    writeFileSync(bogus, 'not a model');
    const before = services.encoders.list().length;
    const r = await runCli(['--home', home, 'import-encoder', bogus, '--name', 'bogus']);
    expect(r.code).toBe(2);
    expect(cwbErrorLine(r.stderr)).toMatch(/not a usable ONNX image encoder/);
    expect(services.encoders.list()).toHaveLength(before);
  });
});
