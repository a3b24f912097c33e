// Bad input is refused with GOV.UK error messages, and nothing typed is lost.
import { test, expect } from '@playwright/test';
import { PASSWORD, expectAccessible, fillDate, fillReferral, signIn, utcDate } from './helpers.mjs';

/** The error summary's messages, in order. */
async function summaryMessages(page) {
  const summary = page.locator('.govuk-error-summary');
  await expect(summary.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  return summary.getByRole('listitem').allInnerTexts();
}

test('an empty referral is refused with a message for each required answer', async ({ page }) => {
  await signIn(page, 'demo.csw');
  await page.goto('/referrals/new');
  await expectAccessible(page);

  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/referrals'),
    page.getByRole('button', { name: 'Save referral' }).click(),
  ]);
  expect(response.status()).toBe(422);
  await expect(page).toHaveTitle(/^Error: /);
  const messages = await summaryMessages(page);
  expect(messages).toEqual(
    expect.arrayContaining([
      'Select who made the referral',
      'Enter date received',
      "Enter referrer's name",
      "Enter child's first name",
      "Enter child's last name",
      'Enter the reasons for the referral',
      'Select whether the family consents to information being shared',
    ]),
  );
  // Each message links to its field, and the field shows the same message.
  for (const link of await page.locator('.govuk-error-summary__list a').all()) {
    const target = (await link.getAttribute('href')) ?? '';
    expect(target).toMatch(/^#[\w-]+(\?done=[\w.-]+)?$/);
    await expect(page.locator(target), `the error link ${target} has a field`).toHaveCount(1);
    await expect(page.locator(`${target}-error`)).toContainText((await link.innerText()).trim());
  }
  await expectAccessible(page);

  // Following a message's link moves to its field.
  await page.locator('.govuk-error-summary__list').getByRole('link', { name: "Enter referrer's name" }).click();
  await expect(page.getByLabel("Referrer's name")).toBeFocused();
});

test('a referral missing its date keeps everything typed, and a future date is refused', async ({ page }) => {
  await signIn(page, 'demo.csw');
  await page.getByRole('link', { name: 'New referral' }).click();
  await expect(page).toHaveURL(/\/referrals\/new(\?done=[\w.-]+)?$/);

  const reasons = 'Sky has been missing overnight twice this month and came home with a new phone.';
  await fillReferral(page, {
    sourceLabel: 'Health',
    referrerName: 'Casey Sampleford',
    referrerContact: '07700 900555',
    childGiven: 'Sky',
    childFamily: 'Examplewood',
    carerGiven: 'Robin',
    carerKindLabel: 'Kinship carer',
    reasons,
    indicatorLabels: ['Going missing', 'Secretive phone or online contact'],
    consent: 'No',
    received: { day: '', month: '', year: '' },
  });
  await page.getByRole('button', { name: 'Save referral' }).click();

  expect(await summaryMessages(page)).toEqual(['Enter date received']);
  await expect(page.locator('#received-error')).toContainText('Enter date received');
  // Nothing typed is lost.
  const child = page.getByRole('group', { name: 'Child', exact: true });
  await expect(child.getByLabel('First name')).toHaveValue('Sky');
  await expect(child.getByLabel('Last name')).toHaveValue('Examplewood');
  const carer = page.getByRole('group', { name: 'Parent or carer (optional, 1 of 2)' });
  await expect(carer.getByLabel('First name')).toHaveValue('Robin');
  await expect(carer.getByLabel('Kind of parent or carer')).toHaveValue('kinship');
  await expect(page.getByLabel("Referrer's name")).toHaveValue('Casey Sampleford');
  await expect(page.getByLabel("Referrer's contact details (optional)")).toHaveValue('07700 900555');
  await expect(page.getByLabel('Reasons for the referral')).toHaveValue(reasons);
  await expect(page.getByRole('group', { name: 'Who made the referral?' }).getByLabel('Health')).toBeChecked();
  const indicators = page.getByRole('group', { name: 'Indicators seen' });
  await expect(indicators.getByLabel('Going missing')).toBeChecked();
  await expect(indicators.getByLabel('Secretive phone or online contact')).toBeChecked();
  await expect(indicators.getByLabel('Unknown cars')).not.toBeChecked();
  await expect(
    page.getByRole('group', { name: 'Has the family consented to information being shared with partner agencies?' }).getByLabel('No', { exact: true }),
  ).toBeChecked();
  await expectAccessible(page);

  // A date received in the future is refused, and the date typed is kept.
  const future = utcDate(10);
  await fillDate(page, 'received', future);
  await page.getByRole('button', { name: 'Save referral' }).click();
  await expect(page).toHaveURL(/\/referrals(\?done=[\w.-]+)?$/);
  expect(await summaryMessages(page)).toEqual(['Date received must be today or in the past']);
  await expect(page.locator('input[name="received-day"]')).toHaveValue(future.day);
  await expect(page.locator('input[name="received-month"]')).toHaveValue(future.month);
  await expect(page.locator('input[name="received-year"]')).toHaveValue(future.year);
  await expect(child.getByLabel('First name')).toHaveValue('Sky');
  await expectAccessible(page);

  // Not a real date either.
  await fillDate(page, 'received', { day: '31', month: '2', year: '2026' });
  await page.getByRole('button', { name: 'Save referral' }).click();
  expect(await summaryMessages(page)).toEqual(['Date received must be a real date']);
  await expectAccessible(page);

  // Put right, it saves.
  await fillDate(page, 'received', utcDate(0));
  await page.getByRole('button', { name: 'Save referral' }).click();
  await expect(page).toHaveURL(/\/referrals\/\d+(\?done=[\w.-]+)?$/);
  // The referrer does not hold the family, so the page names none (issue 10, L3).
  await expect(page.getByRole('heading', { level: 1, name: 'Your referral' })).toBeVisible();
  await expectAccessible(page);
});

test('a wrong password is refused with "Enter a correct username and password"', async ({ page }) => {
  await page.goto('/login');
  await expectAccessible(page);
  await page.getByLabel('Username').fill('demo.commissioner');
  await page.getByLabel('Password').fill(`${PASSWORD}-wrong`);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login'),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  expect(response.status()).toBe(401);
  expect(await summaryMessages(page)).toEqual(['Enter a correct username and password']);
  await expect(page).toHaveTitle(/^Error: Sign in/);
  // The username is kept; the password never comes back.
  await expect(page.getByLabel('Username')).toHaveValue('demo.commissioner');
  await expect(page.getByLabel('Password')).toHaveValue('');
  await expect(page.getByText(/^Signed in as /)).toHaveCount(0);
  await expectAccessible(page);

  // An unknown username reads the same, so it tells nothing about who has an account.
  await page.getByLabel('Username').fill('nobody.here');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  expect(await summaryMessages(page)).toEqual(['Enter a correct username and password']);

  // Empty fields each get their own message.
  await page.getByLabel('Username').fill('');
  await page.getByRole('button', { name: 'Sign in' }).click();
  expect(await summaryMessages(page)).toEqual(['Enter your username', 'Enter your password']);
  await expectAccessible(page);

  // Still signed out: a signed-in page sends you back here.
  await page.goto('/caseload');
  await expect(page).toHaveURL(/\/login\?next=%2Fcaseload(\?done=[\w.-]+)?$/);
});
