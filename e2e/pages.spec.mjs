// Every role's pages, reached by clicking through the service navigation, pass the
// accessibility checks, as do forms' error states and the refusal pages.
import { test, expect } from '@playwright/test';
import { expectAccessible, signIn, signOut, summaryValue } from './helpers.mjs';

/** Clicks every link of the service navigation in turn, checking each page it opens. */
async function visitEveryNavigationLink(page) {
  const nav = page.getByRole('navigation', { name: 'Menu' });
  const labels = (await nav.getByRole('link').allInnerTexts()).map((t) => t.trim());
  expect(labels.length).toBeGreaterThan(0);
  for (const label of labels) {
    await nav.getByRole('link', { name: label, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    // The page it opened is marked as the current one.
    await expect(nav.locator('[aria-current="page"]')).toHaveText(label);
    await expectAccessible(page);
  }
  return labels;
}

async function submitAndExpectErrors(page, button) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: button, exact: true }).click(),
  ]);
  expect(response.status()).toBe(422);
  await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await expectAccessible(page);
}

test('an operational manager\'s pages, and their forms\' error states', async ({ page }) => {
  await signIn(page, 'demo.manager');
  const labels = await visitEveryNavigationLink(page);
  expect(labels).toEqual(expect.arrayContaining(['Referrals', 'Families', 'New referral', 'Capacity', 'Audit log', 'Account']));

  // An account an administrator made waits for the manager's approval (separation of
  // duties): the dashboard says so, the manager approves it, and the change is listed.
  await page.getByRole('link', { name: 'Referrals', exact: true }).click();
  await expect(page.getByText('waiting for your approval')).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Approve demo.newplo' }).click();
  await expect(page.getByText('waiting for your approval')).toHaveCount(0);
  await page.getByText("Changes to the hub's accounts").click();
  await expect(page.getByText(/New Worker \(demo\).*was approved by/)).toBeVisible();

  // The hub's settings (the response target, the cross-hub limit) refuse nonsense.
  await page.getByRole('link', { name: 'Referrals', exact: true }).click();
  await page.getByLabel('Working days from receipt to first contact').fill('0');
  await submitAndExpectErrors(page, 'Save settings');

  // The audit log's filter refuses an impossible date.
  await page.getByRole('link', { name: 'Audit log', exact: true }).click();
  await page.locator('input[name="from-day"]').fill('32');
  await page.locator('input[name="from-month"]').fill('13');
  await page.locator('input[name="from-year"]').fill('2026');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await expectAccessible(page);

  // A family of the hub: the record, its chronology, and its forms.
  await page.getByRole('link', { name: 'Families', exact: true }).click();
  await page.getByLabel('Search by family name').fill('a');
  await page.getByRole('button', { name: 'Search' }).click();
  await expectAccessible(page);
  await page.getByRole('table').getByRole('link').first().click();
  await expect(page).toHaveURL(/\/families\/\d+(\?done=[\w.-]+)?$/);
  const familyUrl = new URL(page.url()).pathname;
  await expectAccessible(page);
  await page.getByRole('link', { name: 'See the whole chronology' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Chronology' })).toBeVisible();
  await expectAccessible(page);

  await page.goto(familyUrl);
  await page.getByRole('link', { name: 'Add a family member' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Add a family member' })).toBeVisible();
  await expectAccessible(page);
  await submitAndExpectErrors(page, 'Add family member');

  await page.goto(familyUrl);
  await page.getByRole('link', { name: 'Record a contact' }).click();
  await submitAndExpectErrors(page, 'Save contact');

  await page.goto(familyUrl);
  await page.getByRole('link', { name: 'Change strengths' }).click();
  await expect(page.getByRole('heading', { level: 1, name: "Strengths and the family's own words" })).toBeVisible();
  await expectAccessible(page);

  // The family's area and address: saved with a banner, the area then shown.
  await page.goto(familyUrl);
  await page.getByRole('link', { name: 'Change the area' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Area and address' })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Area (optional)').fill('North Ashby');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Family details saved' })).toBeVisible();
  await expect(summaryValue(page, 'Area')).toHaveText('North Ashby');
  await expectAccessible(page);

  // A member's details, changed on their own form; an empty first name is refused.
  await page.getByRole('table', { name: 'Family members' }).getByRole('link', { name: /^Change/ }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: /^Change .*'s details$/ })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('First name').fill('');
  await submitAndExpectErrors(page, 'Save changes');

  // A planned contact is recorded as held or cancelled; without an answer, refused.
  await page.goto('/families');
  const hrefs = await page.getByRole('table').getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const recordIt = page.getByRole('link', { name: /^Record whether it was held/ });
  for (const href of hrefs) {
    await page.goto(href);
    if (await recordIt.count() > 0) break;
  }
  await recordIt.first().click();
  await expect(page.getByRole('group', { name: 'Was it held?' })).toBeVisible();
  await expectAccessible(page);
  await submitAndExpectErrors(page, 'Save');

  // Capacity: weighed caseloads, the limit's form (refusing nonsense), a worker's list.
  await page.getByRole('link', { name: 'Capacity', exact: true }).click();
  await expect(page.getByRole('columnheader', { name: /^Weighted, of/ })).toBeVisible();
  await page.getByLabel('Caseload limit for each worker, in weighted points').fill('0');
  await submitAndExpectErrors(page, 'Save the limit and weights');
  await page.getByRole('link', { name: /Demo Parent Liaison Officer/ }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: /^Families held by/ })).toBeVisible();
  await expectAccessible(page);

  // The network page lists every link without the drawing.
  await page.getByRole('link', { name: 'Network', exact: true }).click();
  await expect(page.getByRole('table', { name: /^Links between families/ })).toBeVisible();
  await expectAccessible(page);

  // The account page's token form refuses an empty name.
  await page.getByRole('link', { name: 'Account', exact: true }).click();
  await submitAndExpectErrors(page, 'Create token');
  await signOut(page);
});

test('an administrator\'s pages, and the new-user form\'s error state', async ({ page }) => {
  await signIn(page, 'demo.admin');
  const labels = await visitEveryNavigationLink(page);
  expect(labels).toEqual(expect.arrayContaining(['Users', 'Audit log', 'Account']));
  await page.getByRole('link', { name: 'Users', exact: true }).click();
  await submitAndExpectErrors(page, 'Add user');
  await signOut(page);
});

for (const username of ['demo.plo', 'demo.csw', 'demo.police', 'demo.socialcare', 'demo.commissioner', 'demo.parent']) {
  test(`${username}'s pages`, async ({ page }) => {
    await signIn(page, username);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expectAccessible(page);
    await visitEveryNavigationLink(page);
    await signOut(page);
  });
}

test('a page a role does not do is refused, and a family not allocated to the PLO is "Page not found"', async ({ page, browser }) => {
  // The manager sees every family of the hub; find one the demo PLO does not hold.
  await signIn(page, 'demo.manager');
  await page.goto('/families');
  const rows = page.getByRole('table').getByRole('row').filter({ has: page.getByRole('link') });
  const count = await rows.count();
  let notTheirs = '';
  for (let i = 0; i < count && !notTheirs; i++) {
    const cells = await rows.nth(i).getByRole('cell').allInnerTexts();
    if (cells[2]?.trim() !== 'Demo Parent Liaison Officer' && cells[3]?.trim() !== 'Demo Child Support Worker') {
      notTheirs = (await rows.nth(i).getByRole('link').first().getAttribute('href')) ?? '';
    }
  }
  expect(notTheirs, 'a family allocated to neither demo worker, on the first page of families').toMatch(/^\/families\/\d+(\?done=[\w.-]+)?$/);
  const managerView = await page.goto(notTheirs);
  expect(managerView?.status()).toBe(200);

  const ploContext = await browser.newContext();
  const plo = await ploContext.newPage();
  try {
    await signIn(plo, 'demo.plo', { check: false });
    for (const url of [notTheirs, `${notTheirs}/chronology`, `${notTheirs}/contacts/new`, '/families/99999999', '/families/not-a-number']) {
      const response = await plo.goto(url);
      expect(response?.status(), url).toBe(404);
      await expect(plo.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
    }
    await expectAccessible(plo);
    // Exactly as a family that does not exist: nothing tells them apart.
    expect(await (await plo.request.get(notTheirs)).text()).toBe(await (await plo.request.get('/families/99999999')).text());

    const refused = await plo.goto('/capacity');
    expect(refused?.status()).toBe(403);
    await expect(plo.getByRole('heading', { level: 1, name: 'You cannot see this page' })).toBeVisible();
    await expectAccessible(plo);
  } finally {
    await ploContext.close();
  }
});

test('a missing page answers "Page not found" when signed out too', async ({ page }) => {
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Go to the start page' }).click();
  await expect(page).toHaveURL(/\/login/);
});
