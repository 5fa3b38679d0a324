/**
 * Runs: queue them (one at a time), execute them in the engine worker, and record everything the
 * worker reports — state, backend, per-step metrics in batched transactions, checkpoints, per-epoch
 * kNN accuracy and SwAV assignments. Pause is a cancel that keeps the run resumable.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { WorkbenchError } from '../../shared/errors';
import type { TrainResult } from '../engine/protocol';
import type { MetricPoint } from '../store/repositories/metrics';
import { hasTorchCheckpoint, PytorchInterrupted, runPytorch } from '../engine/pytorch/runner';
import { checkpointFile } from '../engine/run-state';
import type { RunRow } from '../store/repositories/runs';
import type { Run } from '../../shared/schemas/runs';
import type { AugmentSpec } from '../../shared/schemas/augment';
import type { ServiceContext } from './context';
import type { DatasetsService } from './datasets';
import { trainingAugment, type ExperimentsService } from './experiments';
import type { PreviewsService } from './previews';
import { RunRecorder, type RunListener } from './run-recorder';
import { runInputs, runModelRequest, splitsOf } from './run-model';
import { trainDataFor } from './training-data';

export type { RunListener } from './run-recorder';

export interface StartOptions {
  backend?: string;
  /** PyTorch engine only: force the CPU (tests, benchmarks) or CUDA; default auto. */
  device?: 'auto' | 'cpu' | 'cuda';
  listener?: RunListener;
}

interface Active {
  controller: AbortController;
  /** What a stop request turns the run into. */
  stopAs: 'cancelled' | 'paused';
}

