import { describe, expect, it } from 'vitest';
import {
  latestValue,
  metricChartOption,
  metricChartPatch,
  RUN_METRIC_CHARTS,
} from '../../src/renderer/src/charts/run-metrics';
import { runCompareOption } from '../../src/renderer/src/charts/run-compare';
import type { MetricSeries } from '../../src/renderer/src/metrics/series';

const loss = RUN_METRIC_CHARTS.find((c) => c.key === 'loss')!;
const knn = RUN_METRIC_CHARTS.find((c) => c.key === 'knn')!;
type Series = { id: string; name: string; data: unknown[]; showSymbol: boolean };

describe('run metric charts', () => {
  const data: MetricSeries = {
    loss: [
      [1, 2.5, 0.5],
      [2, 2.1, 1],
    ],
    epoch_loss: [[2, 2.3, 1]],
    knn_accuracy: [[2, 0.75, 1]],
  };

  it('draws every metric of a chart as a series with a stable id and the step on x', () => {
    const option = metricChartOption(loss, data, false) as {
      series: Series[];
      xAxis: { name: string };
      legend: { show: boolean };
    };
    const pairs = (name: string) => data[name]!.map((p) => [p[0], p[1]]);
    expect(option.series.map((s) => [s.id, s.data])).toEqual([
      ['loss', pairs('loss')],
      ['epoch_loss', pairs('epoch_loss')],
    ]);
    expect(option.series.map((s) => s.showSymbol)).toEqual([false, true]);
    expect(option.xAxis.name).toBe('step');
    expect(option.legend.show).toBe(true);
  });

  it('fixes the kNN axis to 0–100 % and treats missing series as empty', () => {
    const option = metricChartOption(knn, {}, true) as {
      series: Series[];
      yAxis: { min: number; max: number; axisLabel: { formatter: (v: number) => string } };
    };
    expect(option.series[0]!.data).toEqual([]);
    expect([option.yAxis.min, option.yAxis.max]).toEqual([0, 1]);
    expect(option.yAxis.axisLabel.formatter(0.25)).toBe('25%');
  });

  it('patches carry only data, by the same series ids', () => {
    const patch = metricChartPatch(loss, data);
    expect(patch).toEqual({
      series: [
        { id: 'loss', data: data['loss']!.map((p) => [p[0], p[1]]) },
        { id: 'epoch_loss', data: data['epoch_loss']!.map((p) => [p[0], p[1]]) },
      ],
    });
  });

  it('picks theme colours', () => {
    const light = metricChartOption(loss, data, false) as { textStyle: { color: string } };
    const dark = metricChartOption(loss, data, true) as { textStyle: { color: string } };
    expect(light.textStyle.color).not.toBe(dark.textStyle.color);
  });

  it('reads the latest value of a series', () => {
    expect(latestValue(data, 'loss')).toBe(2.1);
    expect(latestValue(data, 'learning_rate')).toBeNull();
  });
});

