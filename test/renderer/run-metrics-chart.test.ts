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
    expect(option.series.map((s) => [s.id, s.data])).toEqual([
      ['loss', data['loss']],
      ['epoch_loss', data['epoch_loss']],
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
        { id: 'loss', data: data['loss'] },
        { id: 'epoch_loss', data: data['epoch_loss'] },
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
