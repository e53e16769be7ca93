// The `test` every spec uses: Playwright's, plus a check that the page never threw (a Rust
// panic in the browser, a hydration error) during the test.
const base = require('@playwright/test');

const test = base.test.extend({
  page: async ({ page }, use) => {
    const problems = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message} at ${(error.stack || "").split("\n").slice(1, 3).join(" ")}`));
    page.on('console', (msg) => {
      const text = msg.text();
      if (msg.type() === 'error' && /panicked|hydrat|unreachable|RuntimeError/i.test(text)) {
        problems.push(`console: ${text}`);
      }
    });
    await use(page);
    base.expect(problems, 'the page reported errors').toEqual([]);
  },
});

module.exports = { test, expect: base.expect };
