// Draws the page's charts. Each `<figure class="chart">` arrives from the server with its
// ECharts option as JSON and its data table open; this script loads the ECharts build only
// when the page has a chart, draws each one, and only then folds its table away. A chart area
// may hold the server's own drawing (the SVG map): ECharts takes its place once it has drawn.
// Without JavaScript, or when anything here fails, the table stays open and the server's
// drawing stays; an area with nothing to show gives up its room.
const loader = document.querySelector('script[data-echarts]');
const canvases = document.querySelectorAll('[data-chart]');

if (loader && canvases.length > 0) {
  import(new URL(loader.dataset.echarts, document.baseURI).href).then(mountAll, (error) => {
    console.error('charts: cannot load ECharts', error);
    for (const canvas of canvases) giveUp(canvas);
  });
}

function mountAll(echarts) {
  const maps = new Map();
  // A chart follows its area's size. An area with no width or height (a transient layout,
  // a hidden tab) is skipped: the map's view cannot be scaled to nothing.
  const resizes = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const { width, height } = entry.contentRect;
      if (width < 1 || height < 1) continue;
      try {
        echarts.getInstanceByDom(entry.target)?.resize();
      } catch (error) {
        console.warn(`charts: cannot resize ${entry.target.dataset.chart}`, error);
      }
    }
  });
  for (const canvas of canvases) {
    mount(echarts, maps, canvas).then(
      () => resizes.observe(canvas),
      (error) => {
        giveUp(canvas);
        console.error(`charts: cannot draw ${canvas.dataset.chart}`, error);
      },
    );
  }
}

/** Registers a map's GeoJSON once per name, however many charts use it. */
function registerMap(echarts, maps, name, url) {
  if (!maps.has(name)) {
    maps.set(
      name,
      fetch(url)
        .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`${url}: ${r.status}`))))
        .then((geoJson) => echarts.registerMap(name, geoJson)),
    );
  }
  return maps.get(name);
}

async function mount(echarts, maps, canvas) {
  const source = document.getElementById(canvas.dataset.chart);
  if (!source) throw new Error('no option');
  const option = JSON.parse(source.textContent);
  const { mapName, mapUrl } = canvas.dataset;
  if (mapName && mapUrl) await registerMap(echarts, maps, mapName, mapUrl);
  if (matchMedia('(prefers-reduced-motion: reduce)').matches) option.animation = false;
  const serverDrawing = [...canvas.childNodes];
  canvas.replaceChildren();
  const chart = echarts.init(canvas, null, { renderer: 'svg' });
  try {
    chart.setOption(option);
    if (!canvas.querySelector('svg')) throw new Error('nothing drawn');
  } catch (error) {
    chart.dispose();
    canvas.replaceChildren(...serverDrawing);
    throw error;
  }
  const figure = canvas.closest('figure');
  figure?.querySelector('details.chart-data')?.removeAttribute('open');
  figure?.setAttribute('data-chart-ready', '');
}

/** A chart that could not be drawn keeps the server's drawing, or else takes no room. */
function giveUp(canvas) {
  if (!canvas.firstElementChild) canvas.hidden = true;
}
