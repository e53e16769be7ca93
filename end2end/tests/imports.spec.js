// Excel round trip end to end: a focal point downloads the report as a workbook, types in it,
// uploads it, reads the dry run (field by field, old → new; nothing saved yet), applies it and
// finds the values in the form; a file that is not a spreadsheet is refused with its message.
// An admin imports an XLSForm as a new draft survey, opens it, then imports past responses
// into it (applied in the background, the page following its progress).
// Each project works on its own country and its own survey.
const fs = require('node:fs');
const { test, expect } = require('./fixtures');
const { ADMIN, PERIOD, jsEnabled, open, openBoard, signIn, signOut } = require('./helpers');
const { editWorkbook, makeWorkbook } = require('../lib/workbook');

const FOCAL_POINTS = {
  ssr: { email: 'fp-xl-ssr@e2e.test', country: 'Spain', iso2: 'ES' },
  hydrate: { email: 'fp-xl-hydrate@e2e.test', country: 'Netherlands', iso2: 'NL' },
};
const FP_PASSWORD = 'focal point passphrase for the browser tests';

test('a report goes to Excel and back through a dry run, and a bad file changes nothing', async ({ page }, testInfo) => {
  const fp = FOCAL_POINTS[testInfo.project.name];
  await signIn(page, testInfo, ADMIN.email, ADMIN.password);
  await openBoard(page, testInfo);
  await signOut(page);

  await signIn(page, testInfo, fp.email, FP_PASSWORD);
  await open(page, '/report', testInfo);
  await page.getByRole('link', { name: `${fp.country} — ${PERIOD}` }).click();
  const reportUrl = page.url();
  const box = page.getByRole('region', { name: 'Work in Excel' });
  await expect(box).toBeVisible();

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    box.getByRole('link', { name: 'Download as Excel' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^progress-${fp.iso2}-.*\\.xlsx$`));
  const template = fs.readFileSync(await download.path());
  const edited = editWorkbook(template, [
    [`${fp.iso2}.R1`, 3, 'Planned'],
    [`${fp.iso2}.R2`, 4, 'Waiting lists published monthly since March.'],
  ]);

  // A file that is not a spreadsheet: its message, and nothing to apply.
  await box.getByLabel('Workbook to upload').setInputFiles({ name: 'report.xlsx', mimeType: 'text/csv', buffer: Buffer.from('country,status\nES,planned\n') });
  await box.getByRole('button', { name: 'Upload and check' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'problem(s) found' })).toBeVisible();
  await expect(page.getByRole('table', { name: /Problems/ })).toContainText('spreadsheet');
  await expect(page.getByRole('button', { name: /^Apply/ })).toHaveCount(0);
  await page.getByRole('button', { name: 'Discard' }).click();
  await expect(page.getByText('This import was discarded; nothing was saved.')).toBeVisible();

  // The edited workbook: two changes shown, nothing saved until applied.
  await page.goto(reportUrl);
  await page.getByRole('region', { name: 'Work in Excel' }).getByLabel('Workbook to upload').setInputFiles({ name: 'report.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: edited });
  await page.getByRole('button', { name: 'Upload and check' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Import: ${fp.country} — ${PERIOD}` })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: '2 change(s) in 2 entry(ies)' })).toBeVisible();
  const second = page.getByRole('table', { name: /^2\. / });
  await expect(second.getByRole('row', { name: /Narrative/ })).toContainText('Waiting lists published monthly since March.');
  await expect(page.getByRole('table', { name: /^1\. / }).getByRole('row', { name: /Status/ })).toContainText('Planned');
  if (jsEnabled(testInfo)) {
    // Keyboard: the apply button is reachable and shows its focus.
    await page.getByRole('button', { name: 'Apply 2 change(s)' }).focus();
    await expect(page.getByRole('button', { name: 'Apply 2 change(s)' })).toBeFocused();
  }
  await page.getByRole('button', { name: 'Apply 2 change(s)' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Imported.' })).toBeVisible();
  await page.getByRole('link', { name: 'Back' }).click();
  await expect(page.getByLabel('Narrative for recommendation 2')).toHaveValue('Waiting lists published monthly since March.');
  await expect(page.getByLabel('Status of recommendation 1', { exact: true })).toHaveValue('planned');
});

test('an admin imports an XLSForm as a new survey, then past responses into it', async ({ page }, testInfo) => {
  const title = `Past round (${testInfo.project.name})`;
  const form = makeWorkbook({
    survey: [
      ['type', 'name', 'label', 'constraint'],
      ['select_one yesno', 'resumed', 'Has screening resumed?', ''],
      ['integer', 'delay', 'Weeks of delay', '. >= 0 and . <= 52'],
    ],
    choices: [['list_name', 'name', 'label'], ['yesno', 'yes', 'Yes'], ['yesno', 'no', 'No']],
    settings: [['form_title', 'default_language'], [title, 'en']],
  });
  await signIn(page, testInfo, ADMIN.email, ADMIN.password);
  await open(page, '/admin/surveys', testInfo);
  const box = page.getByRole('region', { name: 'Import an XLSForm' });
  await box.getByLabel('Workbook to upload').setInputFiles({ name: 'past-round.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: form });
  await box.getByRole('button', { name: 'Upload and check' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Import: A new survey from an XLSForm' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: `A new draft survey “${title}”: 2 question(s)` })).toBeVisible();
  await expect(page.getByRole('row', { name: /delay/ })).toContainText('Weeks of delay');
  await page.getByRole('button', { name: 'Create the draft survey' }).click();
  await expect(page.getByRole('status').filter({ hasText: `the draft survey “${title}” was created` })).toBeVisible();
  await page.getByRole('link', { name: 'Open the new survey' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await page.getByRole('button', { name: 'Open the survey' }).click();
  await expect(page.getByText('Open: taking answers.')).toBeVisible();

  // Past responses: one bad cell named, then the corrected file imported.
  const responses = (delay) => makeWorkbook({ Responses: [['resumed', 'delay', 'country'], ['yes', '3', 'IT'], ['No', delay, 'France']] });
  let excel = page.getByRole('region', { name: 'Import past responses' });
  await excel.getByLabel('Workbook to upload').setInputFiles({ name: 'past.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: responses('60') });
  await excel.getByRole('button', { name: 'Upload and check' }).click();
  const problems = page.getByRole('table', { name: /Problems/ });
  await expect(problems.getByRole('row', { name: /above the highest answer/ })).toContainText('B');
  await page.getByRole('button', { name: 'Discard' }).click();
  await page.getByRole('link', { name: 'Back' }).click();
  excel = page.getByRole('region', { name: 'Import past responses' });
  await excel.getByLabel('Workbook to upload').setInputFiles({ name: 'past.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: responses('12') });
  await excel.getByRole('button', { name: 'Upload and check' }).click();
  await expect(page.getByRole('status').filter({ hasText: `2 response(s) to import into “${title}”` })).toBeVisible();
  await page.getByRole('button', { name: 'Import 2 response(s)' }).click();
  // Applied in the background: the page refreshes itself until it is done.
  await expect(page.getByRole('status').filter({ hasText: 'Imported: 2 response(s).' })).toBeVisible({ timeout: 15_000 });
  await page.getByRole('link', { name: 'Back' }).click();
  await expect(page.getByText('Responses: 2.')).toBeVisible();
});
