/**
 * Live charts of one run: loss (per step and the epoch mean), learning rate, images/s and kNN
 * accuracy. `metricChartOption` is the full option a chart starts from; `metricChartPatch` is the
 * data-only update merged into it as points arrive, so ECharts keeps axes, zoom and legend state.
 */
import type { MetricPoint, MetricSeries } from '../metrics/series';
import { axisStyle, chartPalette, seriesColour } from './palette';

export interface MetricChartSpec {
  key: string;
  title: string;
  yName: string;
  /** Series drawn, by metric name; `markers` for sparse per-epoch series. */
  series: readonly { metric: string; name: string; markers: boolean }[];
  /** Values are fractions in [0, 1], shown as percentages. */
  fraction?: boolean;
  /** Start the y axis at 0 (rates), instead of zooming into the data's range (loss). */
  fromZero?: boolean;
}

export const RUN_METRIC_CHARTS: readonly MetricChartSpec[] = [
  {
    key: 'loss',
    title: 'Loss',
    yName: 'loss',
    series: [
      { metric: 'loss', name: 'step loss', markers: false },
      { metric: 'epoch_loss', name: 'epoch mean', markers: true },
    ],
  },
  {
    key: 'learning-rate',
    title: 'Learning rate',
    yName: 'lr',
    fromZero: true,
    series: [{ metric: 'learning_rate', name: 'learning rate', markers: false }],
  },
  {
    key: 'throughput',
    title: 'Images / s',
    yName: 'views/s',
    fromZero: true,
    series: [{ metric: 'images_per_second', name: 'images/s', markers: false }],
  },
  {
    key: 'knn',
    title: 'kNN accuracy (val)',
    yName: 'accuracy',
    fraction: true,
    series: [{ metric: 'knn_accuracy', name: 'kNN accuracy', markers: true }],
  },
  {
    // Wang & Isola 2020 (arXiv:2005.10242): both lower is better; uniformity is a log, so negative.
    key: 'geometry',
    title: 'Alignment / uniformity (val)',
    yName: 'value',
    series: [
      { metric: 'alignment', name: 'alignment', markers: true },
      { metric: 'uniformity', name: 'uniformity', markers: true },
    ],
  },
];

const percent = (v: number): string => `${Math.round(v * 100)}%`;
/** Axis labels with at most three significant digits (learning rates are tiny, losses are not). */
const compact = (v: number): string => (v === 0 ? '0' : String(Number(v.toPrecision(3))));

function seriesData(data: MetricSeries, metric: string): readonly MetricPoint[] {
  return data[metric] ?? [];
}

export function metricChartOption(
  spec: MetricChartSpec,
  data: MetricSeries,
  dark: boolean,
): Record<string, unknown> {
  const palette = chartPalette(dark);
  const axis = axisStyle(palette);
  return {
    backgroundColor: 'transparent',
    animation: false,
    textStyle: { color: palette.text },
    tooltip: {
      trigger: 'axis',
      ...(spec.fraction ? { valueFormatter: (v: number) => percent(v) } : {}),
    },
    legend: { show: spec.series.length > 1, top: 0, right: 0, textStyle: { color: palette.text } },
    grid: { left: 56, right: 16, top: spec.series.length > 1 ? 28 : 16, bottom: 36 },
    xAxis: {
      type: 'value',
      name: 'step',
      nameLocation: 'middle',
      nameGap: 22,
      min: 0,
      minInterval: 1,
      ...axis,
    },
    yAxis: {
      type: 'value',
      name: spec.yName,
      scale: !spec.fraction && !spec.fromZero,
      ...(spec.fraction ? { min: 0, max: 1 } : {}),
      ...axisStyle(palette, { formatter: spec.fraction ? percent : compact }),
    },
    dataZoom: [{ type: 'inside', xAxisIndex: 0 }],
    series: spec.series.map((s, i) => ({
      id: s.metric,
      name: s.name,
      type: 'line',
      showSymbol: s.markers,
      symbolSize: 6,
      sampling: s.markers ? undefined : 'lttb',
      lineStyle: { width: s.markers ? 2 : 1.5 },
      color: seriesColour(palette, i),
      data: seriesData(data, s.metric),
    })),
  };
}

/** Only the data, by series id: merged into the chart's option without resetting anything else. */
export function metricChartPatch(
  spec: MetricChartSpec,
  data: MetricSeries,
): { series: { id: string; data: readonly MetricPoint[] }[] } {
  return { series: spec.series.map((s) => ({ id: s.metric, data: seriesData(data, s.metric) })) };
}

/** The latest value of a metric, or null. */
export function latestValue(data: MetricSeries, metric: string): number | null {
  const series = data[metric];
  return series && series.length > 0 ? series[series.length - 1]![1] : null;
}
