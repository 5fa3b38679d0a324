/**
 * Live charts of one run: loss (per step and the epoch mean), learning rate, images/s and kNN
 * accuracy. `metricChartOption` is the full option a chart starts from; `metricChartPatch` is the
 * data-only update merged into it as points arrive, so ECharts keeps axes, zoom and legend state.
 */
import type { MetricPoint, MetricSeries } from '../metrics/series';
import type { RunBaselines } from '../../../shared/schemas/run-records';
import { bestIndex, DEFAULT_CHART_VIEW, onXAxis, smooth, X_AXIS_NAMES, type ChartView } from './chart-view';
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
  /** Values can be ≤ 0 (uniformity is a log): no log axis. */
  noLog?: boolean;
  /** Draw the kNN reference lines (chance, random-init encoder, raw pixels) and mark the best epoch. */
  baselines?: boolean;
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
    baselines: true,
    series: [{ metric: 'knn_accuracy', name: 'kNN accuracy', markers: true }],
  },
  {
    // Wang & Isola 2020 (arXiv:2005.10242): both lower is better; uniformity is a log, so negative.
    key: 'geometry',
    title: 'Alignment / uniformity (val)',
    yName: 'value',
    noLog: true,
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

/** The series ECharts draws for one metric: the raw points, and a smoothed copy of dense series when smoothing is on. */
function drawn(spec: MetricChartSpec, data: MetricSeries, view: ChartView, baselines: RunBaselines | null) {
  const out: { id: string; name: string; markers: boolean; faint: boolean; colour: number; data: [number, number][]; extra: Record<string, unknown> }[] = [];
  spec.series.forEach((s, i) => {
    const points = seriesData(data, s.metric);
    const pairs = onXAxis(points, view.x);
    const smoothed = !s.markers && view.smoothing > 0;
    const extra: Record<string, unknown> = {};
    if (spec.baselines && i === 0) {
      const best = bestIndex(points);
      const bestPair = best >= 0 ? onXAxis([points[best]!], view.x)[0] : undefined;
      extra['markPoint'] = bestPair
        ? { symbol: 'pin', symbolSize: 34, label: { formatter: 'best' }, data: [{ name: 'best epoch', coord: bestPair, value: bestPair[1] }] }
        : { data: [] };
      const lines = baselines
        ? [
            { name: 'chance', value: baselines.chance },
            { name: 'random init', value: baselines.randomInit },
            { name: 'raw pixels', value: baselines.rawPixels },
          ].filter((l): l is { name: string; value: number } => typeof l.value === 'number')
        : [];
      extra['markLine'] = {
        symbol: 'none',
        silent: true,
        lineStyle: { type: 'dashed', width: 1 },
        label: { formatter: '{b} {c}', position: 'insideEndTop', fontSize: 10 },
        data: lines.map((l) => ({ name: l.name, yAxis: Number(l.value.toFixed(4)) })),
      };
    }
    out.push({ id: s.metric, name: s.name, markers: s.markers, faint: smoothed, colour: i, data: pairs, extra });
    if (smoothed) out.push({ id: `${s.metric}-smoothed`, name: `${s.name} (smoothed)`, markers: false, faint: false, colour: i, data: smooth(pairs, view.smoothing), extra: {} });
  });
  return out;
}

export function metricChartOption(
  spec: MetricChartSpec,
  data: MetricSeries,
  dark: boolean,
  view: ChartView = DEFAULT_CHART_VIEW,
  baselines: RunBaselines | null = null,
): Record<string, unknown> {
  const palette = chartPalette(dark);
  const axis = axisStyle(palette);
  const logY = view.logY && !spec.noLog;
  const series = drawn(spec, data, view, baselines);
  return {
    backgroundColor: 'transparent',
    animation: false,
    textStyle: { color: palette.text },
    tooltip: {
      trigger: 'axis',
      ...(spec.fraction ? { valueFormatter: (v: number) => percent(v) } : {}),
    },
    legend: { show: series.length > 1, top: 0, right: 0, textStyle: { color: palette.text } },
    // The y axis name runs along the axis (not above it), so it never meets the legend or the title.
    grid: { left: 64, right: 16, top: series.length > 1 ? 28 : 12, bottom: 40 },
    xAxis: {
      type: 'value',
      name: X_AXIS_NAMES[view.x],
      nameLocation: 'middle',
      nameGap: 24,
      min: 0,
      ...(view.x === 'step' ? { minInterval: 1 } : {}),
      ...axis,
    },
    yAxis: {
      type: logY ? 'log' : 'value',
      name: spec.yName,
      nameLocation: 'middle',
      nameGap: 46,
      scale: !spec.fraction && !spec.fromZero,
      ...(spec.fraction && !logY ? { min: 0, max: 1 } : {}),
      ...axisStyle(palette, { formatter: spec.fraction ? percent : compact }),
    },
    dataZoom: [{ type: 'inside', xAxisIndex: 0 }],
    series: series.map((s) => ({
      id: s.id,
      name: s.name,
      type: 'line',
      showSymbol: s.markers,
      symbolSize: 6,
      sampling: s.markers ? undefined : 'lttb',
      lineStyle: { width: s.markers ? 2 : 1.5, opacity: s.faint ? 0.3 : 1 },
      color: seriesColour(palette, s.colour),
      data: s.data,
      ...s.extra,
    })),
  };
}

/** Only the data (and the best-epoch mark), by series id: merged without resetting zoom or legend. */
export function metricChartPatch(
  spec: MetricChartSpec,
  data: MetricSeries,
  view: ChartView = DEFAULT_CHART_VIEW,
  baselines: RunBaselines | null = null,
): { series: Record<string, unknown>[] } {
  return { series: drawn(spec, data, view, baselines).map((s) => ({ id: s.id, data: s.data, ...s.extra })) };
}

/** The latest value of a metric, or null. */
export function latestValue(data: MetricSeries, metric: string): number | null {
  const series = data[metric];
  return series && series.length > 0 ? series[series.length - 1]![1] : null;
}
