// Accessibility audit: axe-core (WCAG 2.0 and 2.1, levels A and AA) on every page route, for
// every role that can see it, in English and French; the projects run it with JavaScript off
// and on. The routes come from the server's own router (`server routes` prints them as `/report/{country}/{period}`), so a new page that
// is not listed here fails the first test instead of escaping the audit.
const { execFileSync } = require('node:child_process');
const { test, expect } = require('./fixtures');
const { ADMIN, jsEnabled, open, openBoard, signIn } = require('./helpers');
const { audit, noScriptTwin } = require('../lib/audit');
const { editWorkbook } = require('../lib/workbook');

const PASSWORDS = {
  admin: ADMIN.password,
  viewer: 'viewer passphrase for the browser tests',
  member: 'member passphrase for the browser tests',
  'focal-point': 'focal point passphrase for the browser tests',
};
const EMAILS = {
  admin: ADMIN.email,
  viewer: 'viewer@e2e.test',
  member: 'member@e2e.test',
  'focal-point': 'fp-audit@e2e.test',
};
const ROLES = ['anonymous', 'member', 'viewer', 'focal-point', 'admin'];
const EVERYONE = ROLES;
const LANGUAGES = ['en', 'fr'];

// Every page route: who can see it, and how to reach a real instance of it. `ctx` holds the
// ids the set-up test found (a period, an indicator, a user).
const ROUTES = {
  '/': { roles: EVERYONE, url: () => '/' },
  '/recommendations/{number}': { roles: EVERYONE, url: () => '/recommendations/5' },
  '/countries': { roles: EVERYONE, url: () => '/countries' },
  '/countries/{iso2}': { roles: EVERYONE, url: () => '/countries/MT' },
  '/dashboard': { roles: EVERYONE, url: () => '/dashboard' },
  '/dashboard/movement': { roles: EVERYONE, url: () => '/dashboard/movement' },
  '/dashboard/indicators': { roles: EVERYONE, url: () => '/dashboard/indicators' },
  '/login': { roles: ['anonymous'], url: () => '/login' },
  '/invitation/{token}': { roles: ['anonymous'], url: () => '/invitation/not-a-valid-token' },
  '/reset-password/{token}': { roles: ['anonymous'], url: () => '/reset-password/not-a-valid-token' },
  '/admin/users': { roles: ['admin'], url: () => '/admin/users' },
  '/admin/users/{id}': { roles: ['admin'], url: (ctx) => ctx.user },
  '/admin/audit': { roles: ['admin'], url: () => '/admin/audit' },
  '/admin/periods': { roles: ['admin', 'viewer'], url: () => '/admin/periods' },
  '/admin/periods/{id}': { roles: ['admin', 'viewer'], url: (ctx) => `/admin/periods/${ctx.period}` },
  '/admin/indicators': { roles: ['admin'], url: () => '/admin/indicators' },
  '/admin/indicators/{id}': { roles: ['admin'], url: (ctx) => ctx.indicator },
  '/report': { roles: ['focal-point'], url: () => '/report' },
  '/report/{country}/{period}': { roles: ['focal-point', 'admin', 'viewer'], url: (ctx) => `/report/MT/${ctx.period}` },
  '/admin/surveys': { roles: ['admin'], url: () => '/admin/surveys' },
  '/admin/surveys/{id}': { roles: ['admin'], url: (ctx) => ctx.survey },
  '/admin/surveys/{id}/sections/{code}': { roles: ['admin'], url: (ctx) => `${ctx.survey}/sections/S1` },
  '/admin/surveys/{id}/questions/{code}': { roles: ['admin'], url: (ctx) => `${ctx.survey}/questions/Q2` },
  '/admin/surveys/{id}/preview': { roles: ['admin'], url: (ctx) => `${ctx.survey}/preview?section=0` },
  '/admin/surveys/{id}/invitations': { roles: ['admin'], url: (ctx) => `${ctx.survey}/invitations` },
  '/admin/surveys/{id}/results': { roles: ['admin', 'viewer'], url: (ctx) => `${ctx.survey}/results` },
  '/admin/surveys/{id}/responses': { roles: ['admin'], url: (ctx) => `${ctx.survey}/responses` },
  '/admin/surveys/{id}/responses/{response}': { roles: ['admin'], url: (ctx) => ctx.response },
  '/account/data': { roles: ['member', 'viewer', 'focal-point', 'admin'], url: () => '/account/data' },
  '/s/{token}': { roles: ['anonymous'], url: (ctx) => ctx.answering },
  '/s/copy/{receipt}': { roles: ['anonymous'], url: (ctx) => ctx.copy },
  // The admin's own upload of the bulk workbook (only the uploader sees an import).
  '/imports/{id}': { roles: ['admin'], url: (ctx) => ctx.import },
};

function routerRoutes() {
  const out = execFileSync(process.env.RT_SERVER_BIN, ['routes'], { encoding: 'utf8' });
  return out.split('\n').map((l) => l.trim()).filter(Boolean);
}

test('every route of the router is in the audit', async () => {
  const routes = routerRoutes();
  expect(routes.length).toBeGreaterThan(10);
  const missing = routes.filter((r) => !(r in ROUTES));
  expect(missing, 'routes without an audit entry: add them to ROUTES').toEqual([]);
  const stale = Object.keys(ROUTES).filter((r) => !routes.includes(r));
  expect(stale, 'audit entries the router no longer has').toEqual([]);
});

