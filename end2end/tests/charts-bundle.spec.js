// The charts' browser files (scripts/build-charts: the custom ECharts build and the mount
// script) under the Content-Security-Policy of the app's pages. A page on its own loopback
// server, sent with exactly that policy, holds three charts as the dashboard renders them:
// a stacked bar with decal patterns, a heatmap and a map registered from GeoJSON. The charts
// must draw as SVG without a single policy violation, console error or request elsewhere, and
// fold their data tables away only once drawn.
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const path = require('path');
const { test, expect } = require('./fixtures');
const { jsEnabled } = require('./helpers');

const CHARTS_DIR = process.env.RT_CHARTS_DIR || path.join(__dirname, '..', '..', 'public', 'charts');
const STYLESHEET = path.join(__dirname, '..', '..', 'style', 'main.css');
const FAVICON = path.join(__dirname, '..', '..', 'public', 'favicon.svg');

/** `page_csp` in app/src/http.rs, word for word. */
function pageCsp(nonce) {
  return (
    `default-src 'self'; script-src 'self' 'nonce-${nonce}' 'wasm-unsafe-eval'; ` +
    "style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
  );
}

const MARKS = [
  { name: 'Not started', colour: '#6b7280' },
  { name: 'Planned', colour: '#2563eb' },
  { name: 'Partially implemented', colour: '#b45309' },
  { name: 'Fully implemented', colour: '#15803d' },
];
const RECOMMENDATIONS = ['R1', 'R2', 'R3'];
const COUNTRIES = [
  { iso2: 'AT', name: 'Austria' },
  { iso2: 'CH', name: 'Switzerland' },
  { iso2: 'DE', name: 'Germany' },
];

const BAR = {
  aria: { enabled: true, decal: { show: true } },
  tooltip: { trigger: 'axis', renderMode: 'richText' },
  legend: { top: 0 },
  grid: { left: 40, right: 16, top: 40, bottom: 24 },
  xAxis: { type: 'category', data: RECOMMENDATIONS },
  yAxis: { type: 'value' },
  series: MARKS.map((m, i) => ({
    name: m.name,
    type: 'bar',
    stack: 'countries',
    itemStyle: { color: m.colour },
    data: RECOMMENDATIONS.map((_, r) => 1 + ((i + r) % 3)),
  })),
};

const HEATMAP = {
  tooltip: { renderMode: 'richText' },
  grid: { left: 90, right: 16, top: 8, bottom: 24 },
  xAxis: { type: 'category', data: RECOMMENDATIONS },
  yAxis: { type: 'category', data: COUNTRIES.map((c) => c.name) },
  series: [{
    type: 'heatmap',
    name: 'Status',
    label: { show: true },
    data: COUNTRIES.flatMap((_, y) => RECOMMENDATIONS.map((_, x) => {
      const mark = MARKS[(x + y) % MARKS.length];
      return { value: [x, y, (x + y) % MARKS.length], itemStyle: { color: mark.colour } };
    })),
  }],
};

const MAP = {
  tooltip: { renderMode: 'richText' },
  series: [{
    type: 'map',
    map: 'e2e-europe',
    // Joined on ISO codes, not names.
    nameProperty: 'iso_a2',
    roam: false,
    data: COUNTRIES.map((c, i) => ({
      name: c.iso2,
      value: i,
      itemStyle: { areaColor: MARKS[i].colour },
    })),
  }],
};

/** Three made-up boxes standing for countries, enough for the map series to draw. */
const GEOJSON = {
  type: 'FeatureCollection',
  features: COUNTRIES.map((c, i) => ({
    type: 'Feature',
    properties: { iso_a2: c.iso2, name: c.name },
    geometry: {
      type: 'Polygon',
      coordinates: [[[10 + 3 * i, 46], [12 + 3 * i, 46], [12 + 3 * i, 48], [10 + 3 * i, 48], [10 + 3 * i, 46]]],
    },
  })),
};

/**
 * A figure as the dashboard renders it (app/src/dashboard/pages.rs), its data table open. A
 * chart area either holds the server's own drawing or is marked `data-needs-js`.
 */
