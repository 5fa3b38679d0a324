/**
 * The PyTorch engine (issue 15): every method trains 1 epoch through `cwb train --engine pytorch`
 * on the tiny dataset on the CPU with Debian's python3-torch; the run has metrics rows, per-epoch
 * kNN, its encoder comes back (verified on a probe) and exports as ONNX; pause → resume and a
 * SIGKILLed Python → resume finish the run; a missing Python is one clear line; doctor reports it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../../../src/main/engine/checkpoints';
import { torchToTfjsMethod } from '../../../../src/main/export/pytorch/method-weights';
import { readSafetensors } from '../../../../src/main/export/safetensors';
import { createServices, type Services } from '../../../../src/main/services/index';
import { Store } from '../../../../src/main/store/store';
import { cwbErrorLine, runCli } from '../../../helpers/cli';
import { makeImageFolder } from '../../../helpers/dataset';
import { tempDir } from '../../../helpers/temp';

const PYTHON = process.env['CWB_PYTHON'] ?? '/usr/bin/python3';
const probe = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
const hasTorch = probe.status === 0;
if (!hasTorch) {
  const why = `${PYTHON} cannot import torch and numpy (Debian: apt install python3-torch python3-numpy)`;
  if (process.env['CI'] === 'true') throw new Error(`pytorch-engine test needs ${why}`);
  console.warn(`skipping pytorch-engine.test.ts: ${why}`);
}
const ENV = { CWB_PYTHON: PYTHON };

let root: string;
let home: string;
let cleanup: () => void;

beforeAll(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  root = t.dir;
  home = join(root, 'home');
  const data = await makeImageFolder(join(root, 'shapes'));
  const r = await runCli(['--home', home, 'dataset', 'import', data, '--size', '16', '--val-fraction', '0.34', '--json']);
  expect(r.code, r.stderr).toBe(0);
}, 60_000);
afterAll(() => cleanup());

function store(): Store {
  return Store.open(join(home, 'workbench.sqlite'), { readonly: true });
}

const METHODS = ['simclr', 'memory-bank', 'moco', 'swav', 'pirl', 'triplet', 'margin-contrastive', 'byol', 'simsiam', 'barlow-twins', 'vicreg', 'dino', 'autoencoder'] as const;
const OVERRIDES: Partial<Record<(typeof METHODS)[number], Record<string, unknown>>> = {
  moco: { queueSize: 16 },
  swav: { queueSize: 4, smallCrops: 2, freezePrototypesSteps: 1, prototypes: 6 },
  dino: { smallCrops: 2 },
  autoencoder: { corruption: 'mask', maskRatio: 0.5, maskPatch: 4 },
};
/** Barlow Twins' loss sums D² terms: at SGD 0.05 its features grow past 1e5 in two steps. */
const LEARNING_RATE: Partial<Record<(typeof METHODS)[number], number>> = { 'barlow-twins': 0.001 };
/** Methods whose 1-epoch run also checks that stop + --resume ends with the uninterrupted weights. */
const RESUME_CHECK = new Set<string>(['memory-bank', 'moco', 'swav', 'margin-contrastive', 'byol', 'dino', 'autoencoder']);

