/**
 * `cwb export --format pytorch-project`: the plan matches the experiment (golden view/op/encoder
 * checks, refusals naming their fields), and the generated project really trains — 2 CPU ranks
 * under torchrun (gloo) with Debian's python3-torch — writes encoder.onnx, and the workbench
 * imports that encoder and scores it with kNN.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAugmentPreset } from '../../../src/main/augment/presets';
import { applyJigsaw } from '../../../src/main/augment/jigsaw';
import { jigsawPermutations } from '../../../src/main/augment/jigsaw-permutations';
import { initBackend, tf } from '../../../src/main/compute/tf';
import { encoderPlan, trainingPlan, type TrainingPlan } from '../../../src/main/export/pytorch/index';
import { freeLocalPort } from '../../../src/main/engine/pytorch/runner';
import { pythonFiles } from '../../../src/main/export/pytorch/project-files';
import { loadMethodPreset } from '../../../src/main/services/presets';
import { createMethod } from '../../../src/main/ssl/methods/index';
import { mergeMethodConfig, METHOD_NAMES } from '../../../src/shared/schemas/method';
import { ONNX_FEATURES_NAME, ONNX_INPUT_NAME } from '../../../src/main/export/onnx/writer';
import { ExportRequestSchema } from '../../../src/shared/schemas/exports';
import { createServices, type Services } from '../../../src/main/services/index';
import type { ResolvedExperiment } from '../../../src/main/services/experiments';
import { buildEncoder, featureDim } from '../../../src/main/ssl/encoders/index';
import { viewsNeeded } from '../../../src/main/specs/views';
import { cwbErrorLine, runCli } from '../../helpers/cli';
import { makeImageFolder } from '../../helpers/dataset';
import { tempDir } from '../../helpers/temp';

const PYTHON = '/usr/bin/python3';
const torchProbe = spawnSync(PYTHON, ['-c', 'import torch, torch.distributed.run, PIL, numpy'], { encoding: 'utf8' });
const hasTorch = torchProbe.status === 0;
if (!hasTorch) {
  const why = `${PYTHON} cannot import torch, PIL and numpy (install Debian's python3-torch python3-pil python3-numpy): ${(torchProbe.stderr ?? String(torchProbe.error ?? '')).trim().split('\n').pop() ?? ''}`;
  if (process.env['CI'] === 'true') throw new Error(`pytorch-project test needs ${why}`);
  console.warn(`skipping the PyTorch run of pytorch-project.test.ts: ${why}`);
}

let services: Services;
let home: string;
let root: string;
let cleanup: () => void;
const runs: Record<'simclr' | 'moco', number> = { simclr: 0, moco: 0 };
/** An experiment saved without a run (what the Export view offers for pytorch-project). */
let runless = 0;
/** Methods exported from experiments that never ran (SwAV with its queue split over the ranks). */
const FROM_EXPERIMENTS = ['memory-bank', 'pirl', 'triplet', 'margin-contrastive', 'swav', 'byol', 'simsiam', 'barlow-twins', 'vicreg', 'dino', 'autoencoder'] as const;
type FromExperiment = (typeof FROM_EXPERIMENTS)[number];
const OVERRIDES: Partial<Record<FromExperiment, Record<string, unknown>>> = {
  swav: { queueSize: 4, smallCrops: 2, freezePrototypesSteps: 1, prototypes: 6 },
  dino: { smallCrops: 2 },
  autoencoder: { corruption: 'mask', maskPatch: 4 },
};
const experiments = {} as Record<FromExperiment, number>;

