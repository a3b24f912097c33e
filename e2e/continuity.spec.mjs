// Issue 12 beyond the profile: the police partner reads a missing child's profile (and
// only that); a PLO records where a child lives and a past missing episode from the
// profile, and the plan-review flag appears after the third in ninety days; the workers
// over time, the handover summary, and a manager closing and reopening a case; the
// administrator's unit costs. Everything here is invented. axe-core on every page.
import { test, expect } from '@playwright/test';
import { expectAccessible, signIn } from './helpers.mjs';

const PHONE = { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/** The family records linked from the page, each once, in order. */
async function familyLinks(page) {
  const hrefs = await page.locator('table a[href^="/families/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  return [...new Set(hrefs.map((h) => h.match(/^\/families\/\d+/)?.[0]).filter(Boolean))];
}

/** Fills a GOV.UK date input with a date `days` ago. */
async function fillDate(page, name, days) {
  const d = new Date(Date.now() - days * 86_400_000);
  await page.locator(`#${name}-day`).fill(String(d.getDate()));
  await page.locator(`#${name}-month`).fill(String(d.getMonth() + 1));
  await page.locator(`#${name}-year`).fill(String(d.getFullYear()));
}

test('the police partner reads the profile of a child who is missing, and cannot change it', async ({ page }) => {
  await signIn(page, 'demo.police', { check: false });
  await page.getByRole('link', { name: 'Missing children' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Missing children' })).toBeVisible();
  await expect(page.getByText('Missing now').first()).toBeVisible();
  await expectAccessible(page);
  await page.locator('a[href^="/police/children/"]').first().click();
  await expect(page.getByRole('heading', { level: 1, name: /Missing-from-home profile:/ })).toBeVisible();
  await expect(page.getByText(/You can read this profile because .* is missing/)).toBeVisible();
  await expect(page.getByRole('link', { name: 'Bring the profile up to date' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Add the photo' })).toHaveCount(0);
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Show it to print or hand over' }).click();
  await expect(page.getByRole('heading', { name: /Philomena Protocol/ })).toBeVisible();
  await expectAccessible(page);
});

test('a PLO records where a child lives, and past episodes until the plan-review flag shows', async ({ page }) => {
  await signIn(page, 'demo.plo', { check: false });
  // A family of the caseload other than the first (whose child has episodes already).
  await page.goto('/caseload');
  const families = await familyLinks(page);
  const family = families[4] ?? families[families.length - 1];
  await page.goto(family);
  const familyName = (await page.getByRole('heading', { level: 1 }).innerText()).trim();
  await page.getByRole('link', { name: /^where .* lives$/ }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: /^Where .* lives$/ })).toBeVisible();
  await expectAccessible(page);
  // With kin, but without how they keep in touch: asked for, with what was typed kept.
  await page.getByLabel('With kin (relatives or family friends)').check();
  await fillDate(page, 'from', 3);
  await page.getByLabel('Where, or who with (optional)').fill('With an aunt across town');
  await page.getByRole('button', { name: 'Save where they live' }).click();
  await expect(page.locator('.govuk-error-summary')).toContainText('Enter how they and their parents keep in touch');
  await expect(page.getByLabel('Where, or who with (optional)')).toHaveValue('With an aunt across town');
  await expectAccessible(page);
  await page.getByLabel('Away from home: how they and their parents keep in touch').fill('Tea at the aunt\'s every Tuesday and Thursday');
  await page.getByRole('button', { name: 'Save where they live' }).click();
  await expect(page.locator('.govuk-notification-banner')).toContainText('Saved');
  await expect(page.getByText('Not agreed yet')).toBeVisible();

  // Three past episodes from the child's profile, the third raising the flag.
  await page.goto(family);
  await page.getByRole('link', { name: /^Profile for/ }).first().click();
  const profile = page.url();
  const childName = (await page.getByRole('heading', { level: 1 }).innerText()).replace('Missing-from-home profile:', '').trim();
  for (const [days, place] of [[40, 'The bus station'], [25, 'A flat on the estate'], [10, 'The bus station']]) {
    await page.goto(profile);
    await page.getByRole('link', { name: 'Record a missing episode' }).click();
    await expect(page.getByRole('heading', { level: 1, name: /Missing episode:/ })).toBeVisible();
    await fillDate(page, 'last-seen', days);
    await page.getByLabel('The time (optional)').first().fill('22:30');
    await fillDate(page, 'returned', days - 1);
    await page.getByLabel('Who found them').selectOption('police');
    await page.getByLabel('Where they were found').fill(place);
    await page.getByLabel('Nights the police searched').fill('1');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.locator('.govuk-notification-banner')).toContainText('Saved');
  }
  await expect(page.getByText(/this episode's searching cost £1,300/)).toBeVisible();
  await expectAccessible(page);
  await page.goto(profile);
  await expect(page.getByRole('heading', { name: 'Patterns' })).toBeVisible();
  await expectAccessible(page);
  await page.goto('/caseload');
  const flagged = page.locator('.govuk-notification-banner li').filter({ hasText: childName }).filter({ hasText: familyName });
  await expect(flagged).toContainText('Missing 3 times in 90 days: review the plan');
});

test('the workers over time, the handover summary, and a manager closing and reopening a case', async ({ browser, baseURL }) => {
  const desk = await browser.newContext({ baseURL });
  const page = await desk.newPage();
  await signIn(page, 'demo.manager', { check: false });
  await page.goto('/families');
  const families = await familyLinks(page);
  const family = families[families.length - 1];
  await page.goto(`${family}/workers`);
  await expect(page.getByRole('heading', { level: 1, name: 'The family\'s workers over time' })).toBeVisible();
  await expectAccessible(page);
  await page.goto(`${family}/handover`);
  await expect(page.getByRole('heading', { level: 1, name: 'Handover summary' })).toBeVisible();
  await expectAccessible(page);

  await page.goto(`${family}/closure`);
  await page.getByLabel('Why the case is closing').fill('Safe at home for six months');
  await page.getByRole('button', { name: 'Close the case' }).click();
  await expect(page.locator('.govuk-error-summary')).toContainText('Enter the step-down plan');
  await expect(page.getByLabel('Why the case is closing')).toHaveValue('Safe at home for six months');
  await expectAccessible(page);
  await page.getByLabel('What the parents or carers say about closing, in their words').fill('We are ready');
  await page.getByLabel('The step-down plan').fill('Early help at school for a term');
  await page.getByRole('button', { name: 'Close the case' }).click();
  await expect(page.locator('.govuk-notification-banner')).toContainText('Case closed');
  await expect(page.getByRole('heading', { level: 1, name: 'The case is closed' })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Why the case is opening again').fill('A new worry from school');
  await page.getByRole('button', { name: 'Reopen the case' }).click();
  await expect(page.locator('.govuk-notification-banner')).toContainText('Case reopened');
  await desk.close();

  const phone = await browser.newContext({ baseURL, ...PHONE });
  const p = await phone.newPage();
  await signIn(p, 'demo.parent', { check: false });
  await p.getByRole('link', { name: /^Where .* lives, and keeping in touch$/ }).first().click();
  await expect(p.getByRole('heading', { level: 1, name: /^Where .* lives$/ })).toBeVisible();
  await expectAccessible(p);
  const width = await p.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(375);
  await phone.close();
});

test('the administrator keeps the hub\'s unit costs', async ({ page }) => {
  await signIn(page, 'demo.admin', { check: false });
  await page.getByRole('link', { name: 'Unit costs' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Unit costs' })).toBeVisible();
  await expectAccessible(page);
  const night = page.getByLabel('A police search for a missing child, per night');
  await expect(night).toHaveValue('1,300');
  await night.fill('a lot');
  await page.getByRole('button', { name: 'Save the unit costs' }).click();
  await expect(page.locator('.govuk-error-summary')).toContainText('in pounds, like 1300');
  await expect(night).toHaveValue('a lot');
  await expectAccessible(page);
  await night.fill('1,300');
  await page.getByRole('button', { name: 'Save the unit costs' }).click();
  await expect(page.locator('.govuk-notification-banner')).toContainText('Settings saved');
});
