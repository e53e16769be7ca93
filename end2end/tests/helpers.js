// Shared steps of the browser tests.
const { expect } = require('@playwright/test');

/** Is this run the one with JavaScript enabled? */
function jsEnabled(testInfo) {
  return testInfo.project.use.javaScriptEnabled !== false;
}

/**
 * Opens `path`; with JavaScript on, waits until the page has hydrated, so that what the test
 * does next goes through the hydrated app rather than the plain HTML.
 */
async function open(page, path, testInfo) {
  const response = await page.goto(path);
  if (jsEnabled(testInfo)) {
    await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  }
  return response;
}

module.exports = { jsEnabled, open };
