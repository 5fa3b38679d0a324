/**
 * Engine events → store writes and UI events, the same for every engine: per-step metrics in
 * batched transactions, checkpoints (metrics up to their step flushed with them), per-epoch kNN,
 * loss, alignment and uniformity, SwAV assignments, and the backend a run trains on.
 */
import type { AssignmentsEvent, CheckpointEvent, EpochEvent, StartedEvent, StepEvent } from '../engine/train-types';
import type { MetricPoint } from '../store/repositories/metrics';
import type { ServiceContext } from './context';

const FLUSH_EVERY = 25;

export interface RunListener {
  started?(e: StartedEvent): void;
  step?(e: StepEvent): void;
  epoch?(e: EpochEvent): void;
  checkpoint?(e: CheckpointEvent): void;
}


export class RunRecorder {
  private readonly pending: MetricPoint[] = [];

  constructor(
    private readonly ctx: ServiceContext,
    private readonly runId: number,
    /** Image row id of each training item (assignments name positions in the training split). */
    private readonly trainImageIds: readonly number[],
    private readonly listener?: RunListener,
  ) {}

  flush(): void {
    if (this.pending.length) this.ctx.store.metrics.record(this.runId, this.pending.splice(0));
  }

  /** One engine event (`started`, `step`, `checkpoint`, `epoch`, `assignments`); others are ignored. */
  record(event: string, payload: unknown): void {
    const { store } = this.ctx;
    const runId = this.runId;
    switch (event) {
      case 'started': {
        const e = payload as StartedEvent;
        store.runs.setBackend(runId, { backend: e.backend, device: e.device, reason: e.reason });
        this.listener?.started?.(e);
        break;
      }
      case 'step': {
        const e = payload as StepEvent;
        this.pending.push(
          { name: 'loss', step: e.step, epoch: e.epoch, value: e.loss },
          { name: 'learning_rate', step: e.step, epoch: e.epoch, value: e.learningRate },
          { name: 'images_per_second', step: e.step, epoch: e.epoch, value: e.imagesPerSecond },
        );
        if (this.pending.length >= 3 * FLUSH_EVERY) this.flush();
        this.ctx.emit('runs:progress', { runId, step: e.step, epoch: e.epoch, loss: e.loss, learningRate: e.learningRate, imagesPerSecond: e.imagesPerSecond, etaSeconds: e.etaSeconds, stepsPerEpoch: e.stepsPerEpoch, totalSteps: e.totalSteps });
        this.listener?.step?.(e);
        break;
      }
      case 'checkpoint': {
        const e = payload as CheckpointEvent;
        // Metrics up to this step are durable together with the checkpoint that covers them.
        this.flush();
        store.checkpoints.insert({ run_id: runId, step: e.step, epoch: e.epoch, path: e.path, bytes: e.bytes });
        this.listener?.checkpoint?.(e);
        break;
      }
      case 'epoch': {
        const e = payload as EpochEvent;
        if (e.knnAccuracy !== null) this.pending.push({ name: 'knn_accuracy', step: e.step, epoch: e.epoch, value: e.knnAccuracy });
        if (e.meanLoss !== null) this.pending.push({ name: 'epoch_loss', step: e.step, epoch: e.epoch, value: e.meanLoss });
        if (e.alignment !== null) this.pending.push({ name: 'alignment', step: e.step, epoch: e.epoch, value: e.alignment });
        if (e.uniformity !== null) this.pending.push({ name: 'uniformity', step: e.step, epoch: e.epoch, value: e.uniformity });
        this.flush();
        this.ctx.emit('runs:epoch', { runId, epoch: e.epoch, step: e.step, knnAccuracy: e.knnAccuracy, meanLoss: e.meanLoss, alignment: e.alignment, uniformity: e.uniformity });
        this.listener?.epoch?.(e);
        break;
      }
      case 'assignments': {
        const e = payload as AssignmentsEvent;
        const rows = Array.from(e.items, (item, i) => ({
          imageId: this.trainImageIds[item] ?? -1,
          prototype: e.prototype[i] ?? 0,
          entropy: e.entropy[i] ?? 0,
        })).filter((r) => r.imageId > 0);
        store.prototypeAssignments.replaceEpoch(runId, e.epoch, rows);
        break;
      }
    }
  }
}
