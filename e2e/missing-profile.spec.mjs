// The missing-from-home profile (issue 12): a parent brings their child's profile up to
// date on a 375 px phone and opens the page to hand to the police; a PLO reads it on the
// family record. Everything here is invented.
import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { expectAccessible, signIn } from './helpers.mjs';

const PHONE = { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

test('a parent keeps the profile ready on a phone, and the PLO reads it', async ({ browser, baseURL }) => {
  const phone = await browser.newContext({ baseURL, ...PHONE });
  const page = await phone.newPage();
  await signIn(page, 'demo.parent', { check: false });
  await expect(page.getByRole('heading', { name: 'If your child goes missing' })).toBeVisible();
  await page.getByRole('link', { name: /Missing-from-home profile for/ }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: /Missing-from-home profile:/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /A recent photo of/ })).toBeVisible();
  await expectAccessible(page);
  const profileUrl = new URL(page.url()).pathname;

  await page.getByRole('link', { name: 'Bring the profile up to date' }).click();
  await expect(page.getByLabel('Hair')).toHaveValue('Dark brown, long, often tied back');
  await expectAccessible(page);
  // A friend with no answer to "under 18?": the question is named, and what was typed kept.
  await page.locator('#friend2-name').fill('Tia');
  await page.getByRole('button', { name: 'Save the profile' }).click();
  await expect(page.locator('.govuk-error-summary')).toContainText('Say whether friend 2 is a child or young person');
  await expect(page.locator('#friend2-name')).toHaveValue('Tia');
  await expectAccessible(page);
  await page.locator('#friend2-child').check();
  await page.getByLabel('Hair').fill('Dyed red last week, long');
  await page.getByRole('button', { name: 'Save the profile' }).click();
  await expect(page.locator('.govuk-notification-banner')).toContainText('Profile saved');
  await expect(page.getByText('Dyed red last week, long')).toBeVisible();
  await expect(page.getByText(/^Version 2:/)).toBeVisible();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(375);

  // The PDF: downloaded, with a warning that it stays on the phone.
  await expect(page.getByText('A downloaded PDF stays on this phone')).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download it as a PDF' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('missing-from-home-profile.pdf');
  const bytes = readFileSync(await download.path());
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  await page.getByRole('link', { name: 'Show it to print or hand over' }).click();
  await expect(page.getByRole('heading', { name: /Philomena Protocol/ })).toBeVisible();
  await expect(page.getByText('Dyed red last week, long')).toBeVisible();
  await expectAccessible(page);
  await phone.close();

  const desk = await browser.newContext({ baseURL });
  const p = await desk.newPage();
  await signIn(p, 'demo.plo', { check: false });
  await p.goto(profileUrl.replace('/my/children/', '/children/'));
  await expect(p.getByText('Dyed red last week, long')).toBeVisible();
  await expect(p.getByText('Tia (a child)')).toBeVisible();
  await expectAccessible(p);
  await desk.close();
});

test('a parent says their child is missing now; the PLO sees it at once and records the return', async ({ browser, baseURL }) => {
  const phone = await browser.newContext({ baseURL, ...PHONE });
  const page = await phone.newPage();
  await signIn(page, 'demo.parent', { check: false });
  await page.getByRole('link', { name: 'My child is missing now' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your child is missing' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('group', { name: 'Who is missing?' }).getByRole('radio').first().check();
  await page.getByLabel('When did you last see them? (optional)').fill('8pm');
  await page.getByLabel('Where were they last seen? (optional)').fill('Getting into a grey car by the chip shop');
  await page.getByRole('button', { name: 'Tell my Parent Liaison Officer' }).click();
  await expect(page.getByRole('heading', { name: 'Your Parent Liaison Officer has been told' })).toBeVisible();
  await expect(page.getByText('call 999 now')).toBeVisible();
  await expect(page.getByRole('link', { name: 'The profile as a PDF' })).toBeVisible();
  await expectAccessible(page);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(375);
  await page.getByRole('link', { name: 'Add to what you told us' }).click();
  const episodeUrl = new URL(page.url()).pathname;
  await expect(page.getByLabel('Where they were last seen')).toHaveValue('Getting into a grey car by the chip shop');
  await expectAccessible(page);
  await phone.close();

  const desk = await browser.newContext({ baseURL });
  const p = await desk.newPage();
  await signIn(p, 'demo.plo', { check: false });
  await p.goto('/caseload');
  await expect(p.getByRole('heading', { name: 'Children missing' })).toBeVisible();
  await expect(p.locator(`a[href="${episodeUrl.replace('/my', '')}"]`)).toBeVisible();
  await expectAccessible(p);
  await p.goto(episodeUrl.replace('/my', ''));
  await p.getByLabel('What they were wearing').fill('Black puffer jacket, grey joggers');
  await p.locator('input[name="returned-day"]').fill(await p.locator('input[name="last-seen-day"]').inputValue());
  await p.locator('input[name="returned-month"]').fill(await p.locator('input[name="last-seen-month"]').inputValue());
  await p.locator('input[name="returned-year"]').fill(await p.locator('input[name="last-seen-year"]').inputValue());
  // Last seen at 8pm (today, or yesterday before 8pm): back a minute later.
  await p.locator('input[name="returned-time"]').fill('20:01');
  await p.getByLabel('Who found them').selectOption('parent');
  await p.getByLabel('Where they were found').fill("At a friend's flat");
  await p.getByRole('button', { name: 'Save' }).click();
  await expect(p.locator('.govuk-notification-banner')).toContainText('Saved');
  await expect(p.getByText('Back', { exact: true })).toBeVisible();
  await expectAccessible(p);
  // The return-home interview, offered within 72 hours.
  await expect(p.getByRole('heading', { name: 'Return-home interview' })).toBeVisible();
  await p.getByRole('radio', { name: 'Held', exact: true }).check();
  await p.locator('input[name="offered-day"]').fill(await p.locator('input[name="returned-day"]').inputValue());
  await p.locator('input[name="offered-month"]').fill(await p.locator('input[name="returned-month"]').inputValue());
  await p.locator('input[name="offered-year"]').fill(await p.locator('input[name="returned-year"]').inputValue());
  await p.getByLabel('Who offered it').fill('A worker of the Demo Youth Service');
  await p.getByRole('group', { name: "Independent of the child's care?" }).getByLabel('Yes').check();
  await p.getByLabel('Where they went').fill('A flat in another town');
  await p.getByRole('button', { name: 'Save the interview' }).click();
  await expect(p.locator('.govuk-notification-banner')).toContainText('Return-home interview saved');
  await expect(p.getByText('A flat in another town')).toBeVisible();
  await expectAccessible(p);
  await desk.close();
});