function figure(name, caption, option, { map = '', serverSvg = '' } = {}) {
  const json = (typeof option === 'string' ? option : JSON.stringify(option)).replace(/</g, '\\u003c');
  const mapAttributes = map ? ` data-map-name="${map}" data-map-url="/charts/${map}.geo.json"` : '';
  const needsJs = serverSvg ? '' : ' data-needs-js=""';
  return `
<figure class="chart" id="chart-${name}" aria-labelledby="chart-${name}-caption">
  <figcaption id="chart-${name}-caption"><span class="chart-caption">${caption}</span></figcaption>
  <div class="chart-canvas h-24" data-chart="chart-${name}-option"${mapAttributes}${needsJs} aria-hidden="true">${serverSvg}</div>
  <script type="application/json" id="chart-${name}-option">${json}</script>
  <details class="chart-data" open><summary>Data table</summary>
    <table><caption>${caption}</caption><tr><th scope="col">Country</th><th scope="col">Status</th></tr>
    <tr><td>Austria</td><td>Planned</td></tr></table></details>
  <p class="chart-downloads"><a href="/${name}.csv" download>Download CSV</a></p>
</figure>`;
}

/** What the server draws for the map without JavaScript (a stand-in). */
const SERVER_MAP = '<svg viewBox="0 0 10 10"><title>Server map</title><rect width="10" height="10" fill="#d9d9d9"/></svg>';

