// The custom Apache ECharts build: only the chart types and components the dashboard's
// options use, so a page with a chart downloads a fraction of the full library. The option
// JSON is built on the server (charming); an option naming anything not installed here draws
// nothing for that part, so add the piece here when a chart starts using it.
import { use } from 'echarts/core';
import { BarChart, HeatmapChart, LineChart, MapChart, ScatterChart } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendPlainComponent,
  MarkLineComponent,
  TooltipComponent,
} from 'echarts/components';
// MapChart installs the geo component it draws with; it need not be listed.
// SVG, not canvas: the drawing is part of the page's DOM, crisp at any zoom and in print,
// and the browser tests can see its shapes. It costs 3 KB (brotli) more than the canvas
// renderer (`node build.mjs --compare-renderers`).
import { SVGRenderer } from 'echarts/renderers';

use([
  BarChart,
  HeatmapChart,
  LineChart,
  MapChart,
  ScatterChart,
  AriaComponent,
  GridComponent,
  LegendPlainComponent,
  MarkLineComponent,
  TooltipComponent,
  SVGRenderer,
]);

export { getInstanceByDom, init, registerMap } from 'echarts/core';
