// Interface languages in the browser: the switcher (plain links, so also without JavaScript),
// the remembered choice, a shared `?lang=` link, and the browser's own language on a first visit.
const { test, expect } = require('./fixtures');
const { ADMIN, PERIOD, isoDate, jsEnabled, open, openBoard, signIn, signOut, waitForIslands } = require('./helpers');

const FP_PASSWORD = 'focal point passphrase for the browser tests';

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

test('a French focal point fills, corrects and submits a report in French', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  const project = testInfo.project.name;
  const country = project === 'ssr' ? 'Belgique' : 'France';
  await signIn(page, testInfo, ADMIN.email, ADMIN.password);
  await openBoard(page, testInfo);
  await signOut(page);

  await open(page, '/login?lang=fr', testInfo);
  await page.getByLabel('Adresse électronique').fill(`fp-fr-${project}@e2e.test`);
  await page.getByLabel('Mot de passe').fill(FP_PASSWORD);
  await page.getByRole('main').getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('button', { name: 'Se déconnecter' })).toBeVisible();
  await page.getByRole('banner').getByRole('link', { name: 'Mes rapports' }).click();
  await page.getByRole('link', { name: `${country} — ${PERIOD}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: `${country} — ${PERIOD}` })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  if (jsEnabled(testInfo)) await waitForIslands(page);

  // A malformed link is refused in French, at its field and in the summary.
  await page.getByLabel('Liens vers les justificatifs pour la recommandation 1').fill('pas un lien');
  await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Il y a un problème' })).toBeVisible();
  await expect(page.locator('#f-entries-0-evidence-error')).toContainText('pas un lien');
  await expect(page.locator('#f-entries-0-evidence-error')).toContainText('Erreur');

  for (let n = 1; n <= 7; n++) {
    await page.getByLabel(`Statut de la recommandation ${n}`, { exact: true }).selectOption('planned');
    await page.getByLabel(`Description de l'avancement pour la recommandation ${n}`).fill(`Mesures financées dans le plan 2026 (${n}).`);
    await page.getByLabel(`Liens vers les justificatifs pour la recommandation ${n}`).fill('https://www.example.be/plan-cancer');
    await page.getByLabel(`Date de référence (recommandation ${n})`).fill(isoDate(-1));
  }
  await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Brouillon enregistré.' })).toBeVisible();
  await page.getByRole('button', { name: 'Soumettre pour examen' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Rapport soumis pour examen.' })).toBeVisible();
});
