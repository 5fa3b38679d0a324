import type { ClassBalance } from '../../../shared/schemas/datasets';

/** Stacked bars of images per class, train and validation split. Pure: data in, ECharts option out. */
export function classBalanceOption(rows: ClassBalance, dark: boolean): Record<string, unknown> {
  const text = dark ? '#d8dee9' : '#2e3440';
  return {
    backgroundColor: 'transparent',
    textStyle: { color: text },
    tooltip: { trigger: 'axis' },
    legend: { data: ['train', 'val'], textStyle: { color: text } },
    grid: { left: 48, right: 16, top: 32, bottom: 56 },
    xAxis: {
      type: 'category',
      data: rows.map((r) => r.label ?? '(unlabelled)'),
      axisLabel: { rotate: rows.length > 8 ? 40 : 0 },
    },
    yAxis: { type: 'value', name: 'images' },
    series: [
      { name: 'train', type: 'bar', stack: 'split', data: rows.map((r) => r.train) },
      { name: 'val', type: 'bar', stack: 'split', data: rows.map((r) => r.val) },
    ],
  };
}
