import { describe, expect, it } from 'vitest';
import { embeddingScatterOption, escapeHtml } from '../../src/renderer/src/charts/embeddings';
import {
  entropyOption,
  prototypeHeatmapOption,
  prototypeUsageOption,
  uniformEntropy,
  usedPrototypes,
} from '../../src/renderer/src/charts/prototypes';

type Series = { id?: string; name: string; data: unknown[] };

describe('prototype charts', () => {
  it('draws one bar per prototype and marks the chosen one', () => {
    const option = prototypeUsageOption([3, 0, 5], 2, false) as {
      xAxis: { data: string[] };
      series: { data: { value: number; itemStyle: { color: string } }[] }[];
    };
    expect(option.xAxis.data).toEqual(['0', '1', '2']);
    const bars = option.series[0]!.data;
    expect(bars.map((b) => b.value)).toEqual([3, 0, 5]);
    expect(bars[2]!.itemStyle.color).not.toBe(bars[0]!.itemStyle.color);
  });

  it('plots entropy per epoch under the uniform ceiling ln K', () => {
    expect(uniformEntropy(100)).toBeCloseTo(4.605, 3);
    const option = entropyOption(
      [
        { epoch: 1, entropy: 2 },
        { epoch: 3, entropy: 1.5 },
      ],
      100,
      true,
    ) as { series: Series[] };
    expect(option.series[0]!.data).toEqual([
      [1, 2],
      [3, 1.5],
    ]);
    expect(option.series[1]!.data).toEqual([
      [1, Math.log(100)],
      [3, Math.log(100)],
    ]);
    expect(option.series[1]!.name).toBe('uniform (ln 100)');
  });

  it('keeps only prototypes that took images in the heatmap', () => {
    const heatmap = [
      [0, 0],
      [2, 1],
      [0, 0],
      [0, 4],
    ];
    expect(usedPrototypes(heatmap)).toEqual([1, 3]);
    const option = prototypeHeatmapOption(['a', 'b'], heatmap, false) as {
      yAxis: { data: string[] };
      series: { data: number[][] }[];
      visualMap: { max: number };
    };
    expect(option.yAxis.data).toEqual(['#1', '#3']);
    expect(option.series[0]!.data).toEqual([
      [0, 0, 2],
      [1, 0, 1],
      [0, 1, 0],
      [1, 1, 4],
    ]);
    expect(option.visualMap.max).toBe(4);
  });
});

describe('embedding scatter', () => {
  const points = [
    { imageId: 1, x: 0, y: 1, label: 'cat', split: 'train' as const },
    { imageId: 2, x: 1, y: 0, label: '<dog>', split: 'val' as const },
    { imageId: 3, x: 2, y: 2, label: null, split: 'train' as const },
  ];

  it('draws one series per label plus the selection and its neighbours on top', () => {
    const option = embeddingScatterOption(points, {
      dark: false,
      selected: 1,
      neighbours: [3],
      thumbnail: () => undefined,
    }) as { series: Series[]; legend: { data: string[] } };
    expect(option.legend.data).toEqual(['(unlabelled)', '<dog>', 'cat']);
    expect(option.series.map((s) => s.name)).toEqual([
      '(unlabelled)',
      '<dog>',
      'cat',
      'selected and neighbours',
    ]);
    expect(option.series[2]!.data).toEqual([[0, 1, 1]]);
    expect(option.series[3]!.data).toEqual([
      [0, 1, 1],
      [2, 2, 3],
    ]);
  });

  it('shows the thumbnail and an escaped label in the tooltip', () => {
    const option = embeddingScatterOption(points, {
      dark: true,
      selected: null,
      neighbours: [],
      thumbnail: (id) => (id === 2 ? 'data:image/png;base64,AA==' : undefined),
    }) as {
      tooltip: { formatter: (p: { value: unknown[] }) => string };
    };
    const html = option.tooltip.formatter({ value: [1, 0, 2] });
    expect(html).toContain('<img src="data:image/png;base64,AA=="');
    expect(html).toContain('&lt;dog&gt; · val · #2');
    expect(option.tooltip.formatter({ value: [0, 1, 1] })).toBe('cat · train · #1');
    expect(escapeHtml(`a"b'&`)).toBe('a&quot;b&#39;&amp;');
  });
});
