// Interface languages in the browser: the switcher (plain links, so also without JavaScript),
// the remembered choice, a shared `?lang=` link, and the browser's own language on a first visit.
const { test, expect } = require('./fixtures');
const { open } = require('./helpers');

test('the language switcher turns the site French and the choice is remembered', async ({ page }, testInfo) => {
  await open(page, '/', testInfo);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  const switcher = page.getByRole('navigation', { name: 'Language' });
  await expect(switcher.getByRole('link', { name: 'English' })).toHaveAttribute('aria-current', 'true');
  await switcher.getByRole('link', { name: 'Français' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { level: 2, name: 'Les sept recommandations' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Langue' }).getByRole('link', { name: 'Français' }))
    .toHaveAttribute('aria-current', 'true');
  // The next page, reached by a plain link without `?lang=`, stays French (the cookie).
  await page.getByRole('banner').getByRole('link', { name: 'Pays' }).click();
  await expect(page).toHaveURL(/\/countries$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByText('Allemagne', { exact: true })).toBeVisible();
  // And back to English.
  await page.getByRole('navigation', { name: 'Langue' }).getByRole('link', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByText('Germany', { exact: true })).toBeVisible();
});

test('a shared link with ?lang=de opens the page in German', async ({ page }, testInfo) => {
  await open(page, '/recommendations/4?lang=de', testInfo);
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Personallücken in der Krebsversorgung auf dem europäischen Kontinent schließen');
  await expect(page.getByText('Empfehlung 4 von 7')).toBeVisible();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Länder' })).toBeVisible();
});

test.describe('a browser that asks for French', () => {
  test.use({ locale: 'fr-FR' });
  test('gets French on the first visit', async ({ page }, testInfo) => {
    await open(page, '/', testInfo);
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await expect(page.getByRole('link', { name: 'Aller au contenu principal' })).toBeAttached();
    await expect(page.getByRole('heading', { level: 2, name: 'Les sept recommandations' })).toBeVisible();
  });
});
