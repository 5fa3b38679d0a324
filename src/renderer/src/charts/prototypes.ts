/**
 * SwAV prototype charts: how many images each prototype took in one epoch (collapse shows as a few
 * tall bars), the mean assignment entropy per epoch against the uniform ceiling ln K, and the
 * prototype × class heatmap of the last epoch (rows without any image are left out).
 */
import type { PrototypeSummary } from '../../../shared/schemas/prototypes';
import { axisStyle, chartPalette } from './palette';
import { slanted } from './class-balance';
import { escapeHtml, truncatedAxisLabel } from './long-labels';

function axes(dark: boolean) {
  const palette = chartPalette(dark);
  return { palette, axis: axisStyle(palette) };
}

export function prototypeUsageOption(
  counts: readonly number[],
  selected: number | null,
  dark: boolean,
): Record<string, unknown> {
  const { palette, axis } = axes(dark);
  return {
    backgroundColor: 'transparent',
    animation: false,
    textStyle: { color: palette.text },
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, top: 16, bottom: 40 },
    xAxis: {
      type: 'category',
      name: 'prototype',
      nameLocation: 'middle',
      nameGap: 26,
      data: counts.map((_, i) => String(i)),
      ...axis,
    },
    yAxis: { type: 'value', name: 'images', minInterval: 1, ...axis },
    series: [
      {
        type: 'bar',
        name: 'images',
        data: counts.map((value, i) => ({
          value,
          itemStyle: { color: i === selected ? palette.series[1] : palette.series[0] },
        })),
      },
    ],
  };
}

/** ln K: the entropy of a uniform assignment over K prototypes (nats). */
export function uniformEntropy(prototypes: number): number {
  return prototypes > 0 ? Math.log(prototypes) : 0;
}

export function entropyOption(
  entropy: PrototypeSummary['entropy'],
  prototypes: number,
  dark: boolean,
): Record<string, unknown> {
  const { palette, axis } = axes(dark);
  const epochs = entropy.map((e) => e.epoch);
  const ceiling = uniformEntropy(prototypes);
  return {
    backgroundColor: 'transparent',
    animation: false,
    textStyle: { color: palette.text },
    tooltip: { trigger: 'axis' },
    legend: { top: 0, textStyle: { color: palette.text } },
    grid: { left: 48, right: 16, top: 28, bottom: 40 },
    xAxis: {
      type: 'value',
      name: 'epoch',
      nameLocation: 'middle',
      nameGap: 24,
      minInterval: 1,
      ...axis,
    },
    yAxis: { type: 'value', name: 'nats', min: 0, ...axis },
    series: [
      {
        type: 'line',
        name: 'mean entropy',
        color: palette.series[0],
        data: entropy.map((e) => [e.epoch, e.entropy]),
      },
      {
        type: 'line',
        name: `uniform (ln ${prototypes})`,
        color: palette.muted,
        showSymbol: false,
        lineStyle: { type: 'dashed' },
        data:
          epochs.length > 0
            ? [
                [Math.min(...epochs), ceiling],
                [Math.max(...epochs), ceiling],
              ]
            : [],
      },
    ],
  };
}

/** Rows (prototypes) that hold at least one image, in index order. */
export function usedPrototypes(heatmap: readonly (readonly number[])[]): number[] {
  return heatmap.flatMap((row, i) => (row.some((c) => c > 0) ? [i] : []));
}

/** Pixels per heatmap row, margins (class names, colour scale) and the tallest the chart grows. */
const HEATMAP_ROW_PX = { few: 32, many: 14 };
const HEATMAP_MARGINS_PX = { top: 16, bottom: 150 };
export const HEATMAP_MAX_PX = 760;

/**
 * The heatmap's height for `rows` prototypes: roomy rows for a few (3 → 3 × 32 px), 14 px rows for
 * many, at most HEATMAP_MAX_PX — beyond that the rows scroll (a y-axis data zoom) instead.
 */
export function prototypeHeatmapHeight(rows: number): number {
  const rowPx = rows <= 10 ? HEATMAP_ROW_PX.few : HEATMAP_ROW_PX.many;
  return Math.min(HEATMAP_MAX_PX, HEATMAP_MARGINS_PX.top + HEATMAP_MARGINS_PX.bottom + Math.max(rows, 1) * rowPx);
}

/** Rows that fit at 14 px in the tallest chart; more than this scroll. */
function rowsThatFit(): number {
  return Math.floor((HEATMAP_MAX_PX - HEATMAP_MARGINS_PX.top - HEATMAP_MARGINS_PX.bottom) / HEATMAP_ROW_PX.many);
}

export function prototypeHeatmapOption(
  classes: readonly string[],
  heatmap: readonly (readonly number[])[],
  dark: boolean,
): Record<string, unknown> {
  const { palette, axis } = axes(dark);
  const rows = usedPrototypes(heatmap);
  const data = rows.flatMap((p, y) => (heatmap[p] ?? []).map((count, x) => [x, y, count]));
  const max = Math.max(1, ...data.map((d) => d[2]!));
  const scroll = rows.length > rowsThatFit();
  return {
    backgroundColor: 'transparent',
    animation: false,
    textStyle: { color: palette.text },
    tooltip: {
      position: 'top',
      confine: true,
      formatter: (p: { value: [number, number, number] }) =>
        `prototype #${rows[p.value[1]] ?? '?'} · ${escapeHtml(classes[p.value[0]] ?? '')}<br/>${p.value[2]} images`,
    },
    grid: { left: 64, right: scroll ? 40 : 16, top: HEATMAP_MARGINS_PX.top, bottom: HEATMAP_MARGINS_PX.bottom },
    xAxis: {
      type: 'category',
      data: [...classes],
      name: 'class',
      ...axisStyle(palette, {
        rotate: slanted(classes) || classes.length > 6 ? 40 : 0,
        ...truncatedAxisLabel(),
        ...(classes.length > 30 ? { interval: 'auto' } : {}),
      }),
    },
    yAxis: {
      type: 'category',
      data: rows.map((p) => `#${p}`),
      name: 'prototype',
      inverse: true,
      ...axis,
      axisLabel: { ...(axis['axisLabel'] as Record<string, unknown>), interval: scroll ? 'auto' : 0 },
    },
    // Hundreds of prototypes scroll (the slider, or dragging) rather than shrink to unreadable rows.
    dataZoom: scroll
      ? [
          { type: 'slider', yAxisIndex: 0, right: 4, width: 16, startValue: 0, endValue: rowsThatFit() - 1, showDetail: false },
          // Drag to pan; the wheel keeps scrolling the page.
          { type: 'inside', yAxisIndex: 0, zoomOnMouseWheel: false, moveOnMouseWheel: false },
        ]
      : [],
    visualMap: {
      min: 0,
      max,
      calculable: true,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      textStyle: { color: palette.text },
      inRange: { color: dark ? ['#262b35', '#7aa2f7'] : ['#f1f4fa', '#3b6fd8'] },
    },
    series: [
      {
        type: 'heatmap',
        name: 'images',
        data,
        label: { show: rows.length * classes.length <= 120, color: palette.text },
      },
    ],
  };
}
