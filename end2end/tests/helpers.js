// Shared steps of the browser tests.
const { expect } = require('@playwright/test');

/** The administrator that start-server.sh creates with `server user add`. */
const ADMIN = { email: 'admin@e2e.test', password: 'admin passphrase for the browser tests' };

/** Is this run the one with JavaScript enabled? */
function jsEnabled(testInfo) {
  return testInfo.project.use.javaScriptEnabled !== false;
}

/**
 * Opens `path`; with JavaScript on, waits until the page's islands (if it has any) are live
 * (the browser bundle sets `data-islands="live"` once every island on the page has hydrated),
 * so that what the test does next goes through them rather than the plain HTML.
 */
async function open(page, path, testInfo) {
  const response = await page.goto(path);
  if (jsEnabled(testInfo)) {
    await waitForIslands(page);
  }
  return response;
}

/**
 * Waits until the page's islands are live (JavaScript on). A page without an island loads no
 * script, so there is nothing to wait for.
 */
async function waitForIslands(page) {
  if (await page.locator('leptos-island').count() > 0) {
    await expect(page.locator('body[data-islands="live"]')).toHaveCount(1);
  }
}

/** Signs in through the sign-in page. */
async function signIn(page, testInfo, email, password) {
  await open(page, '/login', testInfo);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** Signs out from the header. */
async function signOut(page) {
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible();
}

module.exports = { ADMIN, jsEnabled, open, signIn, signOut, waitForIslands };
