// Hostile input (issue 14): markup, event handlers, `javascript:` links, formulas, very long
// strings, right-to-left and combining characters, NUL and other control characters, typed
// into the text fields an attacker (or a careless paste) reaches: a focal point's report
// (narratives, evidence links), an admin's review comment, a user's name and organisation, an
// indicator's name, unit and help, a survey's title, questions, choices and answers. What is
// refused is refused at its field (never a 500); what is kept is stored exactly, shown as text
// on every page that shows it (the report, its history, the country profile, the dashboard's
// chart option and table, the survey's results, responses and copy), and written neutralised
// into every CSV and workbook. Nothing runs: no script, no handler, no `javascript:` link, no
// dialog. Each project uses its own focal point, country, indicator and survey.
const { test, expect } = require('./fixtures');
const { ADMIN, PERIOD, isoDate, jsEnabled, open, openBoard, signIn, signOut, waitForIslands } = require('./helpers');
const { parseCsv, readXlsx, readAsFormula } = require('../lib/exports');

/** What an attacker types. Every script here would set `window.__pwned`. */
const CORPUS = {
  script: '<script>window.__pwned=1</script>',
  imgOnerror: '"><img src=x onerror="window.__pwned=1">',
  svgOnload: '<svg onload=window.__pwned=1>',
  javascriptUrl: 'javascript:window.__pwned=1',
  attributeBreakout: "' onmouseover='window.__pwned=1",
  hyperlinkFormula: '=HYPERLINK("http://evil.example","x")',
  sumFormula: '=1+1',
  rtlCombining: 'مرحبا\u200f שָׁלוֹם e\u0301\u0301\u0301 Z̸̢͓',
};
/** Refused with a field error, never a 500. */
const LONG = 'x'.repeat(20_000);
const NUL = 'a\u0000b';
const BELL = 'a\u0007b';
const CONTROL_MESSAGE = 'This field holds characters that cannot be stored';

const FP_PASSWORD = 'focal point passphrase for the browser tests';
const FOCAL_POINTS = {
  ssr: { email: 'fp-hostile-ssr@e2e.test', name: 'Focal Point HR', country: 'Croatia', iso2: 'HR' },
  hydrate: { email: 'fp-hostile-hydrate@e2e.test', name: 'Focal Point SI', country: 'Slovenia', iso2: 'SI' },
};

/**
 * Records every dialog a page opens (none should). The report form's own question before
 * leaving a page with unsaved changes (`beforeunload`, after a refused save) is the app's, not
 * the input's: it is answered "leave" and not recorded.
 */
function watchDialogs(page) {
  const dialogs = [];
  page.on('dialog', (d) => {
    if (d.type() === 'beforeunload') {
      d.accept().catch(() => {});
      return;
    }
    dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  return dialogs;
}

/** A CSV's or workbook's cells, line breaks as typed (a browser posts a textarea's as CRLF). */
function cellsOf(cells) {
  return cells.map((c) => c.replace(/\r\n/g, '\n'));
}

/**
 * The page shows hostile text without running or building any of it: no script ran, no
 * dialog opened, no `javascript:` URL in a link, form or source, no element or handler from
 * the corpus in the document, no element the app did not make out of a `<script>` typed in.
 * Then each of `texts` is in the text of `main`, exactly as typed.
 */
async function expectInert(page, dialogs, where, texts = []) {
  expect(await page.evaluate(() => window.__pwned), `${where}: an injected script ran`).toBeUndefined();
  expect(dialogs, `${where}: a dialog opened`).toEqual([]);
  const found = await page.evaluate(() => {
    const all = [...document.querySelectorAll('*')];
    const js = (v) => /^\s*javascript:/i.test(v || '');
    return {
      javascriptUrls: all.filter((e) => ['href', 'src', 'action', 'formaction', 'xlink:href'].some((a) => js(e.getAttribute(a))))
        .map((e) => e.outerHTML.slice(0, 200)),
      handlers: all.filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name)))
        .map((e) => e.outerHTML.slice(0, 200)),
      injectedImages: [...document.querySelectorAll('img[src="x"]')].map((e) => e.outerHTML),
      injectedScripts: [...document.querySelectorAll('script')].filter((s) => s.textContent.trim() === 'window.__pwned=1')
        .map((e) => e.outerHTML),
    };
  });
  expect(found, `${where}: markup from the input became part of the page`).toEqual({
    javascriptUrls: [], handlers: [], injectedImages: [], injectedScripts: [],
  });
  if (texts.length > 0) {
    const shown = await page.locator('main').textContent();
    for (const t of texts) {
      expect(shown.includes(t), `${where}: shows ${JSON.stringify(t.slice(0, 60))} as text`).toBe(true);
    }
  }
}