beforeAll(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  root = t.dir;
  home = join(root, 'home');
  services = createServices({ home, front: 'browser' });
  await services.datasets.import({ dir: await makeImageFolder(join(root, 'shapes')), size: 16, valFraction: 0.34, seed: 0 });
  // epochs 0: a baseline run is enough, the export needs only the run's experiment and dataset.
  for (const method of ['simclr', 'moco'] as const) {
    const overrides = method === 'moco' ? { queueSize: 16 } : {};
    // SimCLR's experiment caches gradients (chunks of 4 of the 8 views): the project says it does not.
    const gradientCache = method === 'simclr' ? { gradientCache: { chunkSize: 4 } } : {};
    const { id } = services.experiments.create({ datasetId: 1, method, epochs: 0, batchSize: 4, methodOverrides: overrides, optimizer: { name: 'sgd', learningRate: 0.05 }, ...gradientCache });
    const run = services.runs.start(id);
    runs[method] = run.runId;
    await run.done;
  }
  runless = services.experiments.create({ name: 'never run', datasetId: 1, method: 'simclr', epochs: 1, batchSize: 4 }).id;
  for (const method of FROM_EXPERIMENTS) {
    experiments[method] = services.experiments.create({ datasetId: 1, method, epochs: 1, batchSize: 4, methodOverrides: OVERRIDES[method] ?? {}, optimizer: { name: 'sgd', learningRate: 0.05 } }).id;
  }
}, 60_000);
afterAll(async () => {
  await services.close();
  cleanup();
});

function resolvedOf(runId: number): ResolvedExperiment {
  const run = services.runs.get(runId);
  return services.experiments.resolve(services.experiments.get(run.experiment_id));
}

const resolvedExperiment = (id: number): ResolvedExperiment => services.experiments.resolve(services.experiments.get(id));

