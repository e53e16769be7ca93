// The accessibility audit shared by the specs: axe-core (WCAG 2.0 and 2.1, A and AA) plus our
// own table and badge rules, and the twin tab that audits a page as served without JavaScript.
const AxeBuilder = require('@axe-core/playwright').default;

/** axe's findings on the open page, as readable lines, plus our own table and badge rules. */
async function audit(page, url) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const problems = result.violations.map((v) =>
    `${url}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  // Every table has a caption and header cells; every status badge says its status in words.
  const tables = await page.locator('table').evaluateAll((ts) =>
    ts.filter((t) => !t.querySelector('caption') || !t.querySelector('th')).length);
  if (tables > 0) problems.push(`${url}: ${tables} table(s) without a caption or header cells`);
  const badges = await page.locator('.badge, [class*="status-"]').evaluateAll((bs) =>
    bs.filter((b) => b.textContent.trim() === '').length);
  if (badges > 0) problems.push(`${url}: ${badges} status badge(s) without text`);
  return problems;
}

/**
 * axe runs as a script in the page, which a page with JavaScript disabled cannot do. For the
 * JavaScript-off run, the audit uses a twin tab with the same cookies and scripting on for axe
 * only: every script of the site is blocked, so the page is exactly what a reader without
 * JavaScript gets.
 */
async function noScriptTwin(page, browser) {
  const context = await browser.newContext({ javaScriptEnabled: true, storageState: await page.context().storageState() });
  await context.route(/\/(pkg|charts)\/.*\.(js|wasm)$/, (route) => route.abort());
  const twin = await context.newPage();
  return { twin, close: () => context.close() };
}

module.exports = { audit, noScriptTwin };
