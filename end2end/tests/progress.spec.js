// Progress reporting end to end: a focal point fills, saves and submits; the admin returns one
// entry with a comment; the focal point fixes it and resubmits; the admin approves; the public
// API shows it. Each project works on its own country so the two runs do not meet.
const { test, expect } = require('./fixtures');
const { isoDate, jsEnabled, open, openBoard, signIn, signOut, waitForIslands, ADMIN, PERIOD } = require('./helpers');

const FOCAL_POINTS = {
  ssr: { email: 'fp-ssr@e2e.test', country: 'Portugal', iso2: 'PT' },
  hydrate: { email: 'fp-hydrate@e2e.test', country: 'Ireland', iso2: 'IE' },
};
const FP_PASSWORD = 'focal point passphrase for the browser tests';

async function openOwnReport(page, testInfo, fp) {
  await open(page, '/report', testInfo);
  await page.getByRole('link', { name: `${fp.country} — ${PERIOD}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: `${fp.country} — ${PERIOD}` })).toBeVisible();
  if (jsEnabled(testInfo)) {
    await waitForIslands(page);
  }
}

async function adminOpensReport(page, testInfo, fp) {
  await signIn(page, testInfo, ADMIN.email, ADMIN.password);
  await openBoard(page, testInfo);
  await page.getByRole('link', { name: fp.country, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: `${fp.country} — ${PERIOD}` })).toBeVisible();
}

test('a report is filled, returned with a comment, fixed, approved and published', async ({ page }, testInfo) => {
  const fp = FOCAL_POINTS[testInfo.project.name];

  // The admin makes sure the period exists and is open.
  await signIn(page, testInfo, ADMIN.email, ADMIN.password);
  await openBoard(page, testInfo);
  await expect(page.getByText('open for submissions')).toBeVisible();
  await signOut(page);

  // The focal point fills and saves a first draft.
  await signIn(page, testInfo, fp.email, FP_PASSWORD);
  await openOwnReport(page, testInfo, fp);
  await expect(page.getByRole('region', { name: /Still missing before you can submit/ })).toBeVisible();
  await page.getByLabel('Status of recommendation 1', { exact: true }).selectOption('in-progress');
  await page.getByLabel('Evidence links for recommendation 1').fill('not a link');
  await page.getByRole('button', { name: 'Save draft' }).click();
  // A malformed link is refused next to its field; nothing is lost.
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeVisible();
  await expect(page.getByText('“not a link” is not a web address').first()).toBeVisible();
  // What was typed is still there (without JavaScript the server kept it for this page).
  await expect(page.getByLabel('Evidence links for recommendation 1')).toHaveValue('not a link');
  await expect(page.getByLabel('Status of recommendation 1', { exact: true })).toHaveValue('in-progress');

  for (let n = 1; n <= 7; n++) {
    await page.getByLabel(`Status of recommendation ${n}`, { exact: true }).selectOption(n === 1 ? 'in-progress' : 'planned');
    await page.getByLabel(`Narrative for recommendation ${n}`).fill(`Measures for recommendation ${n} are funded in the 2026 plan.`);
    await page.getByLabel(`Evidence links for recommendation ${n}`).fill(n === 2 ? '' : 'https://www.example.gov/cancer-plan');
    await page.getByLabel(`As of (recommendation ${n})`).fill(isoDate(-1));
  }
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Draft saved.' })).toBeVisible();
  await expect(page.getByLabel('Narrative for recommendation 7')).toHaveValue('Measures for recommendation 7 are funded in the 2026 plan.');
  await expect(page.getByRole('region', { name: /Still missing/ })).toHaveCount(0);

  await page.getByRole('button', { name: 'Submit for review' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Report submitted for review.' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save draft' })).toHaveCount(0);
  await signOut(page);

  // The admin returns it with a comment on recommendation 2.
  await adminOpensReport(page, testInfo, fp);
  await page.getByLabel('Comment on recommendation 2').fill('Please add the link to the national plan.');
  await page.getByRole('button', { name: 'Return to focal point' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Report returned' })).toBeVisible();
  await signOut(page);

  // The focal point sees the comment, fixes the entry and resubmits.
  await signIn(page, testInfo, fp.email, FP_PASSWORD);
  await openOwnReport(page, testInfo, fp);
  await expect(page.getByRole('note').filter({ hasText: 'Please add the link to the national plan.' })).toBeVisible();
  await page.getByLabel('Evidence links for recommendation 2').fill('https://www.example.gov/national-plan');
  await page.getByRole('button', { name: 'Submit for review' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Report submitted for review.' })).toBeVisible();
  await signOut(page);

  // The admin approves.
  await adminOpensReport(page, testInfo, fp);
  await page.getByRole('button', { name: 'Approve and publish' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Report approved and published.' })).toBeVisible();

  // The public API shows the approved report.
  const response = await page.request.get(`/api/v1/progress?country=${fp.iso2}`);
  expect(response.status()).toBe(200);
  const entries = await response.json();
  expect(entries).toHaveLength(7);
  expect(entries[0].status).toBe('in-progress');
  expect(entries[1].evidence).toEqual(['https://www.example.gov/national-plan']);
  expect(entries[1].period).toBe(PERIOD);
});

test('with JavaScript, fields are checked as they are left, and unsaved changes are not lost by a click', async ({ page }, testInfo) => {
  test.skip(!jsEnabled(testInfo), 'inline checks and the leave warning are what JavaScript adds; without it the server checks on save (test above)');
  const fp = { email: 'fp-guard@e2e.test', country: 'Luxembourg' };
  await signIn(page, testInfo, ADMIN.email, ADMIN.password);
  await openBoard(page, testInfo);
  await signOut(page);
  await signIn(page, testInfo, fp.email, FP_PASSWORD);
  await openOwnReport(page, testInfo, fp);

  // A malformed link is flagged when the field is left, next to it and in the summary...
  const evidence = page.getByLabel('Evidence links for recommendation 3');
  const evidenceError = page.locator('#f-entries-2-evidence-error');
  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await evidence.fill('www example');
  await expect(evidenceError).toHaveCount(0);
  await evidence.blur();
  await expect(evidenceError).toContainText('“www example” is not a web address');
  await expect(summary).toContainText('“www example” is not a web address');
  // ...and the message goes as soon as it is fixed.
  await evidence.fill('https://www.example.lu/plan-cancer');
  await expect(evidenceError).toHaveCount(0);
  await expect(summary).toHaveCount(0);

  // Following a link with unsaved changes asks first; staying keeps what was typed.
  await page.getByLabel('Narrative for recommendation 3').fill('Typed, not saved yet.');
  const asked = [];
  const dismiss = (dialog) => { asked.push(dialog.message()); dialog.dismiss(); };
  page.on('dialog', dismiss);
  await page.getByRole('banner').getByRole('link', { name: 'My reports' }).click();
  await expect.poll(() => asked.length).toBe(1);
  expect(asked[0]).toContain('unsaved changes');
  await expect(page.getByRole('heading', { level: 1, name: `${fp.country} — ${PERIOD}` })).toBeVisible();
  await expect(page.getByLabel('Narrative for recommendation 3')).toHaveValue('Typed, not saved yet.');
  page.off('dialog', dismiss);

  // Once saved, leaving asks nothing.
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Draft saved.' })).toBeVisible();
  page.on('dialog', (dialog) => { asked.push(dialog.message()); dialog.accept(); });
  await page.getByRole('banner').getByRole('link', { name: 'My reports' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My reports' })).toBeVisible();
  expect(asked).toHaveLength(1);
});
