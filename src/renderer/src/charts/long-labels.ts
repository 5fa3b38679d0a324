/**
 * Long names (80-character class names, long run names) in charts: cut to a fixed width with an
 * ellipsis so they never push an axis or a legend out of its chart, the full text kept for the
 * tooltip. ECharts measures the width in pixels (`overflow: 'truncate'`).
 */

/** Widest a category-axis label or a legend entry is drawn, in pixels. */
export const LABEL_WIDTH_PX = 110;

/** axisLabel fields that cut a category label to `width` px (every label shown, none skipped). */
export function truncatedAxisLabel(width = LABEL_WIDTH_PX): Record<string, unknown> {
  return { width, overflow: 'truncate', ellipsis: '…', interval: 0 };
}

/** Legend fields: entries in `color` cut to `width` px, the full name as the entry's tooltip; scrolls when they do not fit. */
export function truncatedLegend(color: string, width = LABEL_WIDTH_PX): Record<string, unknown> {
  return { type: 'scroll', tooltip: { show: true }, textStyle: { color, width, overflow: 'truncate', ellipsis: '…' } };
}

/** Text safe inside an ECharts HTML tooltip (names are user data: `<dog>` is a name, not markup). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
