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

/** The reporting period the browser tests share, open for submissions. */
const PERIOD = 'E2E period';

function isoDate(offsetDays) {
  return new Date(Date.now() + offsetDays * 86400000).toISOString().slice(0, 10);
}

/**
 * Opens the period's completeness board as an admin, creating the period first if it does not
 * exist; returns the period's id.
 */
async function openBoard(page, testInfo) {
  await open(page, '/admin/periods', testInfo);
  const existing = page.getByRole('link', { name: PERIOD, exact: true });
  if (await existing.count() === 0) {
    const form = page.getByRole('region', { name: 'New period' });
    await form.getByLabel('Name').fill(PERIOD);
    await form.getByLabel('Period starts').fill('2026-01-01');
    await form.getByLabel('Period ends').fill('2026-06-30');
    await form.getByLabel('Submissions open').fill(isoDate(-1));
    await form.getByLabel('Submissions close').fill(isoDate(30));
    await form.getByRole('button', { name: 'Create period' }).click();
  } else {
    await existing.click();
  }
  await expect(page.getByRole('heading', { level: 1, name: `${PERIOD}: completeness` })).toBeVisible();
  return new URL(page.url()).pathname.split('/').pop();
}

module.exports = { ADMIN, PERIOD, isoDate, jsEnabled, open, openBoard, signIn, signOut, waitForIslands };
