/**
 * How a researcher reads a curve, as in TensorBoard: x as step, epoch or relative wall time,
 * exponential smoothing (TensorBoard's debiased EMA) and a log y axis. Pure functions over the
 * `[step, value, epoch, wallTime?]` points the runs store keeps.
 */
import type { MetricPoint } from '../metrics/series';

export type XAxisKind = 'step' | 'epoch' | 'wall';

export interface ChartView {
  x: XAxisKind;
  /** 0 = raw; 0.6 smooths like TensorBoard's default. */
  smoothing: number;
  logY: boolean;
}

export const DEFAULT_CHART_VIEW: ChartView = { x: 'step', smoothing: 0, logY: false };

export const X_AXIS_NAMES: Record<XAxisKind, string> = {
  step: 'step',
  epoch: 'epoch',
  wall: 'wall time (min since first point)',
};

/** [x, y] pairs on the chosen x axis; points without a wall time are dropped from the wall-time view. */
export function onXAxis(points: readonly MetricPoint[], x: XAxisKind): [number, number][] {
  if (x === 'step') return points.map((p) => [p[0], p[1]]);
  if (x === 'epoch') return points.map((p) => [p[2], p[1]]);
  const timed = points.filter((p) => typeof p[3] === 'number');
  const t0 = timed.length > 0 ? (timed[0]![3] as number) : 0;
  return timed.map((p) => [((p[3] as number) - t0) / 60, p[1]]);
}

/**
 * TensorBoard's smoothing: an exponential moving average debiased for its zero start —
 * m_t = w·m_{t−1} + (1 − w)·y_t, smoothed_t = m_t / (1 − w^t) (so the first point is y_1 itself).
 */
export function smooth(pairs: readonly [number, number][], weight: number): [number, number][] {
  if (weight <= 0) return pairs.map((p) => [p[0], p[1]]);
  let last = 0;
  let n = 0;
  return pairs.map(([x, y]) => {
    if (!Number.isFinite(y)) return [x, y];
    last = last * weight + (1 - weight) * y;
    n += 1;
    return [x, last / (1 - weight ** n)];
  });
}

/** Index of the highest value (the best epoch of an accuracy series), or -1. */
export function bestIndex(points: readonly MetricPoint[]): number {
  let best = -1;
  for (let i = 0; i < points.length; i++) if (best < 0 || points[i]![1] > points[best]![1]) best = i;
  return best;
}