describe('training plan', () => {
  it('reads the workbench encoder table and scales widths as the tfjs encoder does', () => {
    const small = encoderPlan({ ...resolvedOf(runs.simclr).method, encoder: { name: 'small', widthMultiplier: 0.3, batchNormMomentum: 0.9 } });
    const built = buildEncoder({ name: 'small', inputShape: [16, 16, 3], widthMultiplier: 0.3, seed: 0 });
    expect(small.featureDim).toBe(featureDim(built));
    built.dispose();
    const plan = encoderPlan({ ...resolvedOf(runs.simclr).method, encoder: { name: 'resnet50', widthMultiplier: 0.5, batchNormMomentum: 0.9 } });
    expect(plan).toMatchObject({ stem: 'imagenet', block: 'bottleneck', stemWidth: 32, widths: [32, 64, 128, 256], blocks: [3, 4, 6, 3], featureDim: 1024, torchBatchNormMomentum: 0.1 });
  });

  it('golden: the views carry the experiment’s augmentation ops with every default, at the view size', () => {
    const resolved = resolvedOf(runs.simclr);
    const plan = trainingPlan(resolved, { kind: 'folder' });
    const preset = loadAugmentPreset('simclr');
    expect(plan.views.map((v) => [v.name, v.size])).toEqual([
      ['view-1', 16],
      ['view-2', 16],
    ]);
    for (const view of plan.views) expect(view.ops).toEqual(preset.views[0]!.ops);
    expect(plan.views[0]!.ops[2]).toEqual({ op: 'color-jitter', p: 0.8, brightness: 0.8, contrast: 0.8, saturation: 0.8, hue: 0.2, randomOrder: true });
    expect(plan.views[0]!.ops[4]).toEqual({ op: 'gaussian-blur', p: 0.5, sigma: [0.1, 2], referenceSize: 224 });
    expect(plan).toMatchObject<Partial<TrainingPlan>>({ batchSize: 4, imageSize: 16, epochs: 0, seed: 0, optimizer: { name: 'sgd', learningRate: 0.05, momentum: 0.9, weightDecay: 5e-4 } });
  });

  it('golden: SwAV crops come from the method config (counts, small size), ops from the spec', () => {
    const resolved = resolvedOf(runs.simclr);
    const swav = { ...resolved, method: { ...resolved.method, method: 'swav', temperature: 0.1, prototypes: 6, sinkhornEpsilon: 0.05, sinkhornIterations: 3, largeCrops: 2, smallCrops: 3, smallCropScale: 0.4375, freezePrototypesSteps: 0, queueSize: 0 } as const };
    const plan = trainingPlan({ ...swav, experiment: { ...resolved.experiment, method: 'swav' }, augment: loadAugmentPreset('swav-multicrop') }, { kind: 'folder' });
    expect(plan.views.map((v) => [v.group, v.size])).toEqual([
      ['global', 16],
      ['global', 16],
      ['local', 7],
      ['local', 7],
      ['local', 7],
    ]);
    expect(plan.views[2]!.ops[0]).toEqual({ op: 'random-resized-crop', p: 1, scale: [0.05, 0.14], ratio: [0.75, 1.3333333333] });
  });

  it('golden: memory-bank, PIRL, triplet and margin-contrastive carry their hyper-parameters and views', () => {
    const bank = trainingPlan(resolvedExperiment(experiments['memory-bank']), { kind: 'folder' });
    expect(bank.method).toMatchObject({ method: 'memory-bank', temperature: 0.07, negatives: 4096, bankMomentum: 0.5 });
    expect(bank.views.map((v) => [v.name, v.size])).toEqual([['view', 16]]);
    expect(bank.views[0]!.ops).toEqual(loadAugmentPreset('simclr').views[0]!.ops);
    expect(bank.jigsaw).toBeNull();

    const pirl = trainingPlan(resolvedExperiment(experiments.pirl), { kind: 'folder' });
    const jigsawPreset = loadAugmentPreset('pirl-jigsaw');
    expect(pirl.method).toMatchObject({ method: 'pirl', temperature: 0.07, negatives: 4096, bankMomentum: 0.5, lambda: 0.5, jigsaw: { grid: 3, tileUnits: 128 } });
    expect(pirl.views.map((v) => [v.name, v.size])).toEqual([['image', 16]]);
    expect(pirl.views[0]!.ops).toEqual(jigsawPreset.views[0]!.ops);
    expect(pirl.views[0]!.ops[0]).toEqual({ op: 'random-resized-crop', p: 1, scale: [0.2, 1], ratio: [0.75, 1.3333333333] });
    expect(pirl.jigsaw).toMatchObject({ grid: 3, jitter: 0.15, tileSize: 5 });
    expect(pirl.jigsaw!.tileOps).toEqual(jigsawPreset.jigsaw!.tileOps);
    expect(pirl.jigsaw!.tileOps[1]).toEqual({ op: 'color-jitter', p: 0.8, brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1, randomOrder: true });
    // The very permutation set the workbench cuts with: 100 permutations of the 9 cells.
    expect(pirl.jigsaw!.permutations).toEqual(jigsawPermutations(3, 100, 0));
    expect(pirl.jigsaw!.permutations).toHaveLength(100);
    for (const perm of pirl.jigsaw!.permutations) expect([...perm].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);

    const triplet = trainingPlan(resolvedExperiment(experiments.triplet), { kind: 'folder' });
    expect(triplet.method).toMatchObject({ method: 'triplet', margin: 0.2, mining: 'semi-hard', normalize: true });
    expect(triplet.views.map((v) => v.name)).toEqual(['view-1', 'view-2']);
    const margin = trainingPlan(resolvedExperiment(experiments['margin-contrastive']), { kind: 'folder' });
    expect(margin.method).toMatchObject({ method: 'margin-contrastive', margin: 1, normalize: true });
    expect(margin.views).toHaveLength(2);
    expect(margin.jigsaw).toBeNull();
  });

  it('asks each method for the views the workbench method itself declares', () => {
    for (const method of METHOD_NAMES) {
      const config = mergeMethodConfig(loadMethodPreset(method));
      const built = createMethod(method, config, { imageSize: 16, channels: 3, datasetSize: 8, seed: 0 });
      try {
        expect(viewsNeeded(config, 16), method).toEqual(built.viewsNeeded);
      } finally {
        built.dispose();
      }
    }
  });

  it('refuses what it cannot translate, naming every field, and writes nothing', async () => {
    const resolved = resolvedOf(runs.simclr);
    const augment = { ...resolved.augment, positives: { source: 'temporal' as const, maxFrameGap: 2 }, views: [{ ...resolved.augment.views[0]!, ops: [{ op: 'normalize' as const }] }] };
    expect(() => trainingPlan({ ...resolved, augment }, { kind: 'idx' })).toThrow(/datasetId: .*IDX.*augment\.positives\.source: "temporal".*augment\.views\[0\]\.ops\[0\]: normalize/);
    const pirl = resolvedExperiment(experiments.pirl);
    const tiles = { ...pirl.augment, jigsaw: { ...pirl.augment.jigsaw!, grid: 2, tileOps: [{ op: 'normalize' as const }] } };
    expect(() => trainingPlan({ ...pirl, augment: tiles }, { kind: 'folder' })).toThrow(
      /augment\.jigsaw\.tileOps\[0\]: normalize without .*; methodOverrides\.jigsaw\.grid: 3 differs from augment\.jigsaw\.grid 2/,
    );
    const rotation = { ...resolved.augment, kind: 'rotation' as const, views: [{ ...resolved.augment.views[0]!, count: 1 }] };
    expect(() => trainingPlan({ ...resolved, augment: rotation }, { kind: 'folder' })).toThrow(/augment: the method needs "pair" views but the augmentation spec makes "rotation" views/);
    // Through the CLI: the same one line, and no folder.
    const mismatched = services.experiments.create({ datasetId: 1, method: 'pirl', epochs: 1, batchSize: 4, methodOverrides: { jigsaw: { grid: 2 } } }).id;
    const out = join(root, 'refused');
    const r = await runCli(['--home', home, 'export', '--experiment', String(mismatched), '--format', 'pytorch-project', '--out', out]);
    expect(r.code).not.toBe(0);
    expect(cwbErrorLine(r.stderr)).toMatch(/cannot export this experiment as a PyTorch project: methodOverrides\.jigsaw\.grid: 2 differs from augment\.jigsaw\.grid 3/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('export from an experiment without a run', () => {
  it('cwb export --experiment writes the project and records it against the experiment', async () => {
    const listed = services.experiments.list();
    expect(listed.find((e) => e.id === runless)).toMatchObject({ name: 'never run', method: 'simclr', runs: 0 });
    expect(listed.find((e) => e.id === services.runs.get(runs.simclr).experiment_id)).toMatchObject({ method: 'simclr', runs: 1 });
    const out = join(root, 'runless-project');
    const r = await runCli(['--home', home, 'export', '--experiment', String(runless), '--format', 'pytorch-project', '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ runId: null, experimentId: runless, format: 'pytorch-project' });
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { source: { runId: number | null; experimentId: number; experimentName: string }; plan: { epochs: number } };
    expect(config.source).toMatchObject({ runId: null, experimentId: runless, experimentName: 'never run' });
    expect(config.plan.epochs).toBe(1);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain('never run');
    const record = services.exports.list().find((e) => e.outDir === out);
    expect(record).toMatchObject({ runId: null, experimentId: runless, format: 'pytorch-project' });
    // Run exports carry their run's experiment too.
    const viaRun = await services.exports.create({ runId: runs.simclr, format: 'pytorch-project', outDir: join(root, 'via-run'), force: false });
    expect(viaRun).toMatchObject({ runId: runs.simclr, experimentId: services.runs.get(runs.simclr).experiment_id });
  });

  it('refuses an unknown experiment, a format that needs a run, and neither or both ids', async () => {
    const unknown = await runCli(['--home', home, 'export', '--experiment', '999', '--format', 'pytorch-project', '--out', join(root, 'none')]);
    expect(unknown.code).not.toBe(0);
    expect(cwbErrorLine(unknown.stderr)).toMatch(/no experiment with id 999/);
    const onnx = await runCli(['--home', home, 'export', '--experiment', String(runless), '--format', 'onnx', '--out', join(root, 'onnx')]);
    expect(onnx.code).not.toBe(0);
    expect(cwbErrorLine(onnx.stderr)).toMatch(/format: onnx exports a trained encoder and needs a run \(runId\); only pytorch-project can be exported from an experiment/);
    expect(existsSync(join(root, 'none'))).toBe(false);
    expect(existsSync(join(root, 'onnx'))).toBe(false);
    const schema = (request: object) => ExportRequestSchema.safeParse({ format: 'pytorch-project', outDir: '/x', ...request });
    expect(schema({}).error?.issues[0]?.message).toMatch(/a run \(runId\) or, for pytorch-project, an experiment \(experimentId\) is required/);
    expect(schema({ runId: 1, experimentId: 1 }).error?.issues[0]?.message).toBe('give a run or an experiment, not both');
    expect(schema({ experimentId: 1 }).success).toBe(true);
  }, 60_000);
});

function runLocal(dir: string): Promise<{ code: number | null; output: string }> {
  return spawnOutput(join(dir, 'run_local.sh'), [], dir);
}

function spawnOutput(command: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, PYTHON, STEPS: '2' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe.skipIf(!hasTorch)('generated project under torchrun (2 CPU ranks, gloo)', () => {
  it('simclr: cwb export → run_local.sh → encoder.onnx → cwb import-encoder → cwb eval knn --encoder', async () => {
    const out = join(root, 'simclr-project');
    const exported = await runCli(['--home', home, 'export', '--run', String(runs.simclr), '--format', 'pytorch-project', '--out', out, '--json']);
    expect(exported.code, exported.stderr).toBe(0);
    const reply = JSON.parse(exported.stdout) as { format: string; files: string[] };
    expect(reply.format).toBe('pytorch-project');
    expect(reply.files).toEqual(expect.arrayContaining(['train.py', 'export_onnx.py', 'run_local.sh', 'requirements.txt', 'README.md', 'config.json']));
    expect(statSync(join(out, 'run_local.sh')).mode & 0o111).not.toBe(0);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { onnx: { inputName: string; featuresName: string; opset: number }; splits: { val: string[] } };
    expect(config.onnx).toEqual({ inputName: ONNX_INPUT_NAME, featuresName: ONNX_FEATURES_NAME, opset: 13 });
    expect(config.splits.val).toHaveLength(4);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toMatch(/torchrun --nnodes \d+ --nproc_per_node \d+[\s\S]*#SBATCH/);
    expect(services.exports.list(runs.simclr).map((e) => e.format)).toContain('pytorch-project');

    const trained = await runLocal(out);
    expect(trained.code, trained.output).toBe(0);
    expect(trained.output).toMatch(/2 rank\(s\) on cpu, batch 4 \(2 per rank\)/);
    expect(trained.output).toMatch(/"event": "done", "steps": 2/);
    expect(trained.output).toContain('gradient caching (config.json -> experiment.gradientCache) is not used here');
    expect(existsSync(join(out, 'encoder.onnx'))).toBe(true);

    const imported = await runCli(['--home', home, 'import-encoder', join(out, 'encoder.onnx'), '--name', 'simclr via DDP', '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    const encoder = JSON.parse(imported.stdout) as { encoderId: number; inputSize: number; channels: number; layout: string; outputDim: number };
    expect(encoder).toMatchObject({ inputSize: 16, channels: 3, layout: 'NCHW', outputDim: 64 });
    const knn = await runCli(['--home', home, 'eval', 'knn', '--encoder', String(encoder.encoderId), '--dataset', '1', '--json']);
    expect(knn.code, knn.stderr).toBe(0);
    const accuracy = (JSON.parse(knn.stdout) as { accuracy: number }).accuracy;
    expect(accuracy).toBeGreaterThanOrEqual(0);
    expect(accuracy).toBeLessThanOrEqual(1);
  }, 120_000);

  it('distributed pieces equal the single-device definitions over the global batch (float64, 2 ranks)', async () => {
    const project = join(root, 'check-project');
    mkdirSync(project);
    for (const [name, text] of Object.entries(pythonFiles())) writeFileSync(join(project, name), text);
    const script = fileURLToPath(new URL('./pytorch-distributed-check.py', import.meta.url));
    const port = await freeLocalPort();
    const run = await spawnOutput(PYTHON, ['-m', 'torch.distributed.run', '--nnodes=1', '--rdzv_backend=c10d', `--rdzv_endpoint=127.0.0.1:${port}`, `--rdzv_id=check-${port}`, '--nproc_per_node', '2', '--redirects', '2', '--tee', '2', script, project], project);
    expect(run.code, run.output).toBe(0);
    const line = run.output.split('\n').find((l) => l.includes('"bank"')) ?? '';
    const check = JSON.parse(line.slice(line.indexOf('{'))) as Record<string, unknown> & Record<'ntXent' | 'triplet-random' | 'triplet-semi-hard' | 'marginContrastive', { loss: number; grad: number; value: number }>;
    expect(check).toMatchObject({ bankSameOnEveryRank: true, negativesSameOnEveryRank: true });
    expect(check['bank']).toBeLessThan(1e-12);
    for (const name of ['ntXent', 'triplet-random', 'triplet-semi-hard', 'marginContrastive'] as const) {
      expect(check[name].loss, name).toBeLessThan(1e-12);
      expect(check[name].grad, name).toBeLessThan(1e-12);
      expect(check[name].value, name).toBeGreaterThan(0);
    }
    for (const name of ['negativeCosine', 'barlowTwins', 'vicreg'] as const) {
      const c = check[name] as { loss: number; grad: number; value: number };
      expect(c.loss, name).toBeLessThan(1e-12);
      expect(c.grad, name).toBeLessThan(1e-12);
      expect(Math.abs(c.value), name).toBeGreaterThan(0);
    }
    expect(check['dinoCenter']).toBeLessThan(1e-12);
    // SwAV assignments of all 7 images (4 + 3 per Sinkhorn batch) over 2 ranks equal one process's.
    expect(check['gatherRows']).toBe(0);
    expect(check['assignments']).toMatchObject({ same: true, count: 7 });
    expect((check['assignments'] as { entropy: number }).entropy).toBeLessThan(1e-12);
    // Semi-hard mining really picks other negatives than the random shift.
    expect(check['triplet-semi-hard'].value).not.toBeCloseTo(check['triplet-random'].value, 6);
  }, 60_000);

  it('golden: augment.build_jigsaw cuts the tiles the workbench cuts (same params, 15 px images, 3×3, jitter 0.15)', async () => {
    await initBackend('cpu');
    const project = join(root, 'jigsaw-check');
    mkdirSync(project);
    for (const [name, text] of Object.entries(pythonFiles())) writeFileSync(join(project, name), text);
    const spec = { grid: 3, permutations: 100, permutationSeed: 0, jitter: 0.15 };
    const params = [0, 1].map((i) => ({
      permutationIndex: [7, 93][i]!,
      offsets: Array.from({ length: 9 }, (_, c) => [((c * 5 + i) % 7) / 7 * 0.75, ((c * 3 + 2 * i) % 5) / 5 * 0.75]),
    }));
    const images = tf.randomUniform([2, 15, 15, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const cut = applyJigsaw(images, params, spec);
    const expected = Array.from(cut.tiles.dataSync());
    const pixels = Array.from(images.dataSync());
    tf.dispose([images, cut.tiles]);
    const jigsaw = { grid: 3, jitter: 0.15, tileSize: 5, permutations: jigsawPermutations(3, 100, 0), tileOps: [] };
    // A scripted rng replays the params in the order build_jigsaw draws them: the permutation, then (dy, dx) per cell.
    const script = `
import json, sys, torch
sys.path.insert(0, sys.argv[1])
from augment import build_jigsaw
data = json.load(sys.stdin)
draws = [v for p in data["params"] for v in [p["permutationIndex"]] + [x for o in p["offsets"] for x in o]]
class Scripted:
    def randrange(self, n):
        v = draws.pop(0); assert 0 <= v < n; return v
    def uniform(self, lo, hi):
        v = draws.pop(0); assert lo <= v <= hi, (lo, v, hi); return v
images = torch.tensor(data["pixels"]).view(2, 15, 15, 3).permute(0, 3, 1, 2)
tiles = build_jigsaw(images, data["jigsaw"], Scripted())
assert not draws
print(json.dumps({"shape": list(tiles.shape), "tiles": tiles.permute(0, 2, 3, 1).reshape(-1).tolist()}))
`;
    const child = spawnSync(PYTHON, ['-c', script, project], { input: JSON.stringify({ params, pixels, jigsaw }), encoding: 'utf8' });
    expect(child.status, child.stderr).toBe(0);
    const got = JSON.parse(child.stdout) as { shape: number[]; tiles: number[] };
    expect(got.shape).toEqual([18, 3, 5, 5]);
    expect(cut.tileSize).toEqual({ height: 5, width: 5 });
    expect(got.tiles).toHaveLength(expected.length);
    const worst = Math.max(...got.tiles.map((v, i) => Math.abs(v - expected[i]!)));
    expect(worst).toBeLessThan(1e-5);
  }, 60_000);

  /** export --experiment → run_local.sh (2 ranks, 2 steps) → import-encoder → eval knn, through the real CLI. */
  async function trainAndScore(method: FromExperiment): Promise<number> {
    const out = join(root, `${method}-project`);
    const exported = await runCli(['--home', home, 'export', '--experiment', String(experiments[method]), '--format', 'pytorch-project', '--out', out]);
    expect(exported.code, exported.stderr).toBe(0);
    const trained = await runLocal(out);
    expect(trained.code, trained.output).toBe(0);
    expect(trained.output).toMatch(new RegExp(`${method} on 8 images, 2 rank\\(s\\) on cpu, batch 4 \\(2 per rank\\)`));
    const losses = [...trained.output.matchAll(/"loss": ([-\d.e]+)/g)].map((m) => Number(m[1]));
    expect(losses).toHaveLength(2);
    for (const loss of losses) expect(Number.isFinite(loss)).toBe(true);
    const imported = await runCli(['--home', home, 'import-encoder', join(out, 'encoder.onnx'), '--name', `${method} via DDP`, '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    const encoder = JSON.parse(imported.stdout) as { encoderId: number; inputSize: number; channels: number; outputDim: number };
    expect(encoder).toMatchObject({ inputSize: 16, channels: 3, outputDim: 64 });
    const knn = await runCli(['--home', home, 'eval', 'knn', '--encoder', String(encoder.encoderId), '--dataset', '1', '--json']);
    expect(knn.code, knn.stderr).toBe(0);
    return (JSON.parse(knn.stdout) as { accuracy: number }).accuracy;
  }

  for (const method of FROM_EXPERIMENTS) {
    it(`${method}: cwb export --experiment → run_local.sh → encoder.onnx → import-encoder → kNN`, async () => {
      const accuracy = await trainAndScore(method);
      expect(accuracy).toBeGreaterThanOrEqual(0);
      expect(accuracy).toBeLessThanOrEqual(1);
    }, 120_000);
  }

  it('moco: the queue and EMA key encoder train across both ranks and export', async () => {
    const out = join(root, 'moco-project');
    await services.exports.create({ runId: runs.moco, format: 'pytorch-project', outDir: out, force: false });
    const trained = await runLocal(out);
    expect(trained.code, trained.output).toBe(0);
    expect(trained.output).toMatch(/moco on 8 images, 2 rank\(s\)/);
    expect(trained.output).not.toContain('gradient caching');
    expect(existsSync(join(out, 'encoder.onnx'))).toBe(true);
  }, 90_000);
});
