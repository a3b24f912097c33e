// Safety plans (issue 12): a PLO makes a plan with the family and changes it; the first
// version is kept and the change is shown; the parent reads it on a phone and says what
// they think in their own words; an overdue review shows on the caseload. Everything
// here is invented.
import { test, expect } from '@playwright/test';
import { expectAccessible, fillDate, signIn, utcDate } from './helpers.mjs';

const PHONE = { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

test('a safety plan is agreed with the parent, changed, and answered in their words', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await signIn(page, 'demo.plo', { check: false });
  await page.goto('/caseload');
  // The demo has a plan whose review date has passed.
  await expect(page.getByRole('heading', { name: 'Safety plan reviews due' })).toBeVisible();
  await expectAccessible(page);
  // The demo parent's family is first on the caseload.
  const familyUrl = await page.getByRole('table').getByRole('link').first().getAttribute('href');
  await page.goto(familyUrl);
  await expect(page.getByRole('heading', { name: 'Safety plans' })).toBeVisible();
  await page.getByRole('link', { name: 'Make a safety plan with the family' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New safety plan' })).toBeVisible();
  await expectAccessible(page);

  // Nothing filled in but a place: each problem is named, and what was typed is kept.
  await page.getByLabel('Places').fill('The underpass by the station');
  await page.getByRole('button', { name: 'Save the plan' }).click();
  const summary = page.locator('.govuk-error-summary');
  await expect(summary).toContainText('Choose the child the plan is for');
  await expect(summary).toContainText('Write at least one thing someone will do');
  await expect(summary).toContainText('Enter what to do if');
  await expect(page.getByLabel('Places')).toHaveValue('The underpass by the station');
  await expectAccessible(page);

  await page.getByLabel('Who the plan is for').selectOption({ index: 1 });
  await page.locator('#action1-who').selectOption('parent');
  await page.locator('#action1-what').fill('Walk with her past the underpass after school');
  await page.locator('#action2-who').selectOption('police');
  await page.locator('#action2-name').fill('Schools officer');
  await page.locator('#action2-what').fill('Pass the station at 3.30pm');
  await page.getByLabel('What to do if').fill('If she is not home by 9pm: call her, then 999, then the PLO');
  await fillDate(page, 'review', utcDate(28));
  await page.getByRole('button', { name: 'Save the plan' }).click();
  await expect(page.locator('.govuk-notification-banner')).toContainText('Safety plan saved');
  await expect(page.getByText('Police (Schools officer): Pass the station at 3.30pm')).toBeVisible();
  await expectAccessible(page);
  const planUrl = new URL(page.url()).pathname;

  // A change: a new version, with what changed shown beside the first.
  await page.getByRole('link', { name: 'Change the plan' }).click();
  await expect(page.getByLabel('Places')).toHaveValue('The underpass by the station');
  await page.getByLabel('Places').fill('The underpass by the station\nThe bus shelter on Mill Lane');
  await page.getByLabel('What changed and why').fill('The family saw her at the bus shelter twice this week');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Save the plan' }).click();
  await expect(page).toHaveURL(/\/plans\/\d+\/versions\/2(\?done=[\w.-]+)?$/);
  await expect(page.getByRole('heading', { name: 'What changed from version 1' })).toBeVisible();
  await expect(page.locator('.app-diff__added')).toContainText('The bus shelter on Mill Lane');
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Version 1' }).click();
  await expect(page.getByText('This is version 1')).toBeVisible();
  await expect(page.getByText('The bus shelter on Mill Lane')).toHaveCount(0);
  await context.close();

  // The parent, on a phone: reads the plan and says what they think.
  const phone = await browser.newContext({ baseURL, ...PHONE });
  const p = await phone.newPage();
  await signIn(p, 'demo.parent', { check: false });
  await expect(p.getByRole('heading', { name: "Your family's safety plans" })).toBeVisible();
  await p.goto(planUrl.replace('/plans/', '/my/plans/'));
  await expect(p.getByRole('heading', { level: 1, name: /Safety plan for/ })).toBeVisible();
  await expect(p.getByRole('link', { name: 'Change the plan' })).toHaveCount(0);
  await expectAccessible(p);
  await p.getByRole('button', { name: 'Save' }).click();
  await expect(p.locator('.govuk-error-summary')).toContainText('Select what you think of the plan');
  await p.getByLabel('Agrees with some of it').check();
  await p.getByLabel('In your own words').fill('The bus shelter is right. 9pm is too early on a Saturday.');
  await p.getByRole('button', { name: 'Save' }).click();
  await expect(p.locator('.govuk-notification-banner')).toContainText('Saved, in the words given');
  await expect(p.getByText('9pm is too early on a Saturday.')).toBeVisible();
  const width = await p.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(375);
  await expectAccessible(p);
  await phone.close();
});
