// Page weight: what a first visit to a page downloads, by type, compressed as it travels, and
// the budget every page without a chart must hold. Used by tests/page-weight.spec.js (which
// `./scripts/test` runs) and by `scripts/page-weight` (which prints the table).

/** The budget, in bytes as transferred (compressed bodies; headers not counted). */
// 110 KB since the surveys' conditions island joined the one islands bundle (+8 KB brotli:
// 104.5 KB measured with the report form's checks); getting back under 100 KB is open work.
const BUDGET = { jsWasm: 110 * 1024, total: 160 * 1024 };
/**
 * Pages with charts also download Apache ECharts (a custom build of the chart types used,
 * about 180 KB brotli), the map's boundaries and their figures' data tables.
 */
const CHART_BUDGET = { jsWasm: 190 * 1024, total: 320 * 1024 };

const KINDS = ['html', 'css', 'js', 'wasm', 'other'];

function kindOf(contentType, resourceType) {
  const type = (contentType || '').toLowerCase();
  if (resourceType === 'document' || type.startsWith('text/html')) return 'html';
  if (type.startsWith('text/css')) return 'css';
  if (type.includes('javascript')) return 'js';
  if (type.startsWith('application/wasm')) return 'wasm';
  return 'other';
}

/**
 * Opens `url` as a first visit (browser cache disabled) and returns the bytes its requests
 * transferred, by kind. On a page with a script, waits until its islands are live (or, for a
 * fully hydrated build, `data-hydrated`); then until the network is quiet, so code loaded
 * when the browser is idle is counted too.
 */
async function measure(page, url, { name = url, chart = false } = {}) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const finished = [];
  const onFinished = (request) => finished.push(request);
  page.on('requestfinished', onFinished);
  try {
    await page.goto(url);
    // Only a page with a script has anything to wait for: its islands to be live, its charts
    // to be drawn.
    if (await page.locator('leptos-island').count() > 0) {
      await page
        .locator('body[data-islands="live"], body[data-hydrated="true"]')
        .first()
        .waitFor({ state: 'attached', timeout: 15_000 });
    }
    const charts = await page.locator('[data-chart]').count();
    if (charts > 0) {
      await page.waitForFunction(
        (n) => document.querySelectorAll('figure[data-chart-ready]').length === n,
        charts,
        { timeout: 15_000 },
      );
    }
    await page.waitForLoadState('networkidle');
  } finally {
    page.off('requestfinished', onFinished);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
    await cdp.detach();
  }
  const row = { name, url, chart, requests: 0, html: 0, css: 0, js: 0, wasm: 0, other: 0 };
  for (const request of finished) {
    const response = await request.response();
    if (!response) continue;
    const sizes = await request.sizes();
    const kind = kindOf(response.headers()['content-type'], request.resourceType());
    row[kind] += sizes.responseBodySize;
    row.requests += 1;
  }
  row.total = KINDS.reduce((sum, k) => sum + row[k], 0);
  return row;
}

/** The pages over budget, each with the reason. Pages with a chart have their own budget. */
function overBudget(rows, plain = BUDGET, charts = CHART_BUDGET) {
  const problems = [];
  for (const row of rows) {
    const budget = row.chart ? charts : plain;
    const jsWasm = row.js + row.wasm;
    if (jsWasm > budget.jsWasm) {
      problems.push(`${row.name}: JS+wasm ${kb(jsWasm)} KB > ${kb(budget.jsWasm)} KB`);
    }
    if (row.total > budget.total) {
      problems.push(`${row.name}: total ${kb(row.total)} KB > ${kb(budget.total)} KB`);
    }
  }
  return problems;
}

function kb(bytes) {
  return (bytes / 1024).toFixed(1);
}

/** The rows as a Markdown table (KB = 1,024 bytes, compressed as transferred). */
function table(rows) {
  const lines = [
    '| page | HTML | CSS | JS | wasm | other | JS+wasm | total | requests |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.name} | ${kb(r.html)} | ${kb(r.css)} | ${kb(r.js)} | ${kb(r.wasm)} | ${kb(r.other)} | ` +
        `${kb(r.js + r.wasm)} | ${kb(r.total)} | ${r.requests} |`,
    );
  }
  return lines.join('\n');
}

module.exports = { BUDGET, CHART_BUDGET, measure, overBudget, table, kindOf };
