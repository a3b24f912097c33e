// Sessions: signing out ends them, and forms without the session's CSRF token are refused.
import { test, expect } from '@playwright/test';
import { expectAccessible, fillReferral, signIn, signOut } from './helpers.mjs';

test('signing out ends the session', async ({ page }) => {
  await signIn(page, 'demo.plo');
  await expect(page).toHaveURL(/\/caseload(\?done=[\w.-]+)?$/);
  await expect(page.getByText(/^Signed in as /)).toContainText('Demo Parent Liaison Officer');

  await signOut(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Alongside' })).toBeVisible();
  await expectAccessible(page);

  // The old session no longer opens anything: each page leads to the sign-in page.
  for (const path of ['/caseload', '/families', '/account']) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/login\?next=/);
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Alongside' })).toBeVisible();
  }
  await expectAccessible(page);

  // Going back in history does not bring the caseload back either: it is fetched again.
  await page.goBack();
  await expect(page).toHaveURL(/\/login/);
  await page.reload();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByText(/^Signed in as /)).toHaveCount(0);

  // Signing in from there returns to the page asked for.
  await page.goto('/account');
  await expect(page).toHaveURL(/\/login\?next=%2Faccount(\?done=[\w.-]+)?$/);
  await page.getByLabel('Username').fill('demo.plo');
  await page.getByLabel('Password').fill(process.env.ALONGSIDE_DEMO_PASSWORD || 'e2e-demo-password-2026');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/account(\?done=[\w.-]+)?$/);
  await expectAccessible(page);
});

test('a form posted without a valid CSRF token is refused as expired', async ({ page }) => {
  await signIn(page, 'demo.manager');
  await page.goto('/referrals/new');
  const token = await page.locator('form[action="/referrals"] input[name="csrf_token"]').inputValue();
  expect(token).toMatch(/^[0-9a-f]{64}(\?done=[\w.-]+)?$/);

  const referral = {
    source: 'school',
    'received-day': '1',
    'received-month': '3',
    'received-year': '2026',
    'referrer-name': 'Forged Sender',
    'child1-given': 'Quill',
    'child1-family': 'Forgerly',
    reasons: 'A forged form that must not be saved.',
    consent: 'yes',
  };
  for (const [what, form] of [
    ['no token', referral],
    ['an empty token', { ...referral, csrf_token: '' }],
    ['a wrong token', { ...referral, csrf_token: '0'.repeat(64) }],
    ['a token one character short', { ...referral, csrf_token: token.slice(0, -1) }],
  ]) {
    const response = await page.request.post('/referrals', { form, maxRedirects: 0 });
    expect(response.status(), what).toBe(403);
    const body = await response.text();
    expect(body, what).toContain('This form has expired');
    expect(body, what).toContain('Nothing was saved');
  }

  // Nothing was saved.
  await page.goto('/referrals');
  await expect(page.getByText('Forgerly family')).toHaveCount(0);

  // The control: the same request with the session's token is accepted, so the refusals
  // above were for the token alone.
  const accepted = await page.request.post('/referrals', {
    form: { ...referral, 'child1-family': 'Tokenby', csrf_token: token },
    maxRedirects: 0,
  });
  expect(accepted.status()).toBe(303);
  expect(accepted.headers()['location']).toMatch(/^\/referrals\/\d+(\?done=[\w.-]+)?$/);
  // The session itself still works.
  await expect(page.getByRole('heading', { level: 1, name: 'Open referrals' })).toBeVisible();
});

test('a form left open across signing out and in again is refused as expired, and says so', async ({ page, context }) => {
  await signIn(page, 'demo.manager');
  await page.goto('/referrals/new');
  await fillReferral(page, {
    childGiven: 'Ember',
    childFamily: 'Stalewood',
    reasons: 'Filled in, then left open while the session changed.',
  });

  // Meanwhile, in another tab, the manager signs out and in again: a new session and token.
  const other = await context.newPage();
  await other.goto('/referrals');
  await signOut(other);
  await signIn(other, 'demo.manager', { check: false });
  await other.close();

  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/referrals'),
    page.getByRole('button', { name: 'Save referral' }).click(),
  ]);
  expect(response.status()).toBe(403);
  await expect(page.getByRole('heading', { level: 1, name: 'This form has expired' })).toBeVisible();
  await expect(page.getByText('Nothing was saved')).toBeVisible();
  await expectAccessible(page);

  await page.goto('/referrals');
  await expect(page.getByText('Stalewood family')).toHaveCount(0);
});