/** Ids of real records for the parametrised routes, created by the admin when missing. */
async function prepare(page, testInfo) {
  await signIn(page, testInfo, ADMIN.email, ADMIN.password);
  const period = await openBoard(page, testInfo);
  await open(page, '/admin/indicators', testInfo);
  const links = page.locator('main a[href^="/admin/indicators/"]');
  if (await links.count() === 0) {
    const form = page.locator('form').filter({ has: page.locator('[name=name]') }).last();
    await form.locator('[name=recommendation]').selectOption('1');
    await form.locator('[name=name]').fill('Screening volume as % of 2019');
    await form.locator('[name=kind]').selectOption({ index: 1 });
    await form.locator('button[type=submit]').click();
    await expect(links.first()).toBeVisible();
  }
  const indicator = await links.first().getAttribute('href');
  await open(page, '/admin/users', testInfo);
  const user = await page.locator('main a[href^="/admin/users/"]').first().getAttribute('href');
  const survey = await prepareSurvey(page, testInfo);
  const imported = await prepareImport(page, testInfo, period);
  await page.context().clearCookies();
  return { period, indicator, user, import: imported, ...survey };
}

/**
 * The admin uploads the period's bulk workbook with one status changed: its dry run, with a
 * change to show.
 */
async function prepareImport(page, testInfo, period) {
  const workbook = await page.request.get(`/admin/periods/${period}/workbook.xlsx`);
  expect(workbook.status()).toBe(200);
  const edited = editWorkbook(await workbook.body(), [['MT.R7', 3, 'Planned']]);
  await open(page, `/admin/periods/${period}`, testInfo);
  await page.getByLabel('Workbook to upload').setInputFiles({ name: 'all-countries.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: edited });
  await page.getByRole('button', { name: 'Upload and check' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Import: / })).toBeVisible();
  return new URL(page.url()).pathname;
}

/**
 * An open survey with an open link, a single choice and a matrix question; one respondent
 * part-way (their section page) and one who submitted (their copy, and the response).
 */
async function prepareSurvey(page, testInfo) {
  await open(page, '/admin/surveys', testInfo);
  const existing = page.getByRole('link', { name: 'Audit survey', exact: true });
  if (await existing.count() === 0) {
    await page.getByLabel('Title').fill('Audit survey');
    await page.getByRole('button', { name: 'Create survey' }).click();
    for (const [kind, text] of [['Single choice', 'Is there a backlog?'], ['Matrix (rows on one scale)', 'How are these services now?']]) {
      const form = page.locator('form', { has: page.getByRole('heading', { name: 'Add a question to section S1' }) });
      await form.getByLabel('Kind of question').selectOption({ label: kind });
      await form.getByLabel('Question', { exact: true }).fill(text);
      await form.getByRole('button', { name: 'Add question' }).click();
      await expect(page.getByRole('heading', { level: 1, name: /Question Q\d/ })).toBeVisible();
      await page.getByRole('link', { name: /Back to/ }).click();
    }
    await page.getByLabel('Open link (anyone with the link may answer)').check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('button', { name: 'Open the survey' }).click();
    await expect(page.getByText('Open: taking answers.')).toBeVisible();
  } else {
    await existing.click();
  }
  const survey = new URL(page.url()).pathname;
  const openLink = (await page.getByText(/The open link: /).innerText()).match(/\/s\/[A-Za-z0-9_-]+/)[0];
  // One respondent part-way, one who submitted.
  await open(page, openLink, testInfo);
  await page.getByRole('button', { name: 'Start the survey' }).click();
  await expect(page.getByRole('button', { name: 'Review your answers' })).toBeVisible();
  const answering = new URL(page.url()).pathname;
  await open(page, openLink, testInfo);
  await page.getByRole('button', { name: 'Start the survey' }).click();
  await page.getByRole('button', { name: 'Review your answers' }).click();
  await page.getByRole('button', { name: 'Submit my answers' }).click();
  await expect(page.getByRole('heading', { name: 'Thank you' })).toBeVisible();
  const copy = new URL(page.url()).pathname;
  await open(page, `${survey}/responses`, testInfo);
  const response = await page.locator(`main a[href^="${survey}/responses/"]`).first().getAttribute('href');
  return { survey, answering, copy, response };
}

let ctx;

for (const role of ROLES) {
  for (const lang of LANGUAGES) {
    test(`every page ${role === 'anonymous' ? 'a visitor' : `a ${role}`} can see passes the WCAG 2.1 AA audit in ${lang}`, async ({ page, browser }, testInfo) => {
      test.setTimeout(120_000);
      if (!ctx) ctx = await prepare(page, testInfo);
      if (role !== 'anonymous') {
        await signIn(page, testInfo, EMAILS[role], PASSWORDS[role]);
      }
      const twin = jsEnabled(testInfo) ? null : await noScriptTwin(page, browser);
      const viewer = twin ? twin.twin : page;
      const problems = [];
      let audited = 0;
      for (const [pattern, route] of Object.entries(ROUTES)) {
        if (!route.roles.includes(role)) continue;
        const path = route.url(ctx);
        const url = `${path}${path.includes('?') ? '&' : '?'}lang=${lang}`;
        const response = twin ? await viewer.goto(url) : await open(page, url, testInfo);
        expect(response.status(), `${pattern} as ${role}`).toBeLessThan(500);
        await expect(viewer.locator('html')).toHaveAttribute('lang', lang);
        if (twin) await expect(viewer.locator('body[data-islands]')).toHaveCount(0);
        problems.push(...await audit(viewer, url));
        audited += 1;
      }
      if (twin) await twin.close();
      testInfo.annotations.push({ type: 'audited', description: `${audited} routes` });
      expect(audited).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    });
  }
}