describe('reading the curves (issue 17 §2)', () => {
  const timed: MetricSeries = {
    loss: [
      [1, 4, 0.5, 1000],
      [2, 2, 1, 1060],
      [3, 3, 1.5, 1120],
    ],
    knn_accuracy: [
      [2, 0.6, 1, 1060],
      [4, 0.8, 2, 1180],
      [6, 0.7, 3, 1300],
    ],
  };
  const baselines = { runId: 1, classes: 10, chance: 0.1, randomInit: 0.32, rawPixels: 0.41, encoder: 'small×1@28px', k: 200 };

  it('puts epoch or relative wall time (minutes) on x', () => {
    const byEpoch = metricChartOption(loss, timed, false, { x: 'epoch', smoothing: 0, logY: false }) as { series: Series[]; xAxis: { name: string } };
    expect(byEpoch.series[0]!.data).toEqual([[0.5, 4], [1, 2], [1.5, 3]]);
    expect(byEpoch.xAxis.name).toBe('epoch');
    const byWall = metricChartOption(loss, timed, false, { x: 'wall', smoothing: 0, logY: false }) as { series: Series[]; xAxis: { name: string } };
    expect(byWall.series[0]!.data).toEqual([[0, 4], [1, 2], [2, 3]]);
    expect(byWall.xAxis.name).toMatch(/wall time/);
  });

  it('adds a debiased EMA copy of dense series when smoothing, and a log y axis on request', () => {
    const option = metricChartOption(loss, timed, false, { x: 'step', smoothing: 0.5, logY: true }) as { series: (Series & { lineStyle: { opacity: number } })[]; yAxis: { type: string } };
    expect(option.series.map((s) => s.id)).toEqual(['loss', 'loss-smoothed', 'epoch_loss']);
    // m1 = 2, m2 = 1 + 1 = 2 … debiased: 4, (0.5·2 + 1)/(0.75) = 8/3, (0.5·2 + 1.5)/0.875 = 20/7.
    const smoothed = option.series[1]!.data as [number, number][];
    expect(smoothed.map((p) => p[1])).toEqual([4, expect.closeTo(8 / 3, 10), expect.closeTo(20 / 7, 10)]);
    expect(option.series[0]!.lineStyle.opacity).toBeLessThan(1);
    expect(option.yAxis.type).toBe('log');
    const geometry = RUN_METRIC_CHARTS.find((c) => c.key === 'geometry')!;
    expect((metricChartOption(geometry, {}, false, { x: 'step', smoothing: 0, logY: true }) as { yAxis: { type: string } }).yAxis.type).toBe('value');
  });

  it('draws chance, random-init and raw-pixel reference lines on the kNN chart and marks the best epoch', () => {
    const option = metricChartOption(knn, timed, false, undefined, baselines) as { series: (Series & { markLine: { data: { name: string; yAxis: number }[] }; markPoint: { data: { coord: number[] }[] } })[] };
    expect(option.series[0]!.markLine.data).toEqual([
      { name: 'chance', yAxis: 0.1 },
      { name: 'random init', yAxis: 0.32 },
      { name: 'raw pixels', yAxis: 0.41 },
    ]);
    expect(option.series[0]!.markPoint.data[0]!.coord).toEqual([4, 0.8]);
    // The loss chart has no reference lines.
    expect((metricChartOption(loss, timed, false, undefined, baselines) as { series: Record<string, unknown>[] }).series[0]!['markLine']).toBeUndefined();
  });

  it('axis names sit along the axes, away from the legend and the title', () => {
    const option = metricChartOption(loss, timed, false) as { yAxis: { nameLocation: string }; xAxis: { nameLocation: string } };
    expect(option.yAxis.nameLocation).toBe('middle');
    expect(option.xAxis.nameLocation).toBe('middle');
  });
});

describe('run comparison chart', () => {
  it('draws loss against step and kNN against epoch, one colour per run in both grids', () => {
    const option = runCompareOption(
      [
        { runId: 1, label: '#1 simclr', loss: [[1, 3, 0.5]], knn: [[2, 0.5, 1]] },
        { runId: 2, label: '#2 moco', loss: [[1, 4, 0.25]], knn: [] },
      ],
      false,
    ) as {
      series: {
        id: string;
        name: string;
        xAxisIndex: number;
        color: string;
        encode?: { x: number };
      }[];
      legend: { data: string[] };
    };
    expect(option.legend.data).toEqual(['#1 simclr', '#2 moco']);
    expect(option.series.map((s) => s.id)).toEqual(['loss-1', 'knn-1', 'loss-2', 'knn-2']);
    expect(option.series.filter((s) => s.xAxisIndex === 1).every((s) => s.encode?.x === 2)).toBe(
      true,
    );
    expect(option.series[0]!.color).toBe(option.series[1]!.color);
    expect(option.series[0]!.color).not.toBe(option.series[2]!.color);
  });
});