describe.runIf(hasTorch)('cwb train --engine pytorch', () => {
  it('cwb doctor reports the Python, torch and the CPU; a missing Python says why', async () => {
    const ok = await runCli(['--home', home, 'doctor', '--json'], ENV);
    expect(ok.code, ok.stderr).toBe(0);
    const report = JSON.parse(ok.stdout) as { pytorch: { usable: boolean; torchVersion: string; python: string; source: string; cpuThreads: number; reason: string } };
    expect(report.pytorch).toMatchObject({ usable: true, python: PYTHON, source: 'CWB_PYTHON' });
    expect(report.pytorch.torchVersion).toMatch(/^\d+\.\d+/);
    expect(report.pytorch.cpuThreads).toBeGreaterThanOrEqual(1);
    // The human report says how a run would start: here the CPU, in 2 gloo processes with CWB_TORCH_NPROC=2.
    const text = await runCli(['--home', home, 'doctor'], { ...ENV, CWB_TORCH_NPROC: '2', CWB_TORCH_THREADS: '2' });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('pytorch launch: no CUDA device: 2 CPU processes (CWB_TORCH_NPROC, torchrun, gloo), 1 thread(s) each');
    const missing = await runCli(['--home', home, 'doctor', '--json'], { CWB_PYTHON: '/nonexistent/python3' });
    expect(missing.code, missing.stderr).toBe(0);
    const bad = (JSON.parse(missing.stdout) as typeof report).pytorch;
    expect(bad.usable).toBe(false);
    expect(bad.reason).toContain('/nonexistent/python3 (from CWB_PYTHON) is not found');
  }, 120_000);

  it('cwb experiment save --engine pytorch stores the engine; an unknown engine is refused', async () => {
    const saved = await runCli(['--home', home, 'experiment', 'save', '--dataset', '1', '--method', 'simclr', '--batch-size', '4', '--engine', 'pytorch', '--json'], ENV);
    expect(saved.code, saved.stderr).toBe(0);
    const { experimentId } = JSON.parse(saved.stdout) as { experimentId: number };
    const s = store();
    const config = JSON.parse(s.experiments.get(experimentId)!.config_json) as { engine: string };
    s.close();
    expect(config.engine).toBe('pytorch');
    const bad = await runCli(['--home', home, 'experiment', 'save', '--dataset', '1', '--method', 'simclr', '--batch-size', '4', '--engine', 'jax', '--json'], ENV);
    expect(bad.code).not.toBe(0);
    expect(cwbErrorLine(bad.stderr)).toContain('engine must be one of tfjs, pytorch');
  }, 120_000);

  it('CWB_PYTHON=/nonexistent: the run fails with one clear line and a hint', async () => {
    const r = await runCli(['--home', home, 'train', '--dataset', '1', '--method', 'simclr', '--epochs', '1', '--batch-size', '4', '--engine', 'pytorch', '--json'], { CWB_PYTHON: '/nonexistent/python3' });
    expect(r.code).not.toBe(0);
    const line = cwbErrorLine(r.stderr) ?? '';
    expect(line).toContain('no Python for the PyTorch engine: /nonexistent/python3');
    expect(line).toContain('CWB_PYTHON');
    const s = store();
    const run = s.runs.list().at(-1)!;
    s.close();
    expect(run.status).toBe('failed');
    expect(run.error).toContain('/nonexistent/python3');
  }, 120_000);

  it('cwb bench train --engine pytorch times the engine loop (views/s after the warm-up)', async () => {
    const r = await runCli(['--home', home, 'bench', 'train', '--engine', 'pytorch', '--method', 'simclr', '--encoder', 'small', '--batch-size', '4', '--image-size', '16', '--steps', '2', '--warmup', '1', '--device', 'cpu', '--json'], ENV);
    expect(r.code, r.stderr).toBe(0);
    const reply = JSON.parse(r.stdout) as { engine: string; imagesPerSecond: number; secondsPerStep: number; device: string };
    expect(reply.engine).toBe('pytorch');
    expect(reply.device).toMatch(/^cpu \(\d+ threads\)$/);
    expect(reply.secondsPerStep).toBeGreaterThan(0);
    // SimCLR: 2 views of each of the 4 images per step.
    expect(reply.imagesPerSecond * reply.secondsPerStep).toBeCloseTo(8, 3);
  }, 120_000);

  it('a NaN loss fails the run with the step and a hint', async () => {
    const r = await runCli(['--home', home, 'train', '--dataset', '1', '--method', 'simclr', '--epochs', '3', '--batch-size', '4', '--learning-rate', '1e30', '--engine', 'pytorch', '--device', 'cpu', '--json'], ENV);
    expect(r.code).not.toBe(0);
    expect(cwbErrorLine(r.stderr)).toMatch(/PyTorch run failed: the loss became nan at step \d+ .*lower the learning rate/);
    const s = store();
    const run = s.runs.list().at(-1)!;
    s.close();
    expect(run.status).toBe('failed');
    expect(run.error).toContain('the loss became nan');
  }, 120_000);

  it.each(METHODS)('%s: 1 epoch → metrics, kNN, the encoder back and exported as ONNX', async (method) => {
    const config = join(root, `${method}.json`);
    writeFileSync(config, JSON.stringify({ datasetId: 1, method, epochs: 1, batchSize: 4, engine: 'pytorch', methodOverrides: OVERRIDES[method] ?? {}, optimizer: { name: 'sgd', learningRate: LEARNING_RATE[method] ?? 0.05 } }));
    const r = await runCli(['--home', home, 'train', '--config', config, '--device', 'cpu', '--json'], ENV);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { runId: number; status: string; steps: number; backend: string; finalLoss: number };
    expect(result).toMatchObject({ status: 'completed', steps: 2, backend: 'pytorch' });
    expect(Number.isFinite(result.finalLoss)).toBe(true);

    const s = store();
    const run = s.runs.get(result.runId)!;
    const loss = s.metrics.series(result.runId, 'loss');
    const lr = s.metrics.series(result.runId, 'learning_rate');
    const speed = s.metrics.series(result.runId, 'images_per_second');
    const knn = s.metrics.series(result.runId, 'knn_accuracy');
    const checkpoint = s.checkpoints.latest(result.runId);
    const assignmentEpochs = s.prototypeAssignments.epochs(result.runId);
    const usage = method === 'swav' ? s.prototypeAssignments.usage(result.runId, 1) : [];
    s.close();
    if (method === 'swav') {
      // SwAV prototype assignments of every training image (8), per evaluated epoch, as a tfjs run records them.
      expect(assignmentEpochs).toEqual([0, 1]);
      expect(usage.reduce((a, u) => a + u.count, 0)).toBe(8);
    } else {
      expect(assignmentEpochs).toEqual([]);
    }
    expect(run.backend).toBe('pytorch');
    expect(loss.map((p) => p.step)).toEqual([1, 2]);
    expect(lr).toHaveLength(2);
    expect(speed.every((p) => p.value > 0)).toBe(true);
    // Epoch 0 (the untrained encoder) and epoch 1, on the validation split.
    expect(knn.map((p) => p.epoch)).toEqual([0, 1]);
    for (const p of knn) expect(p.value).toBeGreaterThanOrEqual(0);
    // The encoder came back as a workbench checkpoint, verified against PyTorch's own features.
    expect(checkpoint?.step).toBe(2);
    const extra = readCheckpoint(checkpoint!.path).extra;
    expect(extra['engine']).toBe('pytorch');
    // 1e-4, relative to the largest feature when that is above 1 (Barlow Twins' features grow large).
    expect(extra['roundTripScale'] as number).toBeGreaterThanOrEqual(1);
    expect(extra['roundTripMaxAbsDiff'] as number).toBeLessThanOrEqual(1e-4 * (extra['roundTripScale'] as number));

    const onnx = await runCli(['--home', home, 'export', '--run', String(result.runId), '--format', 'onnx', '--out', join(root, `onnx-${method}`), '--json'], ENV);
    expect(onnx.code, onnx.stderr).toBe(0);
    expect((JSON.parse(onnx.stdout) as { maxAbsDiff: number }).maxAbsDiff).toBeLessThan(1e-4);
    if (RESUME_CHECK.has(method)) {
      // The run's own project: 2 epochs straight, or 1 epoch, stop, --resume — the same weights
      // (the bank and its negative sampler, MoCo's and SwAV's queues, the pair methods' shift RNG,
      // BYOL's target, DINO's teacher and centre, the autoencoder's decoder and masks all come back).
      const project = join(home, 'runs', `run-${result.runId}`, 'pytorch');
      const train = (out: string, extra: string[]): void => {
        const r = spawnSync(PYTHON, ['train.py', '--feed', join(project, 'feed.json'), '--out', join(root, out), '--device', 'cpu', '--workers', '0', '--threads', '1', '--epochs', '2', ...extra], { cwd: project, encoding: 'utf8' });
        expect(r.status, r.stderr).toBe(0);
      };
      train(`${method}-straight`, []);
      train(`${method}-resumed`, ['--max-steps', '2']);
      train(`${method}-resumed`, ['--resume']);
      const a = readSafetensors(join(root, `${method}-straight`, 'encoder.safetensors')).tensors;
      const b = readSafetensors(join(root, `${method}-resumed`, 'encoder.safetensors')).tensors;
      let max = 0;
      for (const [k, v] of Object.entries(a)) v.data.forEach((x, i) => (max = Math.max(max, Math.abs(x - b[k]!.data[i]!))));
      expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
      expect(max).toBeLessThan(1e-5);
    }
    if (method === 'simclr') {
      const evalKnn = await runCli(['--home', home, 'eval', 'knn', '--run', String(result.runId), '--json'], ENV);
      expect(evalKnn.code, evalKnn.stderr).toBe(0);
      expect((JSON.parse(evalKnn.stdout) as { accuracy: number }).accuracy).toBeGreaterThanOrEqual(0);
      // The project writes the event stream beside its output, as an exported project does.
      const stream = readFileSync(join(home, 'runs', `run-${result.runId}`, 'pytorch', 'output', 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string });
      expect(stream[0]?.event).toBe('started');
      expect(stream.at(-1)?.event).toBe('done');
    }
  }, 180_000);
});

