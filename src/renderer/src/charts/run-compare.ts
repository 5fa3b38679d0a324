/**
 * Several runs overlaid: loss against step (top) and kNN accuracy against epoch (bottom), one colour
 * per run in both grids so the legend toggles a run everywhere.
 */
import type { MetricPoint } from '../metrics/series';
import { truncatedLegend } from './long-labels';
import { axisStyle, chartPalette, seriesColour } from './palette';

export interface ComparedRun {
  runId: number;
  label: string;
  loss: readonly MetricPoint[];
  knn: readonly MetricPoint[];
}

export function runCompareOption(
  runs: readonly ComparedRun[],
  dark: boolean,
): Record<string, unknown> {
  const palette = chartPalette(dark);
  const axis = axisStyle(palette);
  return {
    backgroundColor: 'transparent',
    animation: false,
    textStyle: { color: palette.text },
    tooltip: { trigger: 'axis' },
    // Long run names are cut in the legend (full name in its tooltip and in the axis tooltip).
    legend: { top: 0, data: runs.map((r) => r.label), ...truncatedLegend(palette.text) },
    grid: [
      { left: 56, right: 16, top: 32, height: '36%' },
      { left: 56, right: 16, bottom: 36, height: '32%' },
    ],
    xAxis: [
      { gridIndex: 0, type: 'value', name: 'step', min: 0, ...axis },
      {
        gridIndex: 1,
        type: 'value',
        name: 'epoch',
        nameLocation: 'middle',
        nameGap: 22,
        min: 0,
        minInterval: 1,
        ...axis,
      },
    ],
    yAxis: [
      { gridIndex: 0, type: 'value', name: 'loss', scale: true, ...axis },
      {
        gridIndex: 1,
        type: 'value',
        name: 'kNN accuracy',
        min: 0,
        max: 1,
        ...axisStyle(palette, { formatter: (v: number) => `${Math.round(v * 100)}%` }),
      },
    ],
    series: runs.flatMap((run, i) => [
      {
        id: `loss-${run.runId}`,
        name: run.label,
        type: 'line',
        xAxisIndex: 0,
        yAxisIndex: 0,
        showSymbol: false,
        sampling: 'lttb',
        color: seriesColour(palette, i),
        data: run.loss,
      },
      {
        id: `knn-${run.runId}`,
        name: run.label,
        type: 'line',
        xAxisIndex: 1,
        yAxisIndex: 1,
        showSymbol: true,
        color: seriesColour(palette, i),
        // Points are [step, value, epoch]: plot the epoch on x so runs of different step counts line up.
        encode: { x: 2, y: 1 },
        data: run.knn,
      },
    ]),
  };
}
