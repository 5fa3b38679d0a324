/**
 * The renderer's model of a run's metric series: `[step, value, epoch]` triples, one array per metric
 * name (loss, learning_rate, images_per_second, knn_accuracy, epoch_loss). Charts read the arrays
 * directly (x = step, y = value; the epoch is a third dimension comparison charts can encode on x).
 */
import type { RunEpochEvent, RunProgressEvent } from '../../../shared/schemas/runs';

/** A point; `wallTime` (seconds since the Unix epoch) when known — stored points carry it, live ones get the arrival time. */
export type MetricPoint = [step: number, value: number, epoch: number, wallTime?: number];
export type MetricSeries = Record<string, MetricPoint[]>;

/** Every series the Runs view asks `runs:metrics` for. */
export const RUN_METRIC_NAMES = [
  'loss',
  'learning_rate',
  'images_per_second',
  'knn_accuracy',
  'epoch_loss',
  'alignment',
  'uniformity',
] as const;

/** `runs:metrics` rows → triples. */
export function fromReply(
  reply: Record<string, { step: number; epoch: number; value: number; wallTime?: number | null }[]>,
): MetricSeries {
  const out: MetricSeries = {};
  for (const [name, rows] of Object.entries(reply))
    out[name] = rows.map((r): MetricPoint =>
      typeof r.wallTime === 'number' ? [r.step, r.value, r.epoch, r.wallTime] : [r.step, r.value, r.epoch],
    );
  return out;
}

function push(series: MetricSeries, name: string, point: MetricPoint): void {
  (series[name] ??= []).push(point);
}

/** Append one training step's values in place. */
export function appendProgress(series: MetricSeries, event: RunProgressEvent, now = Date.now() / 1000): void {
  push(series, 'loss', [event.step, event.loss, event.epoch, now]);
  push(series, 'learning_rate', [event.step, event.learningRate, event.epoch, now]);
  push(series, 'images_per_second', [event.step, event.imagesPerSecond, event.epoch, now]);
}

/** Append one finished epoch's evaluation in place. */
export function appendEpoch(series: MetricSeries, event: RunEpochEvent, now = Date.now() / 1000): void {
  if (event.knnAccuracy !== null)
    push(series, 'knn_accuracy', [event.step, event.knnAccuracy, event.epoch, now]);
  // Wang & Isola 2020, measured on validation images at epoch ends (absent on older runs).
  if (event.alignment != null)
    push(series, 'alignment', [event.step, event.alignment, event.epoch, now]);
  if (event.uniformity != null)
    push(series, 'uniformity', [event.step, event.uniformity, event.epoch, now]);
  if (event.meanLoss !== null)
    push(series, 'epoch_loss', [event.step, event.meanLoss, event.epoch, now]);
}

/**
 * Stored points first, then the live points that arrived while the stored ones were loading and are
 * newer than the last stored step (the database lags the events by a few steps).
 */
export function mergeSeries(stored: MetricSeries, live: MetricSeries): MetricSeries {
  const out: MetricSeries = {};
  for (const name of new Set([...Object.keys(stored), ...Object.keys(live)])) {
    const base = stored[name] ?? [];
    const last = base.length > 0 ? base[base.length - 1]![0] : Number.NEGATIVE_INFINITY;
    out[name] = [...base, ...(live[name] ?? []).filter((p) => p[0] > last)];
  }
  return out;
}