describe.runIf(hasTorch)('PyTorch runs stop and continue', () => {
  let services: Services;
  const saved = process.env['CWB_PYTHON'];
  beforeAll(() => {
    process.env['CWB_PYTHON'] = PYTHON;
    services = createServices({ home, front: 'browser' });
  });
  afterAll(async () => {
    await services.close();
    if (saved === undefined) delete process.env['CWB_PYTHON'];
    else process.env['CWB_PYTHON'] = saved;
  });
  const experiment = { datasetId: 1, method: 'simclr' as const, epochs: 3, batchSize: 4, seed: 3, checkpointEverySteps: 1, engine: 'pytorch' as const, optimizer: { name: 'sgd' as const, learningRate: 0.05, momentum: 0.9, weightDecay: 1e-4 } };

  function encoderWeights(runId: number): Record<string, Float32Array> {
    const file = join(services.runs.pytorchDir(runId), 'output', 'encoder.safetensors');
    return Object.fromEntries(Object.entries(readSafetensors(file).tensors).map(([k, v]) => [k, v.data]));
  }

  it('pause (checkpoint, exit), resume → the uninterrupted weights', async () => {
    const long = { ...experiment, epochs: 12, checkpointEverySteps: 2 };
    const reference = services.runs.start(services.experiments.create(long).id, { device: 'cpu' });
    expect((await reference.done).status).toBe('completed');

    const paused = services.runs.start(services.experiments.create(long).id, { device: 'cpu' });
    // Watch the stream itself (the recorder lags behind while it adopts checkpoints), then pause.
    const stream = join(services.runs.pytorchDir(paused.runId), 'output', 'metrics.jsonl');
    await expect
      .poll(() => existsSync(stream) && readFileSync(stream, 'utf8').includes('"event": "step", "step": 2,'), { timeout: 120_000, interval: 20 })
      .toBe(true);
    services.runs.stop(paused.runId, 'paused');
    expect((await paused.done).status).toBe('cancelled');
    expect(services.runs.get(paused.runId).status).toBe('paused');
    const resumed = await services.runs.resume(paused.runId, { device: 'cpu' }).done;
    expect(resumed).toMatchObject({ status: 'completed', steps: 24 });
    expect(services.runs.get(paused.runId).status).toBe('completed');
    const steps = services.ctx.store.metrics.series(paused.runId, 'loss').map((p) => p.step);
    expect(steps).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    const a = encoderWeights(reference.runId);
    const b = encoderWeights(paused.runId);
    let max = 0;
    for (const [k, v] of Object.entries(a)) v.forEach((x, i) => (max = Math.max(max, Math.abs(x - b[k]![i]!))));
    expect(max).toBeLessThan(1e-5);
  }, 300_000);

  it.each([1, 2])('kill -9 of the Python (rank 0 of %i process(es)) → interrupted and paused; resume finishes the run', async (processes) => {
    if (processes > 1) process.env['CWB_TORCH_NPROC'] = String(processes);
    try {
      await killAndResume();
    } finally {
      delete process.env['CWB_TORCH_NPROC'];
    }
  }, 300_000);

  async function killAndResume(): Promise<void> {
    let pid = 0;
    const long = { ...experiment, epochs: 12, checkpointEverySteps: 2 };
    const started = services.runs.start(services.experiments.create(long).id, {
      device: 'cpu',
      listener: { started: (e) => void (pid = (e as unknown as { pid: number }).pid) },
    });
    // Watch the stream itself (the recorder lags behind while it adopts checkpoints), then kill.
    const stream = join(services.runs.pytorchDir(started.runId), 'output', 'metrics.jsonl');
    const checkpointed = (): boolean =>
      existsSync(stream) && readFileSync(stream, 'utf8').split('\n').some((l) => l.includes('"event": "checkpoint"') && /"step": [2-9]/.test(l));
    await expect.poll(() => pid > 0 && checkpointed(), { timeout: 120_000, interval: 20 }).toBe(true);
    process.kill(pid, 'SIGKILL');
    await expect(started.done).rejects.toThrow(/interrupted/);
    const run = services.runs.get(started.runId);
    expect(run.status).toBe('paused');
    expect(run.error).toContain('interrupted');
    expect(existsSync(join(services.runs.pytorchDir(started.runId), 'output', 'checkpoint.pt'))).toBe(true);
    const resumed = await services.runs.resume(started.runId, { device: 'cpu' }).done;
    expect(resumed).toMatchObject({ status: 'completed', steps: 24 });
    const steps = services.ctx.store.metrics.series(started.runId, 'loss').map((p) => p.step);
    expect(new Set(steps).size).toBe(steps.length);
    expect(steps.at(-1)).toBe(24);
  }

  it('CWB_TORCH_NPROC=2: simclr and swav train with 2 gloo ranks under torchrun — metrics once, rank 0 checkpoints, every image assigned, pause/resume', async () => {
    process.env['CWB_TORCH_NPROC'] = '2';
    try {
      const swav = services.experiments.create({ ...experiment, method: 'swav', epochs: 1, checkpointEverySteps: 1, methodOverrides: { queueSize: 4, smallCrops: 2, freezePrototypesSteps: 1, prototypes: 6 } });
      const run = services.runs.start(swav.id, { device: 'cpu' });
      expect(await run.done).toMatchObject({ status: 'completed', steps: 2 });
      const store = services.ctx.store;
      expect(services.runs.get(run.runId).device).toMatch(/x2$/);
      // One stream (rank 0's): each step and epoch once.
      expect(store.metrics.series(run.runId, 'loss').map((p) => p.step)).toEqual([1, 2]);
      expect(store.metrics.series(run.runId, 'knn_accuracy').map((p) => p.epoch)).toEqual([0, 1]);
      const stream = readFileSync(join(services.runs.pytorchDir(run.runId), 'output', 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string; world?: number; step?: number });
      expect(stream.find((e) => e.event === 'started')?.world).toBe(2);
      expect(stream.filter((e) => e.event === 'checkpoint').map((e) => e.step)).toEqual([0, 1, 2, 2]);
      expect(store.checkpoints.latest(run.runId)?.step).toBe(2);
      // SwAV's assignments: the features of both ranks' shares gathered, every training image assigned.
      expect(store.prototypeAssignments.epochs(run.runId)).toEqual([0, 1]);
      expect(store.prototypeAssignments.usage(run.runId, 1).reduce((a, u) => a + u.count, 0)).toBe(8);

      const long = services.experiments.create({ ...experiment, epochs: 6, checkpointEverySteps: 2 });
      const paused = services.runs.start(long.id, { device: 'cpu' });
      const file = join(services.runs.pytorchDir(paused.runId), 'output', 'metrics.jsonl');
      await expect.poll(() => existsSync(file) && readFileSync(file, 'utf8').includes('"event": "step", "step": 2,'), { timeout: 120_000, interval: 20 }).toBe(true);
      services.runs.stop(paused.runId, 'paused');
      expect((await paused.done).status).toBe('cancelled');
      expect(services.runs.get(paused.runId).status).toBe('paused');
      expect(await services.runs.resume(paused.runId, { device: 'cpu' }).done).toMatchObject({ status: 'completed', steps: 12 });
      expect(store.metrics.series(paused.runId, 'loss').map((p) => p.step)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    } finally {
      delete process.env['CWB_TORCH_NPROC'];
    }
  }, 300_000);

  it('autoencoder: the decoder comes back with the encoder, and the reconstruction preview shows it', async () => {
    const { id } = services.experiments.create({ datasetId: 1, method: 'autoencoder', epochs: 1, batchSize: 4, seed: 2, engine: 'pytorch', methodOverrides: { corruption: 'mask', maskRatio: 0.5, maskPatch: 4 } });
    const run = services.runs.start(id, { device: 'cpu' });
    expect((await run.done).status).toBe('completed');
    const output = join(services.runs.pytorchDir(run.runId), 'output');
    // The per-checkpoint hand-over files are gone once adopted; the latest method tensors stay.
    expect(readdirSync(output).filter((f) => /-step-/.test(f))).toEqual([]);
    const torch = readSafetensors(join(output, 'method.safetensors')).tensors;
    const checkpoint = readCheckpoint(services.ctx.store.checkpoints.latest(run.runId)!.path);
    const adopted = Object.fromEntries(checkpoint.method.map((t) => [t.name, { shape: t.shape, data: t.data }]));
    const experiment = services.experiments.resolve(services.experiments.get(id));
    const expected = torchToTfjsMethod(torch, adopted, experiment.method);
    expect(Object.keys(expected).filter((k) => k.startsWith('decoder/')).length).toBeGreaterThanOrEqual(4);
    for (const [key, t] of Object.entries(expected)) {
      if (key.includes('/encoder/')) continue;
      expect(adopted[key]!.data.length, key).toBe(t.data.length);
      expect(t.data.every((x, i) => x === adopted[key]!.data[i]), key).toBe(true);
    }
    const preview = await services.runs.reconstruction(run.runId, 2);
    expect(preview.rows).toHaveLength(2);
    for (const row of preview.rows) expect(row.output).toMatch(/^data:image\/png;base64,/);
  }, 180_000);

  it('interchange: tfjs run → safetensors → train.py --init-from (same features to 1e-4) → metrics.jsonl → cwb import-run', async () => {
    const base = await runCli(['--home', home, 'train', '--dataset', '1', '--method', 'simclr', '--epochs', '1', '--max-steps-per-epoch', '1', '--batch-size', '4', '--json'], ENV);
    expect(base.code, base.stderr).toBe(0);
    const tfjsRun = (JSON.parse(base.stdout) as { runId: number }).runId;
    const weights = join(root, 'warm');
    const st = await runCli(['--home', home, 'export', '--run', String(tfjsRun), '--format', 'safetensors', '--out', weights, '--json'], ENV);
    expect(st.code, st.stderr).toBe(0);
    const project = join(root, 'cluster-project');
    const exported = await runCli(['--home', home, 'export', '--run', String(tfjsRun), '--format', 'pytorch-project', '--out', project, '--json'], ENV);
    expect(exported.code, exported.stderr).toBe(0);
    const trained = spawnSync(PYTHON, ['train.py', '--data', join(root, 'shapes'), '--out', join(project, 'output'), '--device', 'cpu', '--epochs', '1', '--workers', '0', '--init-from', join(weights, 'encoder.safetensors')], { cwd: project, encoding: 'utf8' });
    expect(trained.status, trained.stderr).toBe(0);
    const stream = readFileSync(join(project, 'output', 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const first = stream.find((e) => e['event'] === 'checkpoint' && e['step'] === 0)!;
    // PyTorch's features of the warm-started encoder equal the tfjs run's (the engine worker checks to 1e-4).
    const experiment = services.experiments.resolve(services.experiments.get(services.runs.get(tfjsRun).experiment_id));
    const check = await services.ctx.engine.call('adoptTorchEncoder', {
      model: { method: experiment.method, imageSize: experiment.imageSize, seed: 0, cacheFile: services.ctx.store.datasets.get(1)!.cache_path!, datasetSize: 8 },
      weightsFile: join(weights, 'encoder.safetensors'),
      probe: first['probe'] as { count: number; features: number[] },
      outFile: join(root, 'warm-check.cwbckpt'),
      position: { step: 0, epoch: 0, batchInEpoch: 0 },
      extra: {},
    });
    expect(check.maxAbsDiff).toBeLessThanOrEqual(1e-4);

    const imported = await runCli(['--home', home, 'import-run', project, '--json'], ENV);
    expect(imported.code, imported.stderr).toBe(0);
    const reply = JSON.parse(imported.stdout) as { runId: number; status: string; steps: number };
    // The tfjs run capped its epochs at 1 step (maxStepsPerEpoch), and so does its project.
    expect(reply).toMatchObject({ status: 'completed', steps: 1 });
    expect(services.ctx.store.metrics.series(reply.runId, 'loss').map((p) => p.step)).toEqual([1]);
    expect(services.runs.get(reply.runId).status).toBe('completed');
    const onnx = await runCli(['--home', home, 'export', '--run', String(reply.runId), '--format', 'onnx', '--out', join(root, 'imported-onnx'), '--json'], ENV);
    expect(onnx.code, onnx.stderr).toBe(0);
    const missing = await runCli(['--home', home, 'import-run', join(root, 'shapes'), '--json'], ENV);
    expect(cwbErrorLine(missing.stderr)).toContain('config.json: not found');
  }, 240_000);
});