function html(manifest, figures) {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Charts</title>
<link rel="icon" href="/favicon.svg"><link rel="stylesheet" href="/main.css"></head>
<body><main><h1>Charts</h1>${figures.join('\n')}</main>
<script type="module" src="/charts/${manifest.mount}" data-echarts="/charts/${manifest.echarts}"></script>
</body></html>`;
}

/** Serves `html` at `/`, the built charts' files, the stylesheet and the GeoJSON. */
async function serve(body) {
  const types = { '.js': 'text/javascript', '.json': 'application/json', '.css': 'text/css' };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const send = (status, type, body, headers = {}) => {
      res.writeHead(status, { 'content-type': type, ...headers });
      res.end(body);
    };
    if (url.pathname === '/') {
      const nonce = crypto.randomBytes(16).toString('base64');
      return send(200, 'text/html; charset=utf-8', body, { 'content-security-policy': pageCsp(nonce) });
    }
    if (url.pathname === '/main.css') return send(200, 'text/css', fs.readFileSync(STYLESHEET));
    if (url.pathname === '/favicon.svg') return send(200, 'image/svg+xml', fs.readFileSync(FAVICON));
    if (url.pathname === '/charts/e2e-europe.geo.json') {
      return send(200, 'application/json', JSON.stringify(GEOJSON));
    }
    const name = path.basename(url.pathname);
    const file = path.join(CHARTS_DIR, name);
    if (url.pathname === `/charts/${name}` && fs.existsSync(file)) {
      return send(200, types[path.extname(name)] || 'application/octet-stream', fs.readFileSync(file));
    }
    return send(404, 'text/plain', 'not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

function manifest() {
  const file = path.join(CHARTS_DIR, 'manifest.json');
  if (!fs.existsSync(file)) {
    throw new Error(`${file} is missing: run scripts/build-charts first`);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Records what the page reports: console errors, CSP violations, requests. */
async function watch(page) {
  const seen = { errors: [], requests: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') seen.errors.push(msg.text());
  });
  page.on('pageerror', (error) => seen.errors.push(error.message));
  page.on('request', (request) => seen.requests.push(request.url()));
  page.on('response', (response) => {
    if (response.status() >= 400) seen.errors.push(`${response.status()} ${response.url()}`);
  });
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
    });
  });
  return seen;
}

const FIGURES = [
  ['status-bars', 'Statuses per recommendation, stacked', BAR],
  ['heatmap', 'Status by country and recommendation', HEATMAP],
  ['map', 'Map of the statuses', MAP, { map: 'e2e-europe', serverSvg: SERVER_MAP }],
];

test('charts draw as SVG under the pages\' CSP and fold their tables away', async ({ page }, testInfo) => {
  const { server, origin } = await serve(chartsPage(FIGURES));
  try {
    const seen = await watch(page);
    await page.goto(`${origin}/`);
    if (!jsEnabled(testInfo)) {
      // Without JavaScript the tables are the charts: open; the map area shows the server's
      // drawing, the others take no room.
      for (const [, caption, , { serverSvg } = {}] of FIGURES) {
        const fig = page.getByRole('figure', { name: caption });
        await expect(fig.getByRole('table')).toBeVisible();
        if (serverSvg) {
          await expect(fig.locator('svg', { hasText: 'Server map' })).toBeVisible();
        } else {
          await expect(fig.locator('[data-chart]')).toBeHidden();
        }
      }
      return;
    }

    for (const [, caption] of FIGURES) {
      const fig = page.getByRole('figure', { name: caption });
      await expect(fig).toHaveAttribute('data-chart-ready', '');
      await expect(fig.getByRole('group')).toHaveJSProperty('open', false);
      await expect(fig.getByRole('table')).toBeHidden();
      await expect(fig.locator('svg')).toHaveCount(1);
      await expect(fig.locator('svg', { hasText: 'Server map' }), 'ECharts replaced the server drawing').toHaveCount(0);
    }
    const bars = page.getByRole('figure', { name: FIGURES[0][1] }).locator('svg');
    // 4 marks x 3 recommendations, each filled with its colour and again with its pattern.
    expect(await bars.locator('path').count()).toBeGreaterThanOrEqual(12);
    expect(await bars.locator('pattern').count(), 'decal patterns').toBeGreaterThanOrEqual(MARKS.length);
    const heatmap = page.getByRole('figure', { name: FIGURES[1][1] }).locator('svg');
    expect(await heatmap.locator('path').count()).toBeGreaterThanOrEqual(COUNTRIES.length * RECOMMENDATIONS.length);
    // Each cell in its status's colour, with no visualMap component.
    const cells = await heatmap.locator('path').evaluateAll((paths) => paths.map((p) => p.getAttribute('fill')));
    for (const { colour } of MARKS) expect(cells, `a cell filled with ${colour}`).toContain(colour);
    const map = page.getByRole('figure', { name: FIGURES[2][1] }).locator('svg');
    const fills = await map.locator('path').evaluateAll((paths) => paths.map((p) => p.getAttribute('fill')));
    for (const { colour } of MARKS.slice(0, COUNTRIES.length)) {
      expect(fills, `a country filled with ${colour}`).toContain(colour);
    }

    // The tooltips (rich text, drawn in the SVG: HTML tooltips carry inline styles the CSP
    // refuses) and a resize must not break the policy either.
    await bars.hover();
    await page.getByRole('figure', { name: FIGURES[1][1] }).locator('[data-chart]').hover();
    const before = await bars.getAttribute('width');
    await page.setViewportSize({ width: 700, height: 800 });
    await expect.poll(() => bars.getAttribute('width')).not.toBe(before);

    expect(await page.evaluate(() => window.cspViolations)).toEqual([]);
    expect(seen.errors).toEqual([]);
    expect(seen.requests.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
    // The GeoJSON was fetched once, ECharts loaded once.
    expect(seen.requests.filter((url) => url.endsWith('.geo.json'))).toHaveLength(1);
  } finally {
    server.close();
  }
});

test('a chart that cannot be drawn leaves its table open and the others still draw', async ({ page }, testInfo) => {
  test.skip(!jsEnabled(testInfo), 'with JavaScript off no chart is drawn at all');
  const { server, origin } = await serve(chartsPage([
    ['broken', 'A chart whose option is not JSON', '{"series": ['],
    ['lost-map', 'A map whose boundaries are missing', MAP, { map: 'e2e-nowhere', serverSvg: SERVER_MAP }],
    FIGURES[0],
  ]));
  try {
    await page.goto(`${origin}/`);
    await expect(page.getByRole('figure', { name: FIGURES[0][1] })).toHaveAttribute('data-chart-ready', '');
    for (const caption of ['A chart whose option is not JSON', 'A map whose boundaries are missing']) {
      const fig = page.getByRole('figure', { name: caption });
      await expect(fig.getByRole('table')).toBeVisible();
      await expect(fig.getByRole('group')).toHaveJSProperty('open', true);
      await expect(fig).not.toHaveAttribute('data-chart-ready', '');
    }
    // Nothing to show: no empty room. The map keeps the server's drawing.
    await expect(page.getByRole('figure', { name: 'A chart whose option is not JSON' }).locator('[data-chart]')).toBeHidden();
    await expect(page.getByRole('figure', { name: 'A map whose boundaries are missing' }).locator('svg', { hasText: 'Server map' })).toBeVisible();
  } finally {
    server.close();
  }
});

/** The test page holding `figures` ([name, caption, option, {map, serverSvg}]). */
function chartsPage(figures) {
  return html(manifest(), figures.map(([name, caption, option, extra]) => figure(name, caption, option, extra)));
}
