// Keyboard only: a focal point completes and submits the report form without the mouse. A
// refused submit puts the focus on the error summary, whose links take it to the fields.
const { test, expect } = require('./fixtures');
const { ADMIN, PERIOD, isoDate, jsEnabled, open, openBoard, signIn, signOut, waitForIslands } = require('./helpers');

const FP_PASSWORD = 'focal point passphrase for the browser tests';

/** Presses Tab until the focused element matches `selector`. */
async function tabTo(page, selector, max = 600) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => !!document.activeElement && document.activeElement.matches(s), selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

const focused = (page) => page.evaluate(() => {
  const e = document.activeElement;
  return { id: e.id, tag: e.tagName, cls: e.className, name: e.getAttribute('name') || '' };
});

test('a report is completed and submitted with the keyboard alone', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  const email = `fp-keys-${testInfo.project.name}@e2e.test`;
  const country = testInfo.project.name === 'ssr' ? 'Estonia' : 'Latvia';
  await signIn(page, testInfo, ADMIN.email, ADMIN.password);
  const period = await openBoard(page, testInfo);
  await signOut(page);
  await signIn(page, testInfo, email, FP_PASSWORD);
  await open(page, `/report/${testInfo.project.name === 'ssr' ? 'EE' : 'LV'}/${period}`, testInfo);
  await expect(page.getByRole('heading', { level: 1, name: `${country} — ${PERIOD}` })).toBeVisible();

  // A malformed link, typed and submitted from the keyboard, is refused; the focus lands on
  // the list of problems.
  await tabTo(page, '[name="entries[0][evidence]"]');
  await page.keyboard.type('not a link');
  await tabTo(page, 'button[value=submit]');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeVisible();
  if (jsEnabled(testInfo)) await waitForIslands(page);
  await expect.poll(() => focused(page).then((f) => f.cls)).toContain('error-summary');
  // Its first link takes the focus to the field it names, where the fix is typed.
  await page.keyboard.press('Tab');
  const target = await page.evaluate(() => document.activeElement.getAttribute('href'));
  expect(target).toBe('#f-entries-0-evidence');
  await page.keyboard.press('Enter');
  await expect.poll(() => focused(page).then((f) => `#${f.id}`)).toBe(target);
  await page.keyboard.press('Control+A');
  await page.keyboard.type('https://www.example.ee/cancer-plan');

  // Every entry filled from the keyboard: status by typing its first letters, the narrative,
  // the "as of" date digit by digit (month, day, year in an en-US browser).
  const [year, month, day] = isoDate(-1).split('-');
  for (let i = 0; i < 7; i++) {
    await tabTo(page, `[name="entries[${i}][status]"]`);
    await page.keyboard.type('Planned');
    await tabTo(page, `[name="entries[${i}][narrative]"]`);
    await page.keyboard.press('Control+A');
    await page.keyboard.type(`Recommendation ${i + 1}: a plan is being drawn up.`);
    await tabTo(page, `[name="entries[${i}][as_of]"]`);
    await page.keyboard.type(`${month}${day}${year}`);
  }
  for (let i = 0; i < 7; i++) {
    await expect(page.locator(`[name="entries[${i}][status]"]`)).toHaveValue('planned');
    await expect(page.locator(`[name="entries[${i}][as_of]"]`)).toHaveValue(isoDate(-1));
  }
  await tabTo(page, 'button[value=submit]');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Report submitted for review.' })).toBeVisible();
});

test('focus is always visible: every control reached by Tab on the report page draws an outline', async ({ page }, testInfo) => {
  await signIn(page, testInfo, `fp-keys-${testInfo.project.name}@e2e.test`, FP_PASSWORD);
  await open(page, '/report', testInfo);
  let checked = 0;
  const seen = new Set();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const style = await page.evaluate(() => {
      const e = document.activeElement;
      if (!e || e === document.body) return null;
      const s = getComputedStyle(e);
      return { key: e.outerHTML.slice(0, 80), outline: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow };
    });
    if (!style || seen.has(style.key)) continue;
    seen.add(style.key);
    checked += 1;
    expect(style.outline !== 'none' && style.width >= 2 || style.shadow !== 'none', style.key).toBe(true);
  }
  expect(checked).toBeGreaterThan(5);
});