/** Out-of-memory failures get a sentence that says what to change; the last checkpoint stays. */
export function explainFailure(message: string): string {
  if (/out of memory|\bOOM\b|Aborted\(|allocation failed|Cannot enlarge memory|Array buffer allocation/i.test(message)) {
    return `the run ran out of memory (${message.split('\n')[0]}); lower the batch size or image size — on wasm the heap is 4 GiB — the last checkpoint is kept`;
  }
  return message;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class RunsService {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly active = new Map<number, Active>();
  /** Points of running runs not yet written (flushed every few steps and with each checkpoint). */
  /** The recorder of each run training in this process (its metrics not yet flushed are served too). */
  private readonly recorders = new Map<number, RunRecorder>();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly experiments: ExperimentsService,
    private readonly datasets: DatasetsService,
    private readonly previews: PreviewsService,
  ) {}

  /** Runs left "running" by a process that died (kill -9, crash) become paused: resumable from their last checkpoint. */
  recoverInterrupted(): number[] {
    const orphans = this.ctx.store.runs.orphans(isAlive);
    for (const run of orphans) {
      this.ctx.store.runs.setStatus(run.id, 'paused', 'interrupted: the process running it ended; resume continues from the last checkpoint');
      this.ctx.store.runs.setOwner(run.id, null);
    }
    return orphans.map((r) => r.id);
  }

  get(runId: number): RunRow {
    const row = this.ctx.store.runs.get(runId);
    if (!row) throw new WorkbenchError('NOT_FOUND', `no run with id ${runId}`);
    return row;
  }

  list(): RunRow[] {
    return this.ctx.store.runs.list();
  }

  /** The contract's view of a run row (camelCase, with its experiment's name and method). */
  describe(row: RunRow): Run {
    const experiment = this.ctx.store.experiments.get(row.experiment_id);
    const config = experiment ? (JSON.parse(experiment.config_json) as { method?: string }) : {};
    return {
      id: row.id,
      experimentId: row.experiment_id,
      experimentName: experiment?.name ?? '',
      method: config.method ?? '',
      datasetId: experiment?.dataset_id ?? null,
      status: row.status,
      backend: row.backend,
      device: row.device,
      backendReason: row.backend_reason,
      error: row.error,
      summary: JSON.parse(row.summary_json) as Record<string, unknown>,
      ...(experiment ? { experiment: JSON.parse(experiment.config_json) as Record<string, unknown> } : {}),
      createdAt: row.created_at,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      name: row.name ?? null,
      tags: JSON.parse(row.tags_json ?? '[]') as string[],
      note: row.note ?? '',
    };
  }

  /**
   * Stored series of a run plus, for a running run, the points not yet flushed — so a view that
   * comes back to a running run gets every step up to now, not a gap it would draw as a straight line.
   */
  metrics(runId: number, names: readonly string[]): Record<string, { step: number; epoch: number; value: number; wallTime: number | null }[]> {
    this.get(runId);
    const pending = this.recorders.get(runId)?.unflushed() ?? [];
    const out: Record<string, { step: number; epoch: number; value: number; wallTime: number | null }[]> = {};
    const row = ({ step, epoch, value, wallTime }: MetricPoint) => ({ step, epoch, value, wallTime: wallTime ?? null });
    for (const name of names) {
      const stored = this.ctx.store.metrics.series(runId, name).map(row);
      const last = stored.at(-1)?.step ?? Number.NEGATIVE_INFINITY;
      const recent = pending.filter((p) => p.name === name && p.step > last).map(row);
      out[name] = [...stored, ...recent];
    }
    return out;
  }

  /** Queue a new run of an experiment. `done` settles when it finishes, fails or stops. */
  start(experimentId: number, options: StartOptions = {}): { runId: number; done: Promise<TrainResult> } {
    this.experiments.get(experimentId);
    const runId = this.ctx.store.runs.insert(experimentId);
    this.ctx.store.runs.setOwner(runId, process.pid);
    return { runId, done: this.enqueue(runId, false, options) };
  }

  /** Continue a paused, cancelled or interrupted run from its last checkpoint. */
  resume(runId: number, options: StartOptions = {}): { runId: number; done: Promise<TrainResult> } {
    const run = this.get(runId);
    if (run.status === 'running' || run.status === 'queued') throw new WorkbenchError('CONFLICT', `run ${runId} is already ${run.status}`);
    if (run.status === 'completed') throw new WorkbenchError('CONFLICT', `run ${runId} has completed; start a new run to train further`);
    this.ctx.store.runs.setStatus(runId, 'queued');
    this.ctx.store.runs.setOwner(runId, process.pid);
    return { runId, done: this.enqueue(runId, true, options) };
  }

  /** Stop a queued or running run; `pause` keeps it resumable, `cancel` ends it (its checkpoints stay). */
  stop(runId: number, as: 'cancelled' | 'paused'): void {
    const active = this.active.get(runId);
    if (!active) throw new WorkbenchError('CONFLICT', `run ${runId} is not running in this process`);
    active.stopAs = as;
    active.controller.abort();
  }

  private enqueue(runId: number, resume: boolean, options: StartOptions): Promise<TrainResult> {
    const active: Active = { controller: new AbortController(), stopAs: 'cancelled' };
    this.active.set(runId, active);
    const done = this.tail.then(() => this.execute(runId, resume, active, options));
    this.tail = done.catch(() => undefined);
    return done.finally(() => this.active.delete(runId));
  }

  private async execute(runId: number, resume: boolean, active: Active, options: StartOptions): Promise<TrainResult> {
    const store = this.ctx.store;
    const run = this.get(runId);
    if (active.controller.signal.aborted) {
      store.runs.setStatus(runId, active.stopAs);
      store.runs.setOwner(runId, null);
      throw new WorkbenchError('CANCELLED', `run ${runId} was stopped before it started`);
    }
    if (this.experiments.get(run.experiment_id).engine === 'pytorch') return this.executePytorch(runId, resume, active, options);
    return this.settle(runId, active, 'tfjs', async (begin) => {
      const { experiment, resolved, data, checkpoint: latest } = await runInputs(this.ctx, this.experiments, this.datasets, run);
      const checkpoint = resume ? latest : undefined;
      if (resume && !checkpoint) throw new WorkbenchError('CONFLICT', `run ${runId} has no checkpoint to resume from; start a new run`);
      const record = begin(new RunRecorder(this.ctx, runId, data.trainImageIds, options.listener));
      if (!resume) await this.recordPretextPreview(runId, experiment.datasetId, trainingAugment(resolved), experiment.seed);
      const result = await this.ctx.engine.call(
        'train',
        {
          runId,
          model: runModelRequest(resolved, data, { backend: options.backend }),
          data: splitsOf(data),
          augment: resolved.augment,
          optimizer: experiment.optimizer,
          schedule: experiment.schedule,
          batchSize: experiment.batchSize,
          epochs: experiment.epochs,
          evaluation: experiment.evaluation,
          checkpointEverySteps: experiment.checkpointEverySteps,
          ...(experiment.maxStepsPerEpoch !== undefined ? { maxStepsPerEpoch: experiment.maxStepsPerEpoch } : {}),
          ...(experiment.gradientCache ? { gradientCache: experiment.gradientCache } : {}),
          checkpointDir: join(this.ctx.home, 'checkpoints', `run-${runId}`),
          ...(checkpoint ? { resumeFrom: checkpoint.path } : {}),
        },
        { signal: active.controller.signal, onEvent: (e) => record.record(e) },
      );
      return { result, summary: { ...result } };
    });
  }

  /**
   * How a run of either engine ends, recorded once: `train` gets `begin`, which registers the run's
   * recorder and marks it running; its result settles the run as completed, or paused/cancelled when
   * it was stopped (with the summary, when there is one); a failure settles it failed with one line
   * (a tfjs out-of-memory explained; train.py's failure line already carries its own hint), a
   * PyTorch process killed from outside paused and resumable.
   */
  private async settle(runId: number, active: Active, engine: 'tfjs' | 'pytorch', train: (begin: (recorder: RunRecorder) => RunRecorder) => Promise<{ result: TrainResult; summary: Record<string, unknown> | null }>): Promise<TrainResult> {
    const store = this.ctx.store;
    let recorder: RunRecorder | undefined;
    const begin = (r: RunRecorder): RunRecorder => {
      recorder = r;
      this.recorders.set(runId, r);
      store.runs.setStatus(runId, 'running');
      this.ctx.emit('runs:state', { runId, status: 'running' });
      return r;
    };
    try {
      const { result, summary } = await train(begin);
      recorder?.flush();
      const status = result.status === 'cancelled' ? active.stopAs : 'completed';
      if (summary) store.runs.setSummary(runId, summary);
      store.runs.setStatus(runId, status);
      this.ctx.emit('runs:state', { runId, status });
      return result;
    } catch (err) {
      recorder?.flush();
      if (err instanceof PytorchInterrupted) {
        store.runs.setStatus(runId, 'paused', err.message);
        this.ctx.emit('runs:state', { runId, status: 'paused', error: err.message });
        throw new WorkbenchError('CANCELLED', `run ${runId} ${err.message}`);
      }
      if (active.controller.signal.aborted && err instanceof WorkbenchError && err.code === 'CANCELLED') {
        // stopped after "running" but before (or while) the engine took the call: a stop, not a failure
        store.runs.setStatus(runId, active.stopAs);
        this.ctx.emit('runs:state', { runId, status: active.stopAs });
        throw err;
      }
      const line = err instanceof Error ? err.message : String(err);
      const message = engine === 'tfjs' ? explainFailure(line) : line;
      store.runs.setStatus(runId, 'failed', message);
      this.ctx.emit('runs:state', { runId, status: 'failed', error: message });
      throw err;
    } finally {
      this.recorders.delete(runId);
      store.runs.setOwner(runId, null);
    }
  }

  /** The run's PyTorch project folder in the workspace (project files, feed.json, output/). */
  pytorchDir(runId: number): string {
    return join(this.ctx.home, 'runs', `run-${runId}`, 'pytorch');
  }

  /**
   * A PyTorch-engine run (src/main/engine/pytorch/runner.ts): the same recorder as a tfjs run; each
   * checkpoint's encoder is loaded into the run's tfjs method by the engine worker (verified to
   * 1e-4 on a probe) and recorded as the run's checkpoint, so kNN, linear, embeddings and exports
   * use it unchanged. A Python killed from outside leaves the run paused and resumable.
   */
  private executePytorch(runId: number, resume: boolean, active: Active, options: StartOptions): Promise<TrainResult> {
    const store = this.ctx.store;
    const run = this.get(runId);
    return this.settle(runId, active, 'pytorch', async (begin) => {
      const experiment = this.experiments.get(run.experiment_id);
      const resolved = this.experiments.resolve(experiment);
      const data = await trainDataFor(this.ctx, this.datasets, experiment.datasetId);
      const dataset = store.datasets.get(experiment.datasetId);
      if (!dataset) throw new WorkbenchError('NOT_FOUND', `no dataset with id ${experiment.datasetId}`);
      const dir = this.pytorchDir(runId);
      if (resume && !hasTorchCheckpoint(dir)) throw new WorkbenchError('CONFLICT', `run ${runId} has no PyTorch checkpoint to resume from; start a new run`);
      const rec = begin(new RunRecorder(this.ctx, runId, data.trainImageIds, options.listener));
      if (!resume) await this.recordPretextPreview(runId, experiment.datasetId, resolved.augment, experiment.seed);
      const checkpointDir = join(this.ctx.home, 'checkpoints', `run-${runId}`);
      const result = await runPytorch(
        {
          project: {
            resolved,
            dataset: { id: dataset.id, name: dataset.name, rootPath: dataset.root_path, kind: dataset.kind, imageSize: dataset.image_size, channels: dataset.channels, classes: data.classes },
            valPaths: [],
            source: { runId, experimentId: run.experiment_id, experimentName: store.experiments.get(run.experiment_id)?.name ?? `experiment ${run.experiment_id}`, workbenchVersion: this.ctx.version },
            feed: true,
          },
          dir,
          data: { cacheFile: data.cacheFile, train: data.train, val: data.val, numClasses: data.numClasses },
          resume,
          ...(options.device ? { device: options.device } : {}),
        },
        {
          signal: active.controller.signal,
          stopAs: () => (active.stopAs === 'paused' ? 'pause' : 'cancel'),
          onEvent: async (event, payload) => {
            if (event !== 'checkpoint') return rec.recordStream(event, payload);
            const step = Number(payload['step']);
            const epoch = Number(payload['epoch']);
            const adopted = await this.ctx.engine.call('adoptTorchEncoder', {
              model: runModelRequest(resolved, data),
              weightsFile: String(payload['path']),
              ...(typeof payload['methodPath'] === 'string' ? { methodWeightsFile: payload['methodPath'] } : {}),
              probe: payload['probe'] as { count: number; features: number[] },
              outFile: checkpointFile(checkpointDir, step),
              position: { step, epoch, batchInEpoch: Number(payload['batch'] ?? 0) },
              extra: { torchCheckpoint: payload['checkpoint'] },
            });
            rec.record({ event: 'checkpoint', payload: { path: adopted.path, step, epoch, bytes: adopted.bytes } });
            // The per-checkpoint weights files are train.py's hand-over to this step; the run's checkpoint now holds them.
            for (const file of [payload['path'], payload['methodPath']]) if (/(encoder|method)-step-\d+\.\d+\.safetensors$/.test(String(file))) rmSync(String(file), { force: true });
          },
        },
      );
      const summary: TrainResult = { runId, status: result.status, epochs: result.epochs, steps: result.steps, finalLoss: result.finalLoss, imagesPerSecond: result.imagesPerSecond, knnAccuracy: result.knnAccuracy, backend: 'pytorch' };
      return { result: summary, summary: result.status === 'completed' ? { ...summary, engine: 'pytorch', python: result.python.reason } : null };
    });
  }

  /**
   * `cwb import-run <folder>`: a generated PyTorch project trained elsewhere (a cluster) comes home
   * as a run — its experiment (config.json), the curves and evaluations of output/metrics.jsonl
   * through the same recorder as a live run, and its encoder (output/encoder.safetensors, verified
   * on the probe of the last checkpoint event) as the run's checkpoint. A stream without "done"
   * (the run is still going) is imported as paused.
   */
  async importRun(folder: string): Promise<{ runId: number; experimentId: number; status: 'completed' | 'paused'; steps: number; events: number }> {
    const dir = resolve(folder);
    const readJson = (name: string): unknown => {
      try {
        return JSON.parse(readFileSync(join(dir, name), 'utf8')) as unknown;
      } catch (err) {
        throw new WorkbenchError('INVALID_INPUT', `${join(dir, name)}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found (is this a project written by cwb export --format pytorch-project?)' : (err as Error).message}`);
      }
    };
    const config = readJson('config.json') as { format?: string; experiment?: Record<string, unknown> };
    if (config.format !== 'cwb-pytorch-project' || !config.experiment) throw new WorkbenchError('INVALID_INPUT', `${join(dir, 'config.json')} is not the config of a workbench PyTorch project`);
    const streamFile = join(dir, 'output', 'metrics.jsonl');
    let lines: string[];
    try {
      lines = readFileSync(streamFile, 'utf8').split('\n').filter((l) => l.trim());
    } catch {
      throw new WorkbenchError('INVALID_INPUT', `${streamFile} not found: train the project first (train.py writes it)`);
    }
    const events = lines.flatMap((l, i) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        // The last line of a running job may be half written.
        if (i === lines.length - 1) return [];
        throw new WorkbenchError('INVALID_INPUT', `${streamFile}:${i + 1} is not JSON`);
      }
    });
    const weights = join(dir, 'output', 'encoder.safetensors');
    const lastCheckpoint = events.filter((e) => e['event'] === 'checkpoint').at(-1);
    if (!lastCheckpoint || !existsSync(weights)) throw new WorkbenchError('INVALID_INPUT', `${dir}: no checkpoint yet (output/encoder.safetensors and a checkpoint event in metrics.jsonl)`);
    const { id: experimentId } = this.experiments.create({ ...(config.experiment as object), engine: 'pytorch' } as never);
    const experiment = this.experiments.get(experimentId);
    const resolved = this.experiments.resolve(experiment);
    const data = await trainDataFor(this.ctx, this.datasets, experiment.datasetId);
    const runId = this.ctx.store.runs.insert(experimentId);
    const recorder = new RunRecorder(this.ctx, runId, data.trainImageIds);
    for (const e of events) if (e['event'] !== 'checkpoint') recorder.recordStream(String(e['event']), e);
    const step = Number(lastCheckpoint['step']);
    const epoch = Number(lastCheckpoint['epoch']);
    const adopted = await this.ctx.engine.call('adoptTorchEncoder', {
      model: runModelRequest(resolved, data),
      weightsFile: weights,
      ...(existsSync(join(dir, 'output', 'method.safetensors')) ? { methodWeightsFile: join(dir, 'output', 'method.safetensors') } : {}),
      probe: lastCheckpoint['probe'] as { count: number; features: number[] },
      outFile: checkpointFile(join(this.ctx.home, 'checkpoints', `run-${runId}`), step),
      position: { step, epoch, batchInEpoch: Number(lastCheckpoint['batch'] ?? 0) },
      extra: { importedFrom: dir },
    });
    recorder.record({ event: 'checkpoint', payload: { path: adopted.path, step, epoch, bytes: adopted.bytes } });
    recorder.flush();
    const done = events.find((e) => e['event'] === 'done');
    const knn = events.filter((e) => e['event'] === 'epoch' && typeof e['knnAccuracy'] === 'number').at(-1)?.['knnAccuracy'];
    const status = done ? 'completed' : 'paused';
    const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
    this.ctx.store.runs.setSummary(runId, { runId, status: done ? 'completed' : 'cancelled', epochs: num(done?.['epochs']) ?? epoch, steps: num(done?.['steps']) ?? step, finalLoss: num(done?.['finalLoss']), imagesPerSecond: num(done?.['imagesPerSecond']), knnAccuracy: num(knn), backend: 'pytorch', importedFrom: dir });
    this.ctx.store.runs.setStatus(runId, status, done ? null : `imported from ${dir} while it was still training; import again when it has finished`);
    return { runId, experimentId, status, steps: num(done?.['steps']) ?? step, events: events.length };
  }

  /** What the run's pretext task looks like, kept with the run; a preview failure never stops training. */
  private async recordPretextPreview(runId: number, datasetId: number, augment: AugmentSpec, seed: number): Promise<void> {
    try {
      await this.previews.create({ datasetId, augment, seed, pairs: 4, stepByStep: false }, runId);
    } catch (err) {
      process.stderr.write(`warning: run ${runId}: no pretext preview (${(err as Error).message})\n`);
    }
  }

  /** Linear-probe accuracy (logistic regression on frozen features) of a run's last checkpoint. */
  async evalLinear(runId: number, epochs: number, backend?: string): Promise<{ runId: number; accuracy: number; trainAccuracy: number }> {
    const { resolved, data, checkpoint } = await runInputs(this.ctx, this.experiments, this.datasets, this.get(runId));
    const reply = await this.ctx.engine.call('evalLinear', {
      model: runModelRequest(resolved, data, { checkpoint, backend }),
      data: splitsOf(data),
      epochs,
    });
    return { runId, accuracy: reply.testAccuracy, trainAccuracy: reply.trainAccuracy };
  }

  /**
   * Fine-tune accuracy of a run's last checkpoint (the randomly initialised encoder without one):
   * encoder + linear head trained on a seeded, class-balanced `labelFraction` of the training labels,
   * scored on the validation split.
   */
  async evalFinetune(runId: number, labelFraction: number, epochs: number, backend?: string): Promise<{ runId: number; labelFraction: number; accuracy: number; trainImages: number }> {
    if (!Number.isFinite(labelFraction) || labelFraction <= 0 || labelFraction > 1) {
      throw new WorkbenchError('INVALID_INPUT', `labelFraction must be in (0, 1], got ${labelFraction}`);
    }
    if (!Number.isInteger(epochs) || epochs < 1) throw new WorkbenchError('INVALID_INPUT', `epochs must be an integer ≥ 1, got ${epochs}`);
    const { resolved, data, checkpoint } = await runInputs(this.ctx, this.experiments, this.datasets, this.get(runId));
    const reply = await this.ctx.engine.call('evalFinetune', {
      model: runModelRequest(resolved, data, { checkpoint, backend }),
      data: splitsOf(data),
      epochs,
      labelFraction,
    });
    return { runId, labelFraction, accuracy: reply.accuracy, trainImages: reply.trainImages };
  }

  /** Autoencoder runs: `count` validation images (training images without a split), corrupted, reconstructed — PNG data URLs. */
  async reconstruction(runId: number, count: number): Promise<{ runId: number; rows: { input: string; corrupted: string; output: string }[] }> {
    const { resolved, data, checkpoint } = await runInputs(this.ctx, this.experiments, this.datasets, this.get(runId));
    if (resolved.method.method !== 'autoencoder') throw new WorkbenchError('INVALID_INPUT', `run ${runId} trains ${resolved.method.method}, not an autoencoder`);
    const items = (data.val.length > 0 ? data.val : data.train).slice(0, count);
    const reply = await this.ctx.engine.call('reconstructionPreview', {
      model: runModelRequest(resolved, data, { checkpoint }),
      cacheIndices: items.map((i) => i.cacheIndex),
    });
    const url = (png: Uint8Array): string => `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
    return { runId, rows: reply.input.map((png, i) => ({ input: url(png), corrupted: url(reply.corrupted[i]!), output: url(reply.output[i]!) })) };
  }

  /** Weighted kNN accuracy of a run's last checkpoint on its dataset's validation split. */
  async evalKnn(runId: number, k: number, temperature: number, backend?: string): Promise<{ runId: number; k: number; accuracy: number }> {
    const { resolved, data, checkpoint } = await runInputs(this.ctx, this.experiments, this.datasets, this.get(runId));
    const reply = await this.ctx.engine.call('evalKnn', {
      model: runModelRequest(resolved, data, { checkpoint, backend }),
      data: splitsOf(data),
      k,
      temperature,
    });
    if (reply.accuracy === null) throw new WorkbenchError('INVALID_INPUT', 'kNN needs labels and a validation split');
    return { runId, k: reply.k, accuracy: reply.accuracy };
  }
}