/**
 * Types `text` into a field. Control characters go in as a paste would put them (a script
 * sets the value: keyboard input drops NUL); other text is filled as typed.
 */
async function typeInto(field, text) {
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text)) {
    await field.evaluate((el, v) => {
      el.value = v;
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    }, text);
  } else {
    await field.fill(text);
  }
}

/** The message shown at the field `id` (the input's id), as text. */
function errorAt(page, id) {
  return page.locator(`#${id}-error`);
}

/** A CSV's cells: none that a spreadsheet would read as a formula. */
function expectNeutralCsv(rows, where) {
  const formulas = rows.flat().filter(readAsFormula);
  expect(formulas, `${where}: cells a spreadsheet would run as formulas`).toEqual([]);
}

/** Every ECharts option the page embeds: the raw JSON has no `<`, and parses. */
async function chartOptions(page) {
  const raw = await page.locator('script[type="application/json"][id$="-option"]').evaluateAll((s) => s.map((e) => e.textContent));
  for (const r of raw) expect(r.includes('<'), 'an option script holds a raw "<"').toBe(false);
  return raw.map((r) => JSON.parse(r));
}

/** Every string inside a JSON value. */
function stringsOf(value) {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsOf);
  return [];
}

/**
 * A workbook the app exports: each of `texts` is a text cell (as typed, or with the
 * apostrophe that neutralises a formula), and no formula comes from the input.
 */
async function expectWorkbook(page, url, texts) {
  const book = readXlsx(await (await get(page, url)).body());
  for (const t of texts) {
    expect(book.strings.some((s) => s === t || s === `'${t}`), `${url} holds ${JSON.stringify(t)} as text`).toBe(true);
  }
  expect(book.formulas.filter((f) => /HYPERLINK|__pwned|SUM\(1\+1\)/.test(f)), `${url}: formulas from the input`).toEqual([]);
  return book;
}

