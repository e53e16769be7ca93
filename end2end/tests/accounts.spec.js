// Accounts: signing in, inviting a focal point, accepting the invitation, signing out.
const { test, expect } = require('./fixtures');
const { open, signIn, signOut, ADMIN } = require('./helpers');

test('a wrong password is refused with one message that does not say which part was wrong', async ({ page }, testInfo) => {
  await open(page, '/login', testInfo);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill('not the right passphrase');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('The email address or password is not right.');
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
  // Pages are server-rendered with islands only where the browser must act: with or without
  // JavaScript the form posts and comes back to the page; the error travels in the session,
  // never in the URL, and is shown once.
  await expect(page).toHaveURL(/\/login$/);
  await page.reload();
  await expect(page.getByText('The email address or password is not right.')).toHaveCount(0);
});

test('an admin invites a focal point for Italy, who sets a password, signs in and out', async ({ page }, testInfo) => {
  const email = `giulia.${testInfo.project.name}@salute.example.it`;
  const password = 'la mia password lunga e sicura';

  await signIn(page, testInfo, ADMIN.email, ADMIN.password);
  await expect(page.getByRole('banner')).toContainText('Signed in as Erika Admin');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();

  const invite = page.getByRole('region', { name: 'Invite a user' });
  await invite.getByLabel('Email address').fill(email);
  await invite.getByLabel('Role').selectOption('focal-point');
  await invite.getByRole('button', { name: 'Create invitation' }).click();
  // A focal point without a country is refused, next to the field.
  await expect(page.getByRole('alert').first()).toContainText('Choose at least one country');

  await invite.getByLabel('Email address').fill(email);
  await invite.getByLabel('Role').selectOption('focal-point');
  await invite.getByRole('checkbox', { name: 'Italy' }).check();
  await invite.getByRole('button', { name: 'Create invitation' }).click();

  const linkField = page.getByLabel('Invitation link');
  await expect(linkField).toBeVisible();
  const link = await linkField.inputValue();
  expect(link).toMatch(/\/invitation\/[A-Za-z0-9_-]{43}$/);
  await signOut(page);

  await open(page, new URL(link).pathname, testInfo);
  await expect(page.getByText(email)).toBeVisible();
  await page.getByLabel('Your name').fill('Giulia Bianchi');
  await page.getByLabel('Password', { exact: true }).fill('too short');
  await page.getByLabel('Confirm password').fill('too short');
  await page.getByRole('button', { name: 'Create my account' }).click();
  await expect(page.getByRole('alert')).toContainText('at least 12 characters');

  await page.getByLabel('Your name').fill('Giulia Bianchi');
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Confirm password').fill(password);
  await page.getByRole('button', { name: 'Create my account' }).click();
  await expect(page.getByRole('status')).toContainText('Your password is set');

  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('banner')).toContainText('Signed in as Giulia Bianchi');

  // The focal point is not an admin: the users page refuses, whatever the URL.
  const refused = await page.goto('/admin/users');
  expect(refused.status()).toBe(403);
  await expect(page.getByRole('heading', { level: 1, name: 'Not allowed' })).toBeVisible();

  await open(page, '/', testInfo);
  await signOut(page);
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible();

  // The invitation link works once.
  await open(page, new URL(link).pathname, testInfo);
  await expect(page.getByRole('alert')).toContainText('expired or has already been used');
});
