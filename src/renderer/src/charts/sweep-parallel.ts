/**
 * A sweep as parallel coordinates: one axis per swept field (its values as categories, in the order
 * the sweep lists them) and a last axis with the run's best-epoch kNN accuracy, one line per run.
 * Runs without a kNN accuracy yet are left out.
 */
import type { SweepRecord } from '../../../shared/schemas/sweep';
import { chartPalette } from './palette';

export function sweepParallelOption(sweep: SweepRecord, dark: boolean): Record<string, unknown> {
  const palette = chartPalette(dark);
  const values = (field: string): string[] => {
    const seen: string[] = [];
    for (const r of sweep.runs) {
      const v = String(r.settings[field]);
      if (!seen.includes(v)) seen.push(v);
    }
    return seen;
  };
  const axisLine = { lineStyle: { color: palette.muted } };
  const axisLabel = { color: palette.muted };
  const parallelAxis = [
    ...sweep.fields.map((field, dim) => ({
      dim,
      name: field,
      type: 'category',
      data: values(field),
      axisLine,
      axisLabel,
    })),
    {
      dim: sweep.fields.length,
      name: 'best kNN',
      type: 'value',
      min: 0,
      max: 1,
      axisLine,
      axisLabel,
    },
  ];
  const data = sweep.runs
    .filter((r) => r.bestKnnAccuracy !== null)
    .map((r) => ({
      name: `run ${String(r.runId)}`,
      value: [...sweep.fields.map((f) => String(r.settings[f])), r.bestKnnAccuracy],
    }));
  return {
    backgroundColor: 'transparent',
    animation: false,
    textStyle: { color: palette.text },
    tooltip: { trigger: 'item' },
    parallel: { left: 48, right: 64, top: 36, bottom: 24 },
    parallelAxis,
    visualMap: {
      show: false,
      dimension: sweep.fields.length,
      min: 0,
      max: 1,
      // Low kNN red, high kNN blue.
      inRange: { color: ['#d94e5d', '#eac736', '#50a3ba'] },
    },
    series: [{ id: 'sweep', type: 'parallel', lineStyle: { width: 2, opacity: 0.8 }, data }],
  };
}
