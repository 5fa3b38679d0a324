import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../../src/main/store/store';

let store: Store;
beforeEach(() => {
  store = Store.open(':memory:');
});
afterEach(() => store.close());

function dataset(): number {
  return store.datasets.insert({
    name: 'd',
    root_path: '/data/d',
    kind: 'folder',
    image_size: 32,
    channels: 3,
    classes_json: '["a","b"]',
    val_fraction: 0.5,
    seed: 1,
    content_hash: null,
    cache_path: null,
  });
}

function image(datasetId: number, relPath: string, label: string | null, split: 'train' | 'val') {
  return {
    dataset_id: datasetId, rel_path: relPath, abs_path: `/data/d/${relPath}`, hash: relPath, bytes: 10, mtime_ms: 0,
    width: 4, height: 4, channels: 3, format: 'png', label, split, group_key: null, frame_index: null, status: 'ok' as const,
  };
}

describe('repositories', () => {
  it('count images per dataset, page them and tally classes per split', () => {
    const id = dataset();
    store.images.insertMany([image(id, 'a/1.png', 'a', 'train'), image(id, 'a/2.png', 'a', 'val'), image(id, 'b/1.png', 'b', 'train'), image(id, 'x.png', null, 'train')]);
    store.skippedFiles.insertMany(id, [{ path: '/data/d/bad.jpg', reason: 'not an image' }]);
    const row = store.datasets.get(id);
    expect(row?.num_images).toBe(4);
    expect(row?.num_skipped).toBe(1);
    expect(store.images.page(id, 1, 2).map((r) => r.rel_path)).toEqual(['a/2.png', 'b/1.png']);
    expect(store.images.classBalance(id)).toEqual([
      { label: 'a', train: 1, val: 1 },
      { label: 'b', train: 1, val: 0 },
      { label: null, train: 1, val: 0 },
    ]);
    expect(store.skippedFiles.list(id)).toEqual([{ path: '/data/d/bad.jpg', reason: 'not an image' }]);
  });

  it('insert images all-or-nothing', () => {
    const id = dataset();
    expect(() => store.images.insertMany([image(id, 'same.png', 'a', 'train'), image(id, 'same.png', 'a', 'train')])).toThrow(/UNIQUE/);
    expect(store.images.count(id)).toBe(0);
  });

  it('track a run through its lifecycle with timestamps, backend and metrics', () => {
    const exp = store.experiments.insert('e', dataset(), { method: 'simclr' });
    const run = store.runs.insert(exp);
    expect(store.runs.get(run)?.status).toBe('queued');
    store.runs.setStatus(run, 'running');
    store.runs.setBackend(run, { backend: 'wasm', device: 'CPU', reason: 'first available' });
    store.metrics.record(run, [
      { name: 'loss', step: 1, epoch: 0.1, value: 5 },
      { name: 'loss', step: 2, epoch: 0.2, value: 4 },
    ]);
    store.metrics.record(run, [{ name: 'loss', step: 2, epoch: 0.2, value: 3.5 }]);
    store.runs.setStatus(run, 'completed');
    const row = store.runs.get(run);
    expect(row?.started_at).not.toBeNull();
    expect(row?.finished_at).not.toBeNull();
    expect(row?.backend).toBe('wasm');
    expect(store.metrics.series(run, 'loss').map((p) => p.value)).toEqual([5, 3.5]);
    expect(store.metrics.names(run)).toEqual(['loss']);
  });

  it('count runs per experiment', () => {
    const first = store.experiments.insert('e1', null, {});
    const second = store.experiments.insert('e2', null, {});
    const third = store.experiments.insert('e3', null, {});
    store.runs.insert(first);
    store.runs.insert(third);
    store.runs.insert(first);
    const counts = store.runs.countsByExperiment();
    expect([...counts.entries()].sort(([a], [b]) => a - b)).toEqual([[first, 2], [third, 1]]);
    expect(counts.get(second)).toBeUndefined();
  });

  it('reject a status outside the lifecycle', () => {
    const run = store.runs.insert(store.experiments.insert('e', null, {}));
    expect(() => store.runs.setStatus(run, 'exploded' as never)).toThrow(/CHECK/);
  });

  it('keep previews, checkpoints, prototype assignments and exports per run', () => {
    const ds = dataset();
    store.images.insertMany([image(ds, 'a.png', 'a', 'train'), image(ds, 'b.png', 'b', 'train')]);
    const [a, b] = store.images.page(ds, 0, 10).map((r) => r.id);
    const run = store.runs.insert(store.experiments.insert('e', ds, {}));
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    const p = store.previews.insert({ dataset_id: ds, run_id: run, kind: 'pairs', spec_json: '{}', seed: 3, params_json: '[]', png });
    expect(store.previews.get(p)?.png.equals(png)).toBe(true);
    expect(store.previews.list({ runId: run }).map((r) => r.id)).toEqual([p]);
    expect(store.previews.list({ runId: run + 1 })).toEqual([]);
    store.checkpoints.insert({ run_id: run, step: 10, epoch: 1, path: '/w/ck-10', bytes: 100 });
    store.checkpoints.insert({ run_id: run, step: 20, epoch: 2, path: '/w/ck-20', bytes: 100 });
    expect(store.checkpoints.latest(run)?.step).toBe(20);
    store.prototypeAssignments.replaceEpoch(run, 0, [
      { imageId: a!, prototype: 3, entropy: 0.5 },
      { imageId: b!, prototype: 3, entropy: 0.1 },
    ]);
    store.prototypeAssignments.replaceEpoch(run, 0, [
      { imageId: a!, prototype: 1, entropy: 0.5 },
      { imageId: b!, prototype: 3, entropy: 0.1 },
    ]);
    expect(store.prototypeAssignments.usage(run, 0)).toEqual([
      { prototype: 1, count: 1 },
      { prototype: 3, count: 1 },
    ]);
    store.exports.insert({ runId: run, format: 'onnx', outDir: '/out', files: ['model.onnx'], metadata: { v: 1 } });
    expect(JSON.parse(store.exports.list(run)[0]!.files_json)).toEqual(['model.onnx']);
  });

  it('delete a dataset with its images and skipped files (foreign keys cascade)', () => {
    const id = dataset();
    store.images.insertMany([image(id, 'a.png', 'a', 'train')]);
    expect(store.datasets.delete(id)).toBe(true);
    expect(store.images.count(id)).toBe(0);
  });
});
