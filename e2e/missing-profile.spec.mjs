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
