import type { ClassBalance } from '../../../shared/schemas/datasets';
import { escapeHtml, truncatedAxisLabel } from './long-labels';

/** At most this many class names are all written under the bars; beyond, ECharts skips overlapping ones. */
const ALL_LABELS_UP_TO = 30;

/** Names are written slanted when there are many or any is long (level ones would collide). */
export function slanted(names: readonly string[]): boolean {
  return names.length > 8 || names.some((n) => n.length > 12);
}

/**
 * Stacked bars of images per class, train and validation split. Pure: data in, ECharts option out.
 * Class names are cut to a fixed width under the bars; the tooltip names the class in full.
 */
export function classBalanceOption(rows: ClassBalance, dark: boolean): Record<string, unknown> {
  const text = dark ? '#d8dee9' : '#2e3440';
  const names = rows.map((r) => r.label ?? '(unlabelled)');
  return {
    backgroundColor: 'transparent',
    textStyle: { color: text },
    tooltip: {
      trigger: 'axis',
      confine: true,
      formatter: (params: { dataIndex: number; seriesName: string; value: number; marker: string }[]) => {
        const first = params[0];
        if (!first) return '';
        const name = names[first.dataIndex] ?? '';
        return [`<b>${escapeHtml(name)}</b>`, ...params.map((p) => `${p.marker}${p.seriesName}: ${p.value}`)].join('<br/>');
      },
    },
    // Top right, clear of the slanted class names under the bars.
    legend: { data: ['train', 'val'], top: 0, right: 0, textStyle: { color: text } },
    grid: { left: 48, right: 16, top: 32, bottom: 56 },
    xAxis: {
      type: 'category',
      data: names,
      axisLabel: {
        rotate: slanted(names) ? 40 : 0,
        ...truncatedAxisLabel(),
        ...(rows.length > ALL_LABELS_UP_TO ? { interval: 'auto' } : {}),
      },
    },
    yAxis: { type: 'value', name: 'images' },
    series: [
      { name: 'train', type: 'bar', stack: 'split', data: rows.map((r) => r.train) },
      { name: 'val', type: 'bar', stack: 'split', data: rows.map((r) => r.val) },
    ],
  };
}
