/** Colours every chart shares, per theme, chosen for readable contrast on the app's surfaces. */
export interface ChartPalette {
  text: string;
  muted: string;
  gridLine: string;
  /** Series colours in order; runs in a comparison cycle through them. */
  series: readonly string[];
}

const LIGHT: ChartPalette = {
  text: '#2e3440',
  muted: '#6b7280',
  gridLine: '#e5e9f0',
  series: ['#3b6fd8', '#d8572a', '#2a9d5c', '#9b4dca', '#c99a06', '#0f8fa6', '#c2185b', '#5d6d7e'],
};

const DARK: ChartPalette = {
  text: '#d8dee9',
  muted: '#9aa3b2',
  gridLine: '#3b4252',
  series: ['#7aa2f7', '#ff9e64', '#9ece6a', '#bb9af7', '#e0af68', '#7dcfff', '#f7768e', '#a9b1d6'],
};

export function chartPalette(dark: boolean): ChartPalette {
  return dark ? DARK : LIGHT;
}

/** The colour of the i-th series (wraps around). */
export function seriesColour(palette: ChartPalette, index: number): string {
  return palette.series[index % palette.series.length] ?? palette.text;
}

/** Axis line, grid lines, axis name and labels in the theme's colours; `label` adds to axisLabel (formatter, rotate). */
export function axisStyle(
  palette: ChartPalette,
  label: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    axisLine: { lineStyle: { color: palette.muted } },
    splitLine: { lineStyle: { color: palette.gridLine } },
    nameTextStyle: { color: palette.muted },
    axisLabel: { color: palette.muted, ...label },
  };
}
