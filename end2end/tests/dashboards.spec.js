// The European comparison on the demo instance (a second server started by the config with
// `server demo-data`, as a newcomer would): with JavaScript, ECharts draws every chart from
// the app's own files with no error and no request to another host; without it, the map is a
// server-drawn SVG, the tables show and the filters (a GET form) still work.
const { test, expect } = require('./fixtures');
const { jsEnabled } = require('./helpers');
const { audit, noScriptTwin } = require('../lib/audit');

const DEMO = `http://127.0.0.1:${process.env.RT_E2E_DEMO_PORT || '3101'}`;
const VIEWER = { email: 'viewer@e2e.test', password: 'viewer passphrase for the browser tests' };

/** Opens a dashboard page; with JavaScript, waits until every chart on it has drawn. */
async function openBoard(page, testInfo, url) {
  const response = await page.goto(`${DEMO}${url}`);
  expect(response.status()).toBe(200);
  if (jsEnabled(testInfo)) {
    const charts = page.locator('[data-chart]');
    const n = await charts.count();
    await expect(page.locator('figure[data-chart-ready]')).toHaveCount(n, { timeout: 15_000 });
  }
  return response;
}

test('the overview draws the map, heatmap, distribution and ranking from the app alone', async ({ page }, testInfo) => {
  const foreign = [];
  const errors = [];
  page.on('request', (r) => {
    if (new URL(r.url()).host !== new URL(DEMO).host) foreign.push(r.url());
  });
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await openBoard(page, testInfo, '/dashboard');
  await expect(page.getByRole('heading', { level: 1, name: 'European comparison' })).toBeVisible();
  for (const name of ['map', 'heatmap', 'distribution', 'ranking']) {
    await expect(page.locator(`#chart-${name} figcaption`)).toBeVisible();
    await expect(page.locator(`#chart-${name} a[href*="/dashboard/download/${name}.csv"]`)).toBeVisible();
  }
  const map = page.locator('#chart-map');
  if (jsEnabled(testInfo)) {
    // ECharts drew each chart as SVG, and folded the tables away behind their toggle.
    for (const name of ['map', 'heatmap', 'distribution', 'ranking']) {
      expect(await page.locator(`#chart-${name} .chart-canvas svg path`).count()).toBeGreaterThan(10);
      await expect(page.locator(`#chart-${name} details.chart-data`)).not.toHaveAttribute('open', '');
    }
    await page.locator('#chart-heatmap summary').click();
    await expect(page.locator('#chart-heatmap table')).toBeVisible();
  } else {
    // The server's SVG map: one outline per country, each with its name and status.
    expect(await map.locator('svg path title').count()).toBeGreaterThanOrEqual(53);
    await expect(page.locator('#chart-heatmap table')).toBeVisible();
    await expect(page.locator('#chart-heatmap tbody tr')).toHaveCount(53);
  }
  // Status is written, not only coloured.
  await expect(page.locator('#chart-heatmap td.mark').first()).not.toHaveText('');
  const shot = testInfo.outputPath(`overview-${testInfo.project.name}.png`);
  await page.screenshot({ path: shot, fullPage: true });
  await testInfo.attach('overview', { path: shot, contentType: 'image/png' });
  expect(foreign, 'requests to another host').toEqual([]);
  expect(errors, 'console errors').toEqual([]);
});

test('changing a filter changes the URL, and the URL alone shows the same view', async ({ page }, testInfo) => {
  await openBoard(page, testInfo, '/dashboard');
  await page.getByLabel('Countries', { exact: true }).selectOption('eu27');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/group=eu27/);
  await expect(page.locator('#chart-ranking tbody tr')).toHaveCount(27);
  const url = page.url();
  await page.goto('about:blank');
  await page.goto(url);
  await expect(page.getByLabel('Countries', { exact: true })).toHaveValue('eu27');
  await expect(page.locator('#chart-heatmap tbody tr')).toHaveCount(27);
});

test('each download is the table the page shows', async ({ page }, testInfo) => {
  await openBoard(page, testInfo, '/dashboard/movement?recommendation=2');
  for (const name of ['movement', 'over-time']) {
    const href = await page.locator(`#chart-${name} a[href*=".csv"]`).getAttribute('href');
    const csv = await (await page.request.get(`${DEMO}${href}`)).text();
    const lines = csv.trim().split('\n');
    expect(lines.length - 1).toBe(await page.locator(`#chart-${name} tbody tr`).count());
    const image = await page.request.get(`${DEMO}${href.replace('.csv', '.svg')}`);
    expect(image.headers()['content-type']).toContain('image/svg+xml');
  }
});

test('a country profile shows the seven statuses, the timeline and the indicators', async ({ page }, testInfo) => {
  await openBoard(page, testInfo, '/countries/FR');
  await expect(page.getByRole('heading', { level: 1, name: 'France' })).toBeVisible();
  await expect(page.locator('.profile-entries > li')).toHaveCount(7);
  await expect(page.locator('#chart-timeline tbody tr')).toHaveCount(7);
  expect(await page.locator('#chart-indicator-values tbody tr').count()).toBeGreaterThan(0);
  await page.goto(`${DEMO}/countries/FR?lang=fr`);
  await expect(page.getByRole('heading', { level: 1, name: 'France' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
});

test('a viewer can include submitted reports, and every chart says so', async ({ page }, testInfo) => {
  await page.goto(`${DEMO}/login`);
  await page.getByLabel('Email').fill(VIEWER.email);
  await page.getByLabel('Password').fill(VIEWER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await openBoard(page, testInfo, '/dashboard');
  await page.getByLabel('Include submitted reports (not yet approved)').check();
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/submitted=1/);
  await expect(page.locator('figure.chart').first()).toContainText('Includes submitted reports');
  expect(await page.locator('.chart-note', { hasText: 'Includes submitted reports' }).count())
    .toBe(await page.locator('figure.chart').count());
});

test('the indicators page ranks countries with the median marked', async ({ page }, testInfo) => {
  await openBoard(page, testInfo, '/dashboard/indicators');
  await expect(page.locator('#chart-indicator figcaption')).toContainText('European median');
  expect(await page.locator('#chart-indicator tbody tr').count()).toBeGreaterThan(10);
});

test('the dashboards pass the accessibility audit with demo data', async ({ page, browser }, testInfo) => {
  test.setTimeout(90_000);
  // With JavaScript the audit runs once the charts drew; without it, on the server's HTML in a
  // twin tab whose scripts are blocked (axe itself is a script).
  const twin = jsEnabled(testInfo) ? null : await noScriptTwin(page, browser);
  const problems = [];
  for (const url of ['/dashboard', '/dashboard/movement', '/dashboard/indicators', '/countries/DE', '/dashboard?lang=fr&group=non-eu']) {
    if (twin) {
      await twin.twin.goto(`${DEMO}${url}`);
      problems.push(...await audit(twin.twin, url));
    } else {
      await openBoard(page, testInfo, url);
      problems.push(...await audit(page, url));
    }
  }
  if (twin) await twin.close();
  expect(problems).toEqual([]);
});

