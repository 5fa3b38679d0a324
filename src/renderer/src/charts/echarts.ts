/**
 * ECharts, installed once for the whole app with only the pieces the views use (tree-shaken), and
 * `<v-chart>` registered globally. Option builders live beside this file as pure functions.
 */
import { BarChart, HeatmapChart, LineChart, ParallelChart, ScatterChart } from 'echarts/charts';
import {
  BrushComponent,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  ParallelComponent,
  TitleComponent,
  ToolboxComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { App } from 'vue';
import VChart from 'vue-echarts';

export function installCharts(app: App): void {
  use([
    CanvasRenderer,
    LineChart,
    BarChart,
    ScatterChart,
    HeatmapChart,
    ParallelChart,
    ParallelComponent,
    GridComponent,
    TooltipComponent,
    LegendComponent,
    TitleComponent,
    DataZoomComponent,
    VisualMapComponent,
    BrushComponent,
    ToolboxComponent,
  ]);
  app.component('VChart', VChart);
}
