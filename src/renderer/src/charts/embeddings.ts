/**
 * A run's embeddings in 2-D: one scatter series per value of what the points are coloured by
 * (label, split, SwAV prototype, kNN right/wrong; the legend toggles them, points without a value
 * are one grey series), the clicked image and its nearest neighbours drawn on top, a tooltip with
 * the image's thumbnail, and ECharts' lasso (its `polygon` brush) for selecting points.
 */
import type { Projection } from '../../../shared/schemas/embeddings';
import { axisStyle, chartPalette, seriesColour } from './palette';
import { truncatedLegend } from './long-labels';

export type ProjectedPoint = Projection['points'][number];

export type ColourBy = 'label' | 'split' | 'prototype' | 'knn';

export interface ScatterOptions {
  dark: boolean;
  /** What the colours mean (default: the label). */
  colourBy?: ColourBy;
  selected: number | null;
  neighbours: readonly number[];
  /** A thumbnail data: URL for an image id, when loaded (read at hover time). */
  thumbnail: (imageId: number) => string | undefined;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Labels are folder names from the user's disk: escape them before ECharts puts them in HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export const UNLABELLED = '(unlabelled)';

/** The grey series of the points without a value, per colouring. */
export const NO_VALUE: Record<ColourBy, string> = {
  label: UNLABELLED,
  split: '(no split)',
  prototype: '(not assigned)',
  knn: '(not scored: training or unlabelled)',
};

export const KNN_RIGHT = 'kNN right';
export const KNN_WRONG = 'kNN wrong';

/** A point's category under a colouring, or null (greyed) when it has none. */
export function colourValue(point: ProjectedPoint, colourBy: ColourBy): string | null {
  switch (colourBy) {
    case 'label':
      return point.label;
    case 'split':
      return point.split;
    case 'prototype':
      return point.prototype === null || point.prototype === undefined
        ? null
        : `prototype ${point.prototype}`;
    case 'knn':
      return point.knnCorrect === null || point.knnCorrect === undefined
        ? null
        : point.knnCorrect
          ? KNN_RIGHT
          : KNN_WRONG;
  }
}

/** Categories in legend order: numeric parts compare as numbers (prototype 2 before prototype 10). */
function categoriesOf(points: readonly ProjectedPoint[], colourBy: ColourBy): string[] {
  const values = new Set(
    points.map((p) => colourValue(p, colourBy)).filter((v): v is string => v !== null),
  );
  return [...values].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

function tooltipExtra(point: ProjectedPoint, colourBy: ColourBy): string {
  if (colourBy === 'prototype')
    return point.prototype === null || point.prototype === undefined
      ? ' · no prototype'
      : ` · prototype ${point.prototype}`;
  if (colourBy === 'knn' && point.knnPrediction !== null && point.knnPrediction !== undefined)
    return ` · kNN says ${escapeHtml(point.knnPrediction)} ${point.knnCorrect ? '✓' : '✗'}`;
  return '';
}

export function embeddingScatterOption(
  points: readonly ProjectedPoint[],
  options: ScatterOptions,
): Record<string, unknown> {
  const palette = chartPalette(options.dark);
  const axis = axisStyle(palette);
  const byId = new Map(points.map((p) => [p.imageId, p]));
  const colourBy = options.colourBy ?? 'label';
  const categories = categoriesOf(points, colourBy);
  const missing = points.filter((p) => colourValue(p, colourBy) === null);
  const legend = [...(missing.length > 0 ? [NO_VALUE[colourBy]] : []), ...categories];
  const highlighted = [options.selected, ...options.neighbours].filter(
    (id): id is number => id !== null,
  );
  return {
    backgroundColor: 'transparent',
    animation: false,
    textStyle: { color: palette.text },
    legend: { top: 0, data: legend, ...truncatedLegend(palette.text) },
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'value', scale: true, ...axis },
    yAxis: { type: 'value', scale: true, ...axis },
    toolbox: {
      right: 8,
      top: 22,
      feature: {
        brush: {
          type: ['polygon', 'clear'],
          title: { polygon: 'Lasso select', clear: 'Clear selection' },
        },
      },
    },
    brush: {
      toolbox: ['polygon', 'clear'],
      xAxisIndex: 0,
      brushType: 'polygon',
      throttleType: 'debounce',
      throttleDelay: 120,
      outOfBrush: { colorAlpha: 0.25 },
    },
    dataZoom: [
      { type: 'inside', xAxisIndex: 0 },
      { type: 'inside', yAxisIndex: 0 },
    ],
    tooltip: {
      trigger: 'item',
      formatter: (params: { value?: unknown }) => {
        const id = Array.isArray(params.value) ? Number(params.value[2]) : NaN;
        const point = byId.get(id);
        if (!point) return '';
        const url = options.thumbnail(id);
        const image = url
          ? `<img src="${url}" width="64" height="64" style="image-rendering:pixelated;display:block" alt="">`
          : '';
        return `${image}${escapeHtml(point.label ?? UNLABELLED)} · ${point.split} · #${id}${tooltipExtra(point, colourBy)}`;
      },
    },
    series: [
      ...(missing.length > 0
        ? [
            {
              id: 'no-value',
              name: NO_VALUE[colourBy],
              type: 'scatter',
              symbolSize: 6,
              color: palette.muted,
              itemStyle: { opacity: 0.45 },
              data: missing.map((p) => [p.x, p.y, p.imageId]),
            },
          ]
        : []),
      ...categories.map((category, i) => ({
        id: `${colourBy}-${category}`,
        name: category,
        type: 'scatter',
        symbolSize: 7,
        color: colourBy === 'knn' ? knnColour(palette, category) : seriesColour(palette, i),
        data: points
          .filter((p) => colourValue(p, colourBy) === category)
          .map((p) => [p.x, p.y, p.imageId]),
      })),
      {
        id: 'highlight',
        name: 'selected and neighbours',
        type: 'scatter',
        symbolSize: (value: unknown[]) => (Number(value[2]) === options.selected ? 16 : 11),
        itemStyle: { color: 'transparent', borderColor: palette.text, borderWidth: 2 },
        z: 10,
        data: highlighted.flatMap((id) => {
          const p = byId.get(id);
          return p ? [[p.x, p.y, p.imageId]] : [];
        }),
      },
    ],
  };
}

/** Right in the palette's green, wrong in its orange: the two read apart in both themes. */
function knnColour(palette: ReturnType<typeof chartPalette>, category: string): string {
  return seriesColour(palette, category === KNN_RIGHT ? 2 : 1);
}

/** The image ids of a `brushselected` event's selection (each once, in series order). */
export function brushedImageIds(
  option: { series?: unknown },
  event: { batch?: { selected?: { seriesIndex: number; dataIndex: number[] }[] }[] },
): number[] {
  const series = (option.series ?? []) as { id?: string; data?: unknown[][] }[];
  const ids = new Set<number>();
  for (const batch of event.batch ?? []) {
    for (const { seriesIndex, dataIndex } of batch.selected ?? []) {
      const s = series[seriesIndex];
      if (!s || s.id === 'highlight') continue;
      for (const i of dataIndex) {
        const id = Number(s.data?.[i]?.[2]);
        if (Number.isInteger(id)) ids.add(id);
      }
    }
  }
  return [...ids];
}
