// Member surveys end to end, with JavaScript off and on: an admin builds a survey with every
// kind of question and a condition, adds French, opens it with an open link and invites two
// members; one answers in French through their personal link, saves, comes back, reviews and
// submits; a second respondent uses the open link; the results count both, and the export
// downloads. Each project builds its own survey and invites its own members.
const { test, expect } = require('./fixtures');
const { jsEnabled, open, signIn, signOut, ADMIN } = require('./helpers');

const KINDS = [
  ['Single choice', 'Is there still a backlog of cancer care?'],
  ['Number', 'How many months of delay remain?'],
  ['Multiple choice', 'Which shortages affect cancer care now?'],
  ['Likert scale', 'The cancer workforce is sufficient.'],
  ['Short text', 'Your organisation'],
  ['Long text', 'What would help most?'],
  ['Date', 'When did you last report shortages?'],
  ['Matrix (rows on one scale)', 'How are these services now?'],
];

/** The path of a link (the server may name its public address, not this test's port). */
function pathOf(link) {
  return new URL(link, 'http://localhost').pathname;
}

test('an admin builds, opens and shares a survey; members answer; the results count them', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const p = testInfo.project.name;
  const title = `E2E survey ${p}`;

  // --- The admin builds the survey.
  await signIn(page, testInfo, ADMIN.email, ADMIN.password);
  await open(page, '/admin/surveys', testInfo);
  await page.getByLabel('Title').fill(title);
  await page.getByRole('button', { name: 'Create survey' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  const builder = new URL(page.url()).pathname;

  // French as a second language, with its own title.
  await page.getByRole('group', { name: 'Languages respondents may choose' }).getByLabel('Français (fr)').check();
  await page.getByRole('button', { name: 'Save texts and languages' }).click();
  await page.getByRole('group', { name: 'Français (fr)' }).getByLabel('Survey title').fill(`Enquête E2E ${p}`);
  await page.getByRole('button', { name: 'Save texts and languages' }).click();
  await expect(page.getByRole('group', { name: 'Français (fr)' }).getByLabel('Survey title')).toHaveValue(`Enquête E2E ${p}`);

  // One question of each kind, in the first section (each opens its form; back to the builder).
  for (const [kind, text] of KINDS) {
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'Add a question to section S1' }) });
    await form.getByLabel('Kind of question').selectOption({ label: kind });
    await form.getByLabel('Question', { exact: true }).fill(text);
    await form.getByRole('button', { name: 'Add question' }).click();
    await expect(page.getByRole('heading', { level: 1, name: /Question Q\d/ })).toBeVisible();
    await open(page, builder, testInfo);
  }

  // Q1's choices in English and French; Q2 shown only when Q1 is "yes".
  await page.getByRole('link', { name: 'Edit Q1' }).click();
  // Codes and labels in English, the same codes in French: saved together.
  await page.getByRole('group', { name: /English/ }).getByLabel('Choices').fill('yes = Yes\nno = No');
  await page.getByRole('group', { name: 'Français (fr)' }).getByLabel('Choices').fill('yes = Oui\nno = Non');
  await page.getByRole('button', { name: 'Save question' }).click();
  // Saved: back on the builder.
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await page.getByRole('link', { name: 'Edit Q2' }).click();
  const first = page.getByRole('group', { name: 'Comparison 1' });
  await first.getByLabel('Question', { exact: true }).selectOption('Q1');
  await first.getByLabel('Comparison').selectOption('equals');
  await first.getByLabel('Value').fill('yes');
  await page.getByLabel('Largest number allowed (optional)').fill('60');
  await page.getByRole('button', { name: 'Save question' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByText('Shown if').first()).toBeVisible();

  // An open link, then open the survey.
  await page.getByLabel('Open link (anyone with the link may answer)').check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText(/The open link: /)).toBeVisible();
  const openLink = (await page.getByText(/The open link: /).innerText()).match(/\/s\/[A-Za-z0-9_-]+/)[0];
  await page.getByRole('button', { name: 'Open the survey' }).click();
  await expect(page.getByText('Open: taking answers.')).toBeVisible();

  // Invite the two members of this project's organisation.
  await page.getByRole('link', { name: 'Invitations' }).first().click();
  await page.getByLabel('Organisation').fill(`Survey Society ${p}`);
  await page.getByRole('button', { name: 'Show members' }).click();
  await page.getByRole('button', { name: 'Invite all 2 shown' }).click();
  await expect(page.getByText('2 invited, 0 answered.')).toBeVisible();
  const personal = pathOf(await page.getByLabel(`Link for Survey Member ${p} a`).inputValue());
  await signOut(page);

  // --- Member A answers in French, saves, resumes, reviews and submits.
  await open(page, personal, testInfo);
  await page.getByLabel('Language of the survey').selectOption('fr');
  await page.getByRole('button', { name: 'Start the survey' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Enquête E2E ${p}` })).toBeVisible();
  await expect(page.getByText('Section 1 sur 1')).toBeVisible();
  // Q2 waits for its condition.
  await expect(page.getByLabel('How many months of delay remain?')).toBeHidden();
  await page.getByLabel('Oui').check();
  if (jsEnabled(testInfo)) {
    // The island shows it at once.
    await expect(page.getByLabel('How many months of delay remain?')).toBeVisible();
  } else {
    // Without JavaScript the server shows it when moving on, on the same section.
    await page.getByRole('button', { name: 'Relire vos réponses' }).click();
    await expect(page.getByText('Vos réponses ont ouvert d’autres questions')).toBeVisible();
    await expect(page.getByLabel('How many months of delay remain?')).toBeVisible();
  }
  await page.getByLabel('Your organisation').fill('Société E2E');
  await page.getByRole('button', { name: 'Enregistrer et continuer plus tard' }).click();
  await expect(page.getByText('Vos réponses sont enregistrées.')).toBeVisible();

  // Later, from the same link: the answers are there.
  await open(page, personal, testInfo);
  await expect(page.getByLabel('Oui')).toBeChecked();
  await expect(page.getByLabel('Your organisation')).toHaveValue('Société E2E');
  await expect(page.getByLabel('How many months of delay remain?')).toBeVisible();
  await page.getByLabel('How many months of delay remain?').fill('80');
  await page.getByRole('button', { name: 'Relire vos réponses' }).click();
  // Above the largest number allowed: refused at the field, and in the summary.
  await expect(page.getByRole('alert').filter({ hasText: 'Il y a un problème' })).toBeVisible();
  await expect(page.getByText('Le nombre est supérieur au maximum autorisé.').first()).toBeVisible();
  await page.getByLabel('How many months of delay remain?').fill('6');
  // The matrix: one radio group per row, labelled by its row and column.
  await expect(page.getByRole('table')).toBeVisible();
  await page.getByRole('button', { name: 'Relire vos réponses' }).click();
  await expect(page.getByRole('heading', { name: 'Vérifiez vos réponses avant de les envoyer' })).toBeVisible();
  await expect(page.getByText('Société E2E')).toBeVisible();
  await page.getByRole('button', { name: 'Envoyer mes réponses' }).click();
  await expect(page.getByRole('heading', { name: 'Merci' })).toBeVisible();
  await expect(page.getByRole('link', { name: /Télécharger une copie/ })).toBeVisible();

  // --- Someone else answers through the open link, in English.
  await page.context().clearCookies();
  await open(page, `${openLink}?lang=en`, testInfo);
  await page.getByLabel('Language of the survey').selectOption('en');
  await page.getByRole('button', { name: 'Start the survey' }).click();
  await page.getByLabel('No', { exact: true }).check();
  await page.getByRole('button', { name: 'Review your answers' }).click();
  await page.getByRole('button', { name: 'Submit my answers' }).click();
  await expect(page.getByRole('heading', { name: 'Thank you' })).toBeVisible();

  // --- The admin sees both responses and exports them.
  await signIn(page, testInfo, ADMIN.email, ADMIN.password);
  await open(page, builder, testInfo);
  await expect(page.getByText('Responses: 2.')).toBeVisible();
  await page.getByRole('link', { name: 'Results' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(title);
  await expect(page.getByRole('table', { name: 'Response rate', exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Q1. Is there still a backlog of cancer care?' })).toBeVisible();
  // The export of the responses: one row per response after the two header rows.
  const href = await page.getByRole('link', { name: 'CSV', exact: true }).first().getAttribute('href');
  const res = await page.request.get(href);
  expect(res.status(), await res.text()).toBe(200);
  expect(res.headers()['content-disposition']).toContain('attachment');
  const lines = (await res.text()).trim().split('\n');
  expect(lines.length).toBe(4);
});
