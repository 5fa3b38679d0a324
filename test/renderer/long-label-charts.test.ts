import { describe, expect, it } from 'vitest';
import { classBalanceOption } from '../../src/renderer/src/charts/class-balance';
import { escapeHtml, LABEL_WIDTH_PX } from '../../src/renderer/src/charts/long-labels';
import { runCompareOption } from '../../src/renderer/src/charts/run-compare';
import { HEATMAP_MAX_PX, prototypeHeatmapHeight, prototypeHeatmapOption } from '../../src/renderer/src/charts/prototypes';

const long = (i: number) => `class ${i} <${'a very long and descriptive category name '.repeat(2).trim()}>`.slice(0, 80);

type Axis = { data: string[]; axisLabel: { width?: number; overflow?: string; rotate?: number; interval?: unknown } };

describe('long class names in charts', () => {
  it('class balance: axis labels cut to a fixed width, slanted, the tooltip naming the class in full (escaped)', () => {
    const rows = [0, 1, 2].map((i) => ({ label: long(i), train: 3, val: 1 }));
    const option = classBalanceOption(rows, false) as {
      xAxis: Axis;
      tooltip: { formatter: (p: unknown[]) => string };
    };
    expect(option.xAxis.data[1]).toHaveLength(80);
    expect(option.xAxis.axisLabel).toMatchObject({ width: LABEL_WIDTH_PX, overflow: 'truncate', rotate: 40, interval: 0 });
    const tip = option.tooltip.formatter([
      { dataIndex: 1, seriesName: 'train', value: 3, marker: '' },
      { dataIndex: 1, seriesName: 'val', value: 1, marker: '' },
    ]);
    expect(tip).toContain(escapeHtml(long(1)));
    expect(tip).not.toContain('<a very');
    expect(tip).toContain('train: 3');
    // Short names stay level; hundreds of classes let ECharts skip colliding labels.
    expect((classBalanceOption([{ label: 'cat', train: 1, val: 0 }], false) as { xAxis: Axis }).xAxis.axisLabel.rotate).toBe(0);
    const many = Array.from({ length: 300 }, (_, i) => ({ label: long(i), train: 1, val: 0 }));
    expect((classBalanceOption(many, false) as { xAxis: Axis }).xAxis.axisLabel.interval).toBe('auto');
  });

  it('prototype heatmap: class labels cut, the cell tooltip naming prototype and class in full', () => {
    const classes = [long(0), long(1)];
    const option = prototypeHeatmapOption(classes, [[1, 0], [0, 2]], false) as {
      xAxis: Axis;
      tooltip: { formatter: (p: { value: [number, number, number] }) => string };
    };
    expect(option.xAxis.axisLabel).toMatchObject({ width: LABEL_WIDTH_PX, overflow: 'truncate', rotate: 40 });
    expect(option.tooltip.formatter({ value: [1, 1, 2] })).toBe(`prototype #1 · ${escapeHtml(long(1))}<br/>2 images`);
  });

  it('prototype heatmap sizes itself to the number of prototypes: 3 roomy rows, 300 scrolling rows', () => {
    const rowsOf = (n: number) => Array.from({ length: n }, (_, p) => [p % 3 === 0 ? 1 : 0, 1]);
    const three = prototypeHeatmapOption(['a', 'b'], rowsOf(3), false) as { dataZoom: unknown[]; yAxis: { data: string[] } };
    expect(three.yAxis.data).toEqual(['#0', '#1', '#2']);
    expect(three.dataZoom).toEqual([]);
    expect(prototypeHeatmapHeight(3)).toBeLessThan(300);
    expect(prototypeHeatmapHeight(30)).toBeGreaterThan(prototypeHeatmapHeight(3));
    expect(prototypeHeatmapHeight(300)).toBe(HEATMAP_MAX_PX);
    const many = prototypeHeatmapOption(['a', 'b'], rowsOf(300), false) as {
      dataZoom: { type: string; yAxisIndex: number; startValue?: number; endValue?: number }[];
      yAxis: { data: string[] };
    };
    expect(many.yAxis.data).toHaveLength(300);
    expect(many.dataZoom.map((z) => [z.type, z.yAxisIndex])).toEqual([['slider', 0], ['inside', 0]]);
    const window = many.dataZoom[0]!.endValue! - many.dataZoom[0]!.startValue! + 1;
    // The visible rows are at least 14 px each in the tallest chart.
    expect(window * 14).toBeLessThanOrEqual(HEATMAP_MAX_PX);
    expect(window).toBeGreaterThan(20);
  });

  it('run comparison: long run names cut in the legend, the full name in its tooltip', () => {
    const option = runCompareOption([{ runId: 1, label: `#1 ${long(1)}`, loss: [], knn: [] }], false) as {
      legend: { data: string[]; type: string; tooltip: { show: boolean }; textStyle: { width: number; overflow: string } };
    };
    expect(option.legend.data).toEqual([`#1 ${long(1)}`]);
    expect(option.legend).toMatchObject({ type: 'scroll', tooltip: { show: true }, textStyle: { width: LABEL_WIDTH_PX, overflow: 'truncate' } });
  });
});
