/**
 * A run's embeddings in 2-D: one scatter series per label (the legend toggles classes), the clicked
 * image and its nearest neighbours drawn on top, and a tooltip with the image's thumbnail.
 */
import type { Projection } from '../../../shared/schemas/embeddings';
import { axisStyle, chartPalette, seriesColour } from './palette';

export type ProjectedPoint = Projection['points'][number];

export interface ScatterOptions {
  dark: boolean;
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

export function embeddingScatterOption(
  points: readonly ProjectedPoint[],
  options: ScatterOptions,
): Record<string, unknown> {
  const palette = chartPalette(options.dark);
  const axis = axisStyle(palette);
  const byId = new Map(points.map((p) => [p.imageId, p]));
  const labels = [...new Set(points.map((p) => p.label ?? UNLABELLED))].sort();
  const highlighted = [options.selected, ...options.neighbours].filter(
    (id): id is number => id !== null,
  );
  return {
    backgroundColor: 'transparent',
    animation: false,
    textStyle: { color: palette.text },
    legend: { top: 0, type: 'scroll', data: labels, textStyle: { color: palette.text } },
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'value', scale: true, ...axis },
    yAxis: { type: 'value', scale: true, ...axis },
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
        return `${image}${escapeHtml(point.label ?? UNLABELLED)} · ${point.split} · #${id}`;
      },
    },
    series: [
      ...labels.map((label, i) => ({
        id: `label-${label}`,
        name: label,
        type: 'scatter',
        symbolSize: 7,
        color: seriesColour(palette, i),
        data: points
          .filter((p) => (p.label ?? UNLABELLED) === label)
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
