/**
 * A run's metrics as text to take elsewhere: CSV with the header `step,epoch,name,value,wall_time`
 * (one row per point, wall_time in seconds since the Unix epoch, empty when unknown) and JSON.
 */
import type { MetricRecord } from '../store/repositories/metrics';

export const METRICS_CSV_HEADER = 'step,epoch,name,value,wall_time';

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows sorted by step, then name; numbers at full precision (`String(x)` round-trips a double). */
export function metricsCsv(points: readonly MetricRecord[]): string {
  const rows = [...points].sort((a, b) => a.step - b.step || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const lines = rows.map((p) => [String(p.step), String(p.epoch), csvField(p.name), String(p.value), p.wallTime === null ? '' : String(p.wallTime)].join(','));
  return `${[METRICS_CSV_HEADER, ...lines].join('\n')}\n`;
}

/** `{ runId, metrics: { name: [{ step, epoch, value, wallTime }] } }`, series in step order. */
export function metricsJson(runId: number, points: readonly MetricRecord[]): { runId: number; metrics: Record<string, { step: number; epoch: number; value: number; wallTime: number | null }[]> } {
  const metrics: Record<string, { step: number; epoch: number; value: number; wallTime: number | null }[]> = {};
  for (const p of [...points].sort((a, b) => a.step - b.step)) (metrics[p.name] ??= []).push({ step: p.step, epoch: p.epoch, value: p.value, wallTime: p.wallTime });
  return { runId, metrics };
}
