// The public pages, as anyone sees them.
const { test, expect } = require('./fixtures');
const { open } = require('./helpers');

const TITLES = [
  'Urgently address the cancer backlog',
  'Restore the confidence of European citizens and patients in cancer health services',
  'Tackle medicines, products and equipment shortages',
  'Address cancer workforce gaps across the European continent',
  'Employ innovative technologies and solutions to strengthen cancer systems and provide optimal care to cancer patients',
  'Embed data collection and the rapid deployment of cancer intelligence to enhance policy delivery',
  'Secure deeper long-term European health cooperation',
];

test('the home page lists the seven recommendations and links each', async ({ page }, testInfo) => {
  const response = await open(page, '/', testInfo);
  expect(response.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1, name: 'Recovery Tracker' })).toBeVisible();
  const list = page.getByRole('list', { name: 'The seven recommendations' });
  await expect(list.getByRole('link')).toHaveText(TITLES);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});

test('a recommendation opens from the home page and links to the next', async ({ page }, testInfo) => {
  await open(page, '/', testInfo);
  await page.getByRole('link', { name: TITLES[2] }).click();
  await expect(page).toHaveURL(/\/recommendations\/3$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(TITLES[2]);
  await expect(page.getByText('Recommendation 3 of 7')).toBeVisible();
  await page.getByRole('link', { name: 'Next recommendation' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(TITLES[3]);
});

test('the countries page groups the EU27 and the other WHO Europe states', async ({ page }, testInfo) => {
  await open(page, '/', testInfo);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Countries' }).click();
  await expect(page).toHaveURL(/\/countries$/);
  const eu = page.getByRole('region', { name: 'EU27 (27)' });
  const other = page.getByRole('region', { name: 'Other WHO Europe Member States (26)' });
  await expect(eu.getByRole('listitem')).toHaveCount(27);
  await expect(other.getByRole('listitem')).toHaveCount(26);
  await expect(eu.getByText('Italy')).toBeVisible();
  await expect(other.getByText('Norway')).toBeVisible();
  // Each country opens its profile, which says "No report" while nothing is approved.
  await other.getByRole('link', { name: 'Norway' }).click();
  await expect(page).toHaveURL(/\/countries\/NO$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Norway' })).toBeVisible();
  await expect(page.locator('.profile-entries > li')).toHaveCount(7);
  await expect(page.locator('.profile-entries .mark-no-report')).toHaveCount(7);
});

test('an unknown address shows the 404 page with status 404', async ({ page }) => {
  const response = await page.goto('/no/such/page');
  expect(response.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  const missing = await page.goto('/recommendations/9');
  expect(missing.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to the home page' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Recovery Tracker' })).toBeVisible();
});

test('the skip link moves focus to the main content', async ({ page }, testInfo) => {
  await open(page, '/countries', testInfo);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
});
