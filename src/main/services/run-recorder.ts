/**
 * Turns a training run's engine events into store writes and UI events: per-step metrics in batched
 * transactions (flushed with every checkpoint, so metrics up to a checkpoint are durable with it), the
 * backend a run got, checkpoints, per-epoch evaluation and SwAV prototype assignments.
 */
import type { EngineEvent, CheckpointEvent, EpochEvent, StartedEvent, StepEvent } from '../engine/protocol';
import type { MetricPoint } from '../store/repositories/metrics';
import type { ServiceContext } from './context';

/** In-process observers of a run (tests, the CLI), called after the event is recorded. */
export interface RunListener {
  started?(e: StartedEvent): void;
  step?(e: StepEvent): void;
  epoch?(e: EpochEvent): void;
  checkpoint?(e: CheckpointEvent): void;
}

const FLUSH_EVERY = 25;

/** The `train` events a PyTorch run's stream carries too. */
const STREAM_EVENTS = ['started', 'step', 'checkpoint', 'epoch', 'assignments'] as const;

export class RunRecorder {
  private readonly pending: MetricPoint[] = [];

  constructor(
    private readonly ctx: ServiceContext,
    private readonly runId: number,
    /** Image row id of each training item (assignments name items by position). */
    private readonly trainImageIds: readonly number[],
    private readonly listener: RunListener = {},
  ) {}

  /** Metrics received but not yet written (a view of a running run shows them too). */
  unflushed(): readonly MetricPoint[] {
    return this.pending;
  }

  /** Write the metrics held back so far. */
  flush(): void {
    if (this.pending.length) this.ctx.store.metrics.record(this.runId, this.pending.splice(0));
  }

  /**
   * One line of a PyTorch project's JSON-lines stream (engine/pytorch/runner.ts, `cwb import-run`):
   * the same event names and fields as the tfjs engine's `train` events, parsed from JSON, so this is
   * the one place their shape is taken on trust; other names (`done`, `log`) are not recorded.
   */
  recordStream(event: string, payload: Record<string, unknown>): void {
    if ((STREAM_EVENTS as readonly string[]).includes(event)) this.record({ event, payload } as unknown as EngineEvent<'train'>);
  }

  record(e: EngineEvent<'train'>): void {
    const { store } = this.ctx;
    const runId = this.runId;
    switch (e.event) {
      case 'started': {
        const { backend, device, reason } = e.payload;
        store.runs.setBackend(runId, { backend, device, reason });
        this.listener.started?.(e.payload);
        break;
      }
      case 'step': {
        const s = e.payload;
        const wallTime = Date.now() / 1000;
        this.pending.push(
          { name: 'loss', step: s.step, epoch: s.epoch, value: s.loss, wallTime },
          { name: 'learning_rate', step: s.step, epoch: s.epoch, value: s.learningRate, wallTime },
          { name: 'images_per_second', step: s.step, epoch: s.epoch, value: s.imagesPerSecond, wallTime },
        );
        if (this.pending.length >= 3 * FLUSH_EVERY) this.flush();
        this.ctx.emit('runs:progress', { runId, ...s });
        this.listener.step?.(s);
        break;
      }
      case 'checkpoint': {
        const c = e.payload;
        // Metrics up to this step are durable together with the checkpoint that covers them.
        this.flush();
        store.checkpoints.insert({ run_id: runId, step: c.step, epoch: c.epoch, path: c.path, bytes: c.bytes });
        this.listener.checkpoint?.(c);
        break;
      }
      case 'epoch': {
        const p = e.payload;
        const wallTime = Date.now() / 1000;
        if (p.knnAccuracy !== null) this.pending.push({ name: 'knn_accuracy', step: p.step, epoch: p.epoch, value: p.knnAccuracy, wallTime });
        if (p.meanLoss !== null) this.pending.push({ name: 'epoch_loss', step: p.step, epoch: p.epoch, value: p.meanLoss, wallTime });
        if (p.alignment !== null) this.pending.push({ name: 'alignment', step: p.step, epoch: p.epoch, value: p.alignment, wallTime });
        if (p.uniformity !== null) this.pending.push({ name: 'uniformity', step: p.step, epoch: p.epoch, value: p.uniformity, wallTime });
        this.flush();
        this.ctx.emit('runs:epoch', { runId, ...p });
        this.listener.epoch?.(p);
        break;
      }
      case 'assignments': {
        const a = e.payload;
        const rows = Array.from(a.items, (item, i) => ({
          imageId: this.trainImageIds[item] ?? -1,
          prototype: a.prototype[i] ?? 0,
          entropy: a.entropy[i] ?? 0,
        })).filter((r) => r.imageId > 0);
        store.prototypeAssignments.replaceEpoch(runId, a.epoch, rows);
        break;
      }
    }
  }
}
