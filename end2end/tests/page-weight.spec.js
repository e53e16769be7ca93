// The page-weight budget: a first visit to any page without a chart downloads at most 110 KB of
// compressed JS+wasm and 160 KB in all. Measured with JavaScript on (with it off nothing but
// HTML and CSS is fetched). The table goes to the test output and to
// test-results/page-weight.md (`scripts/page-weight` prints it).
const fs = require('fs');
const http = require('http');
const path = require('path');
const crypto = require('crypto');
const { test, expect } = require('./fixtures');
const { ADMIN, jsEnabled, open, openBoard, signIn, signOut } = require('./helpers');
const { BUDGET, measure, overBudget, table } = require('../lib/page-weight');

const FOCAL_POINT = { email: 'fp-hydrate@e2e.test', password: 'focal point passphrase for the browser tests', iso2: 'IE' };

test('every main page stays within the page-weight budget', async ({ page }, testInfo) => {
  test.skip(!jsEnabled(testInfo), 'with JavaScript off a page downloads only its HTML and CSS');
  test.setTimeout(120_000);
  const rows = [];

  for (const [name, url] of [
    ['dashboard', '/dashboard'],
    ['movement', '/dashboard/movement'],
    ['indicators', '/dashboard/indicators'],
    ['country profile', '/countries/FR'],
  ]) {
    rows.push(await measure(page, url, { name: `${name} (public, charts)`, chart: true }));
  }
  for (const [name, url] of [
    ['home', '/'],
    ['recommendation', '/recommendations/1'],
    ['countries', '/countries'],
    ['sign-in', '/login'],
    ['not found (404)', '/no/such/page'],
  ]) {
    rows.push(await measure(page, url, { name: `${name} (public)` }));
  }

  await signIn(page, testInfo, ADMIN.email, ADMIN.password);
  const period = await openBoard(page, testInfo);
  await open(page, '/admin/users', testInfo);
  const adminPage = await page.getByRole('link', { name: 'Erika Admin' }).getAttribute('href');
  for (const [name, url] of [
    ['periods', '/admin/periods'],
    ['completeness board', `/admin/periods/${period}`],
    ['indicators', '/admin/indicators'],
    ['users', '/admin/users'],
    ['user', adminPage],
    ['audit log', '/admin/audit'],
    ['report (review)', `/report/${FOCAL_POINT.iso2}/${period}`],
  ]) {
    rows.push(await measure(page, url, { name: `${name} (admin)` }));
  }
  await signOut(page);

  await signIn(page, testInfo, FOCAL_POINT.email, FOCAL_POINT.password);
  for (const [name, url] of [
    ['my reports', '/report'],
    ['report form', `/report/${FOCAL_POINT.iso2}/${period}`],
  ]) {
    rows.push(await measure(page, url, { name: `${name} (focal point)` }));
  }
  await signOut(page);

  const report = table(rows);
  const out = path.join(__dirname, '..', 'test-results', 'page-weight.md');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${report}\n`);
  console.log(`\nPage weight, first visit, compressed (KB = 1,024 B):\n${report}\n`);

  // The report form has the one island today: its code must actually have been downloaded.
  const form = rows.find((r) => r.name === 'report form (focal point)');
  expect(form.wasm, 'the report form downloads the islands bundle').toBeGreaterThan(0);
  expect(overBudget(rows, BUDGET)).toEqual([]);
});

test('the budget check fails for a page that downloads too much script', async ({ page }, testInfo) => {
  test.skip(!jsEnabled(testInfo), 'the fixture page loads a script');
  // A page on its own loopback server whose script is 120 KB of incompressible data, sent
  // uncompressed: 120 KB of JS travels, over the 110 KB budget.
  const heavy = `/* ${crypto.randomBytes(90 * 1024).toString('base64')} */`;
  const server = http.createServer((req, res) => {
    if (req.url === '/heavy.js') {
      res.writeHead(200, { 'content-type': 'text/javascript', 'content-length': Buffer.byteLength(heavy) });
      res.end(heavy);
    } else {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><html lang="en"><title>Heavy</title><script src="/heavy.js"></script><p>Heavy</p></html>');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address();
    const row = await measure(page, `http://127.0.0.1:${port}/`, { name: 'heavy fixture' });
    expect(row.js).toBe(Buffer.byteLength(heavy));
    expect(overBudget([row])).toEqual([
      `heavy fixture: JS+wasm ${(row.js / 1024).toFixed(1)} KB > 110.0 KB`,
    ]);
    // A chart page is measured against its own budget, not this one; it can fail too.
    expect(overBudget([{ ...row, chart: true }])).toEqual([]);
    expect(overBudget([{ ...row, chart: true, js: 200 * 1024 }])).toEqual([
      'heavy fixture: JS+wasm 200.0 KB > 190.0 KB',
    ]);
  } finally {
    server.close();
  }
});
