// Accounts: an administrator makes an account and looks after it; the person changes
// their password and ends a session; a disabled account is signed out at once; a reset
// code works once. Every page checked with axe.
import { test, expect } from '@playwright/test';
import { expectAccessible, signIn, signOut } from './helpers.mjs';

const FIRST = 'copper willow harbour lantern';
const SECOND = 'meadow quartz falcon ember';
const THIRD = 'orchard kettle marble signal';

test('an account from making to resetting: password, sessions, disable, reset code', async ({ page, browser }) => {
  const username = `e2e.commissioner.${Date.now() % 100000}`;
  await signIn(page, 'demo.admin');
  await page.goto('/admin/users');
  await expect(page.getByText(/passphrase of three or four random words/).first()).toBeVisible();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Full name').fill('An Commissioner');
  await page.getByLabel('Commissioner').check();
  await page.getByLabel('Password').fill('aaaaaaaaaaaaaaaaaa');
  await page.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByRole('link', { name: /harder to guess/ })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Password').fill(FIRST);
  await page.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByText(username).first()).toBeVisible();

  // The person signs in on another device, changes their password, sees their sessions.
  const theirs = await browser.newContext();
  const phone = await theirs.newPage();
  await signIn(phone, username, { password: FIRST, check: false });
  await phone.getByRole('link', { name: 'Account', exact: true }).click();
  await expect(phone.getByRole('heading', { level: 2, name: 'Where you are signed in' })).toBeVisible();
  await expect(phone.getByText('This device')).toBeVisible();
  await expectAccessible(phone);
  await phone.getByLabel('Current password').fill(FIRST);
  await phone.getByLabel('New password', { exact: true }).fill('short');
  await phone.getByLabel('Type the new password again').fill('short');
  await phone.getByRole('button', { name: 'Change password' }).click();
  await expect(phone.getByRole('link', { name: /at least 15 characters/ })).toBeVisible();
  await expectAccessible(phone);
  await phone.getByLabel('Current password').fill(FIRST);
  await phone.getByLabel('New password', { exact: true }).fill(SECOND);
  await phone.getByLabel('Type the new password again').fill(SECOND);
  await phone.getByRole('button', { name: 'Change password' }).click();
  await expect(phone.getByText('Your password is changed')).toBeVisible();

  // The administrator finds the account and disables it: the person is signed out at once.
  await page.goto('/admin/users');
  await page.getByRole('link', { name: 'An Commissioner' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'An Commissioner' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Disable account' }).click();
  await expect(page.getByText('The account is disabled')).toBeVisible();
  await phone.goto('/account');
  await expect(phone).toHaveURL(/\/login/);

  // Enabled again, with a reset code handed over; the code works once.
  await page.getByRole('button', { name: 'Enable account' }).click();
  await page.getByRole('button', { name: 'Make a reset code' }).click();
  const code = (await page.locator('#reset-code').innerText()).trim();
  expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}(\?done=[\w.-]+)?$/);
  await expectAccessible(page);
  await signOut(page);

  await phone.goto('/login');
  await phone.getByRole('link', { name: 'reset your password' }).click();
  await expect(phone.getByRole('heading', { level: 1, name: 'Reset your password' })).toBeVisible();
  await expectAccessible(phone);
  await phone.getByLabel('Username').fill(username);
  await phone.getByLabel('Reset code').fill(code);
  await phone.getByLabel('New password', { exact: true }).fill(THIRD);
  await phone.getByLabel('Type the new password again').fill(THIRD);
  await phone.getByRole('button', { name: 'Change password' }).click();
  await expect(phone.getByRole('heading', { name: 'Your password is changed' })).toBeVisible();
  await signIn(phone, username, { password: THIRD, check: false });
  await phone.getByRole('link', { name: 'Account', exact: true }).click();
  await phone.getByRole('button', { name: 'End this session' }).click();
  await expect(phone).toHaveURL(/\/login(\?done=[\w.-]+)?$/);
  await theirs.close();
});

test('a parent or carer has an account page of their own, and not the staff one', async ({ page }) => {
  await signIn(page, 'demo.parent');
  await page.getByRole('link', { name: 'Your account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
  await expect(page.getByText('Personal API tokens')).toHaveCount(0);
  await expectAccessible(page);
  const res = await page.goto('/account');
  expect(res?.status()).toBe(403);
  await page.goto('/my');
  await signOut(page);
});