async function openReport(page, testInfo, fp) {
  await open(page, '/report', testInfo);
  await page.getByRole('link', { name: `${fp.country} — ${PERIOD}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: `${fp.country} — ${PERIOD}` })).toBeVisible();
  if (jsEnabled(testInfo)) await waitForIslands(page);
}

async function get(page, url) {
  const res = await page.request.get(url);
  expect(res.status(), `${url}: ${res.status()}`).toBe(200);
  return res;
}

test('hostile text in a report, a name, an indicator: refused at the field or shown and exported as text', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const p = testInfo.project.name;
  const fp = FOCAL_POINTS[p];
  const dialogs = watchDialogs(page);

  // Narratives 1–7, each one item of the corpus (the formula one starts its cell).
  const narratives = [
    CORPUS.script, CORPUS.imgOnerror, CORPUS.svgOnload, CORPUS.javascriptUrl,
    CORPUS.attributeBreakout, CORPUS.hyperlinkFormula, CORPUS.rtlCombining,
  ];
  // Valid web addresses that carry markup and quotes: kept as typed, shown as text, and only
  // ever inside an href.
  const links = {
    1: `https://evil.example/${CORPUS.imgOnerror}`,
    2: `https://evil.example/?q=${CORPUS.attributeBreakout}`,
    3: `https://evil.example/${CORPUS.script}`,
  };
  const indicator = {
    name: `@SUM(1+1) <img src=x onerror=window.__pwned=1> ${p}`,
    unit: CORPUS.script,
    help: CORPUS.svgOnload,
  };
  const displayName = `${CORPUS.imgOnerror} ${fp.iso2}`;
  const organisation = `${CORPUS.svgOnload} Society ${p}`;
  const comment = `${CORPUS.script} ${CORPUS.attributeBreakout}`;

  // --- The admin: the period, an indicator with hostile texts, a focal point's name.
  await signIn(page, testInfo, ADMIN.email, ADMIN.password);
  const periodId = await openBoard(page, testInfo);

  await open(page, '/admin/indicators', testInfo);
  const form = page.locator('section', { has: page.getByRole('heading', { name: 'New indicator' }) });
  const fillIndicator = async (name, unit, help) => {
    await form.getByLabel('Recommendation').selectOption('7');
    await typeInto(form.getByLabel('Indicator name'), name);
    await form.getByLabel('Kind of value').selectOption('number');
    await typeInto(form.getByLabel('Unit (numbers only)'), unit);
    await typeInto(form.getByLabel('Help text for focal points (optional)'), help);
    await form.getByRole('button', { name: 'Create indicator' }).click();
  };
  // Control characters: refused at their fields.
  await fillIndicator(indicator.name, NUL, BELL);
  await expect(errorAt(page, 'f-unit')).toContainText(CONTROL_MESSAGE);
  await expect(errorAt(page, 'f-help')).toContainText(CONTROL_MESSAGE);
  await expectInert(page, dialogs, 'indicator refused (control characters)');
  // 20,000 characters: refused at each field.
  await fillIndicator(LONG, LONG, LONG);
  await expect(errorAt(page, 'f-name')).toContainText('Keep the name to 120 characters.');
  // (Soft: the rest of the test is the same whether or not these two are refused.)
  await expect.soft(errorAt(page, 'f-unit'), 'a 20,000-character unit is refused at its field').toContainText('Keep the unit to 60 characters.');
  await expect.soft(errorAt(page, 'f-help'), 'a 20,000-character help text is refused at its field').toContainText(/Keep the help text to 1,?000 characters\./);
  await expectInert(page, dialogs, 'indicator refused (long)');
  // The hostile texts themselves are kept.
  await fillIndicator(indicator.name, indicator.unit, indicator.help);
  const edit = page.getByRole('link', { name: `Edit ${indicator.name}`, exact: true });
  await expect(edit).toHaveCount(1);
  const indicatorId = (await edit.getAttribute('href')).split('/').pop();
  await expectInert(page, dialogs, 'indicators list', [indicator.name, `(${indicator.unit})`]);
  await open(page, `/admin/indicators/${indicatorId}`, testInfo);
  await expect(page.getByLabel('Indicator name')).toHaveValue(indicator.name);
  await expect(page.getByLabel('Unit (numbers only)')).toHaveValue(indicator.unit);
  await expect(page.getByLabel('Help text for focal points (optional)')).toHaveValue(indicator.help);
  await expectInert(page, dialogs, 'indicator form');

  // The focal point's name, set by the admin.
  await open(page, `/admin/users?country=${fp.iso2}`, testInfo);
  await page.getByRole('link', { name: `Manage ${fp.name}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: fp.name })).toBeVisible();
  const userUrl = new URL(page.url()).pathname;
  for (const [value, message] of [[NUL, CONTROL_MESSAGE], [LONG, 'at most 120 characters']]) {
    await typeInto(page.getByLabel('Name', { exact: true }), value);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(errorAt(page, 'f-display-name')).toContainText(message);
    await expectInert(page, dialogs, 'user name refused');
  }
  await open(page, userUrl, testInfo);
  await page.getByLabel('Name', { exact: true }).fill(displayName);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Changes saved.' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(displayName);
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue(displayName);
  await expectInert(page, dialogs, 'user page', [displayName]);

  // A member invited with a hostile organisation (and name).
  await open(page, '/admin/users', testInfo);
  const invite = page.getByRole('region', { name: 'Invite a user' });
  await invite.getByLabel('Email address').fill(`hostile-member-${p}@e2e.test`);
  await invite.getByLabel('Name', { exact: true }).fill(`${CORPUS.attributeBreakout} ${p}`);
  await invite.getByLabel('Role').selectOption('member');
  await typeInto(invite.getByLabel('Organisation'), BELL);
  await invite.getByLabel('Kind of member').selectOption({ index: 1 });
  await invite.getByLabel("Member's country").selectOption('AT');
  await invite.getByRole('button', { name: 'Create invitation' }).click();
  await expect(errorAt(page, 'f-organisation')).toContainText(CONTROL_MESSAGE);
  await open(page, '/admin/users', testInfo);
  await invite.getByLabel('Email address').fill(`hostile-member-${p}@e2e.test`);
  await invite.getByLabel('Name', { exact: true }).fill(`${CORPUS.attributeBreakout} ${p}`);
  await invite.getByLabel('Role').selectOption('member');
  await invite.getByLabel('Organisation').fill(organisation);
  await invite.getByLabel('Kind of member').selectOption({ index: 1 });
  await invite.getByLabel("Member's country").selectOption('AT');
  await invite.getByRole('button', { name: 'Create invitation' }).click();
  await expect(page.getByLabel('Invitation link')).toBeVisible();
  await expect(page.getByLabel('Organisation')).toHaveValue(organisation);
  await expectInert(page, dialogs, 'invited member', [`${CORPUS.attributeBreakout} ${p}`]);
  await open(page, '/admin/users', testInfo);
  await expectInert(page, dialogs, 'users list', [displayName, `${CORPUS.attributeBreakout} ${p}`]);
  await signOut(page);

  // --- The focal point: refusals first, each at its field, then the corpus saved.
  await signIn(page, testInfo, fp.email, FP_PASSWORD);
  expect(await page.getByRole('banner').textContent()).toContain(displayName);
  await expectInert(page, dialogs, 'signed in as a hostile name');
  await openReport(page, testInfo, fp);
  const narrative = (n) => page.getByLabel(`Narrative for recommendation ${n}`);
  const evidence = (n) => page.getByLabel(`Evidence links for recommendation ${n}`);
  const save = async () => {
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect(page.getByRole('heading', { level: 1, name: `${fp.country} — ${PERIOD}` })).toBeVisible();
    if (jsEnabled(testInfo)) await waitForIslands(page);
  };

  // NUL in a narrative, a bell in a link.
  await typeInto(narrative(3), NUL);
  await typeInto(evidence(4), `https://e.example/${BELL}`);
  await save();
  await expect(errorAt(page, 'f-entries-2-narrative')).toContainText(CONTROL_MESSAGE);
  await expect(errorAt(page, 'f-entries-3-evidence')).toContainText(CONTROL_MESSAGE);
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeVisible();
  await expectInert(page, dialogs, 'report refused (control characters)');

  // 20,000 characters in a narrative; `javascript:`, disguised and `data:` links.
  const badLinks = {
    1: CORPUS.javascriptUrl,
    4: ' JaVaScRiPt:window.__pwned=1//https://x.example',
    5: `data:text/html,${CORPUS.script}`,
  };
  await openReport(page, testInfo, fp);
  await narrative(2).fill(LONG);
  for (const [n, link] of Object.entries(badLinks)) await evidence(n).fill(link);
  await save();
  await expect(errorAt(page, 'f-entries-1-narrative')).toContainText(/Keep the narrative to 10,?000 characters/);
  for (const [n, link] of Object.entries(badLinks)) {
    // The refused link is quoted in the message, as text.
    await expect(errorAt(page, `f-entries-${n - 1}-evidence`)).toContainText(`“${link.trim()}” is not a web address`);
  }
  await expectInert(page, dialogs, 'report refused (long, links)', [`“${CORPUS.javascriptUrl}” is not a web address`]);

  // The corpus, saved.
  await openReport(page, testInfo, fp);
  for (let n = 1; n <= 7; n++) {
    await page.getByLabel(`Status of recommendation ${n}`, { exact: true }).selectOption('planned');
    await narrative(n).fill(narratives[n - 1]);
    await evidence(n).fill(links[n] || 'https://www.example.gov/plan');
    await page.getByLabel(`As of (recommendation ${n})`).fill(isoDate(-1));
  }
  await page.getByLabel(`${indicator.name} (${indicator.unit})`).fill('42');
  await save();
  await expect(page.getByRole('status').filter({ hasText: 'Draft saved.' })).toBeVisible();
  for (let n = 1; n <= 7; n++) {
    await expect(narrative(n)).toHaveValue(narratives[n - 1]);
    await expect(evidence(n)).toHaveValue(links[n] || 'https://www.example.gov/plan');
  }
  await expectInert(page, dialogs, 'report form, saved');
  // The report as a workbook (while it is a draft the focal point may edit).
  await expectWorkbook(page, `/report/${fp.iso2}/${periodId}/template.xlsx`, narratives);
  await page.getByRole('button', { name: 'Submit for review' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Report submitted for review.' })).toBeVisible();
  await signOut(page);

  // --- The admin reads the report (and each entry's history), returns it with a comment.
  const reportPath = `/report/${fp.iso2}/${periodId}`;
  const checkReportLinks = async (where) => {
    const anchors = await page.locator('main a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent]));
    for (const link of Object.values(links)) {
      expect(anchors, `${where}: ${link} is a link to itself, written as text`).toContainEqual([link, link]);
    }
  };
  await signIn(page, testInfo, ADMIN.email, ADMIN.password);
  await open(page, reportPath, testInfo);
  await expectInert(page, dialogs, 'report read by the admin', [...narratives, ...Object.values(links), indicator.name]);
  await checkReportLinks('report read by the admin');
  const history = page.locator('details.history');
  expect(await history.count()).toBeGreaterThan(0);
  const firstHistory = await history.first().textContent();
  expect(firstHistory, 'the history names the hostile name as text').toContain(displayName);
  expect(firstHistory, 'the history shows the narrative as text').toContain(narratives[0]);
  await page.getByLabel('Comment on recommendation 1').fill(comment);
  await page.getByRole('button', { name: 'Return to focal point' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Report returned' })).toBeVisible();
  await expectInert(page, dialogs, 'report returned');
  await signOut(page);

  // --- The focal point reads the comment, resubmits.
  await signIn(page, testInfo, fp.email, FP_PASSWORD);
  await openReport(page, testInfo, fp);
  await expect(page.getByRole('note').first()).toContainText(comment);
  await expectInert(page, dialogs, 'report with the comment', [comment]);
  await page.getByRole('button', { name: 'Submit for review' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Report submitted for review.' })).toBeVisible();
  await signOut(page);

  // --- The admin approves: the published views, the chart, the exports.
  await signIn(page, testInfo, ADMIN.email, ADMIN.password);
  await open(page, reportPath, testInfo);
  await page.getByRole('button', { name: 'Approve and publish' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Report approved and published.' })).toBeVisible();
  await expectInert(page, dialogs, 'report approved', narratives);
  await checkReportLinks('report approved');

  // The country profile: narratives, links, the indicator in its table and chart option.
  await open(page, `/countries/${fp.iso2}`, testInfo);
  await expectInert(page, dialogs, 'country profile', [...narratives, ...Object.values(links), indicator.name]);
  await checkReportLinks('country profile');
  const profileOptions = await chartOptions(page);
  expect(profileOptions.length).toBeGreaterThan(0);
  // The profile's tables as CSV: the indicator's name (it starts with `@`) neutralised.
  const profileCsvs = await page.locator('main a[href*=".csv"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const profileCells = [];
  for (const href of profileCsvs) {
    const rows = parseCsv(await (await get(page, href)).text());
    expectNeutralCsv(rows, href);
    profileCells.push(...rows.flat());
  }
  expect(profileCells).toContain(`'${indicator.name}`);

  // The dashboard's indicator ranking: the name in the caption (text), the chart's option
  // (series name: the tooltip's text) and the chart itself.
  await open(page, `/dashboard/indicators?indicator=${indicatorId}&period=${periodId}`, testInfo);
  await expect(page.getByLabel('Indicator', { exact: true })).toHaveValue(indicatorId);
  await expect(page.locator('#chart-indicator figcaption')).toContainText(indicator.name);
  const [option] = await chartOptions(page);
  expect(stringsOf(option)).toContain(indicator.name);
  expect(stringsOf(option).some((s) => s.includes(indicator.unit)), 'the unit is in the axis name').toBe(true);
  if (jsEnabled(testInfo)) {
    const chart = page.locator('#chart-indicator');
    await expect(chart).toHaveAttribute('data-chart-ready', '', { timeout: 15_000 });
    // The tooltip is drawn inside the chart (rich text), not as HTML: hover a bar, read it.
    const canvas = chart.locator('.chart-canvas');
    const box = await canvas.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => canvas.textContent(), { message: 'the tooltip names the indicator as text' }).toContain(indicator.name);
    expect(await canvas.locator('img, foreignObject, script').count()).toBe(0);
  }
  await expectInert(page, dialogs, 'dashboard: indicators', [indicator.name]);
  const rankingCsvs = await page.locator('main a[href*=".csv"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  expect(rankingCsvs.length).toBeGreaterThan(0);
  for (const href of rankingCsvs) expectNeutralCsv(parseCsv(await (await get(page, href)).text()), href);

  // Open data: stored exactly as typed (JSON); the CSV neutralises formulas.
  const published = await (await get(page, `/api/v1/progress?country=${fp.iso2}`)).json();
  expect(published.map((e) => e.narrative)).toEqual(narratives);
  expect(published.map((e) => e.evidence[0])).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => links[n] || 'https://www.example.gov/plan'));
  const csv = parseCsv(await (await get(page, `/api/v1/progress.csv?country=${fp.iso2}`)).text());
  expectNeutralCsv(csv, 'progress.csv');
  const column = (name) => csv[0].indexOf(name);
  const row6 = csv.find((r) => r[column('recommendation')] === '6');
  expect(row6[column('narrative')]).toBe(`'${CORPUS.hyperlinkFormula}`);
  const row7 = csv.find((r) => r[column('recommendation')] === '7');
  expect(row7[column('indicators')]).toBe(`'${indicator.name}: 42 ${indicator.unit}`);
  for (let n = 1; n <= 5; n++) {
    expect(csv.find((r) => r[column('recommendation')] === String(n))[column('narrative')]).toBe(narratives[n - 1]);
  }

  // The period's workbook (the secretariat's): the texts are string cells, none a formula.
  await expectWorkbook(page, `/admin/periods/${periodId}/workbook.xlsx`, narratives);

  // Archived, so other tests' report forms do not show it.
  await open(page, '/admin/indicators', testInfo);
  await page.getByRole('button', { name: `Archive ${indicator.name}`, exact: true }).click();
  await expect(page.getByRole('button', { name: `Restore ${indicator.name}`, exact: true })).toBeVisible();
  await expectInert(page, dialogs, 'indicator archived');
});

test('hostile text in a survey: refused at the answer or shown, charted and exported as text', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const p = testInfo.project.name;
  const dialogs = watchDialogs(page);
  const title = `Hostile survey ${p} ${CORPUS.script}`;
  const choiceQuestion = `Pick one ${p} ${CORPUS.svgOnload}`;
  const longQuestion = `Say anything ${CORPUS.imgOnerror}`;
  const shortQuestion = `In a few words ${CORPUS.attributeBreakout}`;
  const choices = { a: '<img src=x onerror=window.__pwned=1>', b: CORPUS.hyperlinkFormula };
  // Every item of the corpus, one a line, the formula first (it starts the cell).
  const longAnswer = [
    CORPUS.hyperlinkFormula, CORPUS.script, CORPUS.imgOnerror, CORPUS.svgOnload,
    CORPUS.javascriptUrl, CORPUS.attributeBreakout, CORPUS.rtlCombining,
  ].join('\n');
  const shortAnswer = CORPUS.sumFormula;

  // --- The admin builds it.
  await signIn(page, testInfo, ADMIN.email, ADMIN.password);
  await open(page, '/admin/surveys', testInfo);
  await page.getByLabel('Title').fill(title);
  await page.getByRole('button', { name: 'Create survey' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title, exact: true })).toBeVisible();
  const builder = new URL(page.url()).pathname;
  await expectInert(page, dialogs, 'survey builder', [title]);
  for (const [kind, text] of [['Single choice', choiceQuestion], ['Long text', longQuestion], ['Short text', shortQuestion]]) {
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'Add a question to section S1' }) });
    await form.getByLabel('Kind of question').selectOption({ label: kind });
    await form.getByLabel('Question', { exact: true }).fill(text);
    await form.getByRole('button', { name: 'Add question' }).click();
    await expect(page.getByRole('heading', { level: 1, name: /Question Q\d/ })).toBeVisible();
    await open(page, builder, testInfo);
  }
  await page.getByRole('link', { name: 'Edit Q1' }).click();
  await page.getByLabel('Choices').first().fill(Object.entries(choices).map(([code, label]) => `${code} = ${label}`).join('\n'));
  await page.getByRole('button', { name: 'Save question' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title, exact: true })).toBeVisible();
  await expectInert(page, dialogs, 'survey builder with questions', [choiceQuestion, longQuestion, shortQuestion]);
  await page.getByLabel('Open link (anyone with the link may answer)').check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText(/The open link: /)).toBeVisible();
  const openLink = (await page.getByText(/The open link: /).innerText()).match(/\/s\/[A-Za-z0-9_-]+/)[0];
  await page.getByRole('button', { name: 'Open the survey' }).click();
  await expect(page.getByText('Open: taking answers.')).toBeVisible();
  await signOut(page);

  // --- Someone answers through the open link.
  await page.context().clearCookies();
  await open(page, `${openLink}?lang=en`, testInfo);
  await expectInert(page, dialogs, 'survey start page', [title]);
  await page.getByRole('button', { name: 'Start the survey' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title, exact: true })).toBeVisible();
  await expectInert(page, dialogs, 'answering page', [choiceQuestion, longQuestion, shortQuestion, ...Object.values(choices)]);
  await page.getByLabel(choices.a, { exact: true }).check();
  const long = page.getByLabel(longQuestion, { exact: true });
  const short = page.getByLabel(shortQuestion, { exact: true });
  const longId = await long.getAttribute('id');
  const shortId = await short.getAttribute('id');
  // NUL in the long answer, 20,000 characters in the short one: refused, each at its field.
  await typeInto(long, NUL);
  await short.fill(LONG);
  await page.getByRole('button', { name: 'Review your answers' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeVisible();
  await expect(errorAt(page, longId)).toContainText('Remove the invisible control characters from this answer.');
  await expect(errorAt(page, shortId)).toContainText('This answer is too long.');
  await expectInert(page, dialogs, 'answers refused');
  // A control character in a one-line answer too.
  await long.fill(longAnswer);
  await typeInto(short, BELL);
  await page.getByRole('button', { name: 'Review your answers' }).click();
  await expect(errorAt(page, shortId)).toContainText('Remove the invisible control characters from this answer.');
  await expect(long).toHaveValue(longAnswer);
  await short.fill(shortAnswer);
  await page.getByRole('button', { name: 'Review your answers' }).click();
  await expect(page.getByRole('heading', { name: 'Check your answers before submitting' })).toBeVisible();
  await expectInert(page, dialogs, 'review of the answers', [choices.a, ...longAnswer.split('\n'), shortAnswer]);
  await page.getByRole('button', { name: 'Submit my answers' }).click();
  await expect(page.getByRole('heading', { name: 'Thank you' })).toBeVisible();
  await expectInert(page, dialogs, 'thank-you page');
  // The respondent's copy (page and CSV).
  const copyCsvHref = await page.getByRole('link', { name: /Download a copy/ }).getAttribute('href');
  const copyCsv = parseCsv(await (await get(page, copyCsvHref)).text());
  expectNeutralCsv(copyCsv, 'copy of the answers (CSV)');
  expect(cellsOf(copyCsv.flat())).toContain(`'${longAnswer}`);
  expect(cellsOf(copyCsv.flat())).toContain(`'${shortAnswer}`);

  // --- The admin's results: written answers, the chart of the choices, the exports.
  await signIn(page, testInfo, ADMIN.email, ADMIN.password);
  await open(page, `${builder}/results`, testInfo);
  await expectInert(page, dialogs, 'results', [title, choiceQuestion, choices.a, ...longAnswer.split('\n'), shortAnswer]);
  const written = await page.locator('ul.written-answers li').evaluateAll((li) => li.map((e) => e.textContent));
  expect(cellsOf(written)).toContain(longAnswer);
  expect(cellsOf(written)).toContain(shortAnswer);
  const options = await chartOptions(page);
  const labels = options.flatMap(stringsOf);
  expect(labels).toContain(choices.a);
  expect(labels).toContain(choices.b);
  if (jsEnabled(testInfo)) {
    const n = await page.locator('[data-chart]').count();
    await expect(page.locator('figure[data-chart-ready]')).toHaveCount(n, { timeout: 15_000 });
    await expectInert(page, dialogs, 'results, charts drawn');
  }
  // Each question's table (CSV) and picture (SVG): no formula; no script or handler.
  const figureCsvs = await page.locator('main figure a[href*=".csv"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  expect(figureCsvs.length).toBeGreaterThan(0);
  const figureCells = [];
  for (const href of figureCsvs) {
    const rows = parseCsv(await (await get(page, href)).text());
    expectNeutralCsv(rows, href);
    figureCells.push(...rows.flat());
  }
  expect(figureCells, 'the choice that is a formula, neutralised').toContain(`'${choices.b}`);
  const figureSvgs = await page.locator('main figure a[href*=".svg"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  expect(figureSvgs.length).toBeGreaterThan(0);
  for (const href of figureSvgs) {
    const svg = await (await get(page, href)).text();
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      const all = [...doc.querySelectorAll('*')];
      return {
        error: doc.querySelector('parsererror') !== null,
        dangerous: all.filter((e) => /^(script|foreignObject|img|iframe)$/i.test(e.localName)
          || [...e.attributes].some((a) => /^on/i.test(a.name) || /^\s*javascript:/i.test(a.value))).length,
        text: doc.documentElement.textContent,
      };
    }, svg);
    expect(parsed.error, `${href} is well-formed`).toBe(false);
    expect(parsed.dangerous, `${href}: elements or handlers from the input`).toBe(0);
    expect(parsed.text, `${href} writes the choices as text`).toContain(choices.a);
  }
  // The responses' exports.
  const csvHref = await page.getByRole('link', { name: 'CSV', exact: true }).first().getAttribute('href');
  const exported = parseCsv(await (await get(page, csvHref)).text());
  expectNeutralCsv(exported, 'responses (CSV)');
  expect(cellsOf(exported.flat())).toContain(`'${longAnswer}`);
  expect(cellsOf(exported.flat())).toContain(`'${shortAnswer}`);
  const xlsxHref = await page.getByRole('link', { name: 'Excel (XLSX)' }).first().getAttribute('href');
  const book = readXlsx(await (await get(page, xlsxHref)).body());
  expect(book.formulas).toEqual([]);
  expect(cellsOf(book.strings)).toContain(`'${longAnswer}`);
  expect(cellsOf(book.strings)).toContain(`'${shortAnswer}`);
  expect(book.strings.filter(readAsFormula), 'workbook text a spreadsheet would run').toEqual([]);

  // The list of responses and the response itself.
  await open(page, `${builder}/responses`, testInfo);
  await expectInert(page, dialogs, 'responses');
  const responseLink = page.locator(`main a[href^="${builder}/responses/"]`).first();
  await open(page, await responseLink.getAttribute('href'), testInfo);
  await expectInert(page, dialogs, 'one response', [choices.a, ...longAnswer.split('\n'), shortAnswer]);
});
