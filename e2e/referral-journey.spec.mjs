// The main journey: a manager records a referral and triages it; the allocated Parent
// Liaison Officer finds the family, records a home visit and sees it in the chronology;
// a user of another hub cannot reach the family at all. Every name here is invented.
import { test, expect } from '@playwright/test';
import { expectAccessible, fillDate, fillReferral, signIn, signOut, summaryValue, utcDate, chooseWorker } from './helpers.mjs';

test.describe.configure({ mode: 'serial' });

const CHILD = { given: 'Rowan', family: 'Testwell' };
const FAMILY = `${CHILD.family} family`;
const REASONS = 'Rowan has been seen getting into unknown cars after school and has new trainers nobody paid for.';
const REASONING = 'Two indicators together and a recent change: high, for a quick first contact.';
const NOTE = 'Met Morgan Testwell at home; talked through the worries about the cars and agreed a weekly call.';

// Filled in as the journey goes, for the later steps.
let referralUrl = '';
let familyUrl = '';

test('a manager records a referral and triages it, allocating a PLO and a CSW', async ({ page }) => {
  await signIn(page, 'demo.manager');
  await expect(page).toHaveURL(/\/referrals(\?done=[\w.-]+)?$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Open referrals' })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('link', { name: 'New referral' }).click();
  await expect(page).toHaveURL(/\/referrals\/new(\?done=[\w.-]+)?$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Record a referral' })).toBeVisible();
  await expectAccessible(page);

  await fillReferral(page, {
    sourceLabel: 'School or college',
    referrerName: 'Jordan Exampleton',
    referrerContact: '07700 900417',
    childGiven: CHILD.given,
    childFamily: CHILD.family,
    carerGiven: 'Morgan',
    carerFamily: CHILD.family,
    carerKindLabel: 'Birth parent',
    reasons: REASONS,
    indicatorLabels: ['Unknown cars', 'Unexplained gifts or money'],
    consent: 'Yes',
  });
  await page.getByRole('button', { name: 'Save referral' }).click();

  await expect(page).toHaveURL(/\/referrals\/\d+(\?done=[\w.-]+)?$/);
  referralUrl = new URL(page.url()).pathname;
  await expect(page.getByRole('heading', { level: 1, name: FAMILY })).toBeVisible();
  await expect(summaryValue(page, 'Reasons')).toHaveText(REASONS);
  await expect(summaryValue(page, 'Consent to share')).toHaveText('Yes');
  await expect(summaryValue(page, 'Source')).toHaveText('School or college');
  await expect(page.getByRole('listitem').filter({ hasText: /^Unknown cars$/ })).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: /^Unexplained gifts or money$/ })).toBeVisible();
  await expect(summaryValue(page, 'Referrer')).toContainText('Jordan Exampleton');
  await expect(summaryValue(page, 'Referrer')).toContainText('07700 900417');
  await expect(page.getByText('Awaiting triage').first()).toBeVisible();
  await expectAccessible(page);

  // The new referral is in the manager's list of open referrals.
  await page.getByRole('link', { name: 'Referrals', exact: true }).click();
  await expect(page).toHaveURL(/\/referrals(\?done=[\w.-]+)?$/);
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: FAMILY }) });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Awaiting triage');
  await expectAccessible(page);
  await row.getByRole('link', { name: FAMILY }).click();
  await expect(page).toHaveURL(new RegExp(`${referralUrl}(\\?done=[\\w.-]+)?$`));

  await page.getByRole('link', { name: 'Triage this referral' }).click();
  await expect(page).toHaveURL(new RegExp(`${referralUrl}/triage(\\?done=[\\w.-]+)?$`));
  await expect(page.getByRole('heading', { level: 1, name: 'Triage the referral' })).toBeVisible();
  await expectAccessible(page);

  // Accepting without a PLO is refused, with the choices kept.
  await page.getByRole('group', { name: 'Threshold' }).getByLabel('High').check();
  await page.getByLabel('Reasoning').fill(REASONING);
  await page.getByRole('group', { name: 'Decision' }).getByLabel('Accept for support').check();
  await page.getByRole('button', { name: 'Save triage decision' }).click();
  await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await expect(page.getByLabel('Reasoning')).toHaveValue(REASONING);
  await expect(page.getByRole('group', { name: 'Threshold' }).getByLabel('High')).toBeChecked();
  await expectAccessible(page);

  await chooseWorker(page, 'Parent Liaison Officer', 'Demo Parent Liaison Officer');
  await chooseWorker(page, 'Child Support Worker', 'Demo Child Support Worker');
  await page.getByRole('button', { name: 'Save triage decision' }).click();

  await expect(page).toHaveURL(new RegExp(`${referralUrl}(\\?done=[\\w.-]+)?$`));
  await expect(summaryValue(page, 'Decision')).toHaveText('Accept for support');
  await expect(summaryValue(page, 'Reasoning')).toHaveText(REASONING);
  await expect(page.getByText('High', { exact: true }).first()).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Open the family record' }).click();
  await expect(page).toHaveURL(/\/families\/\d+(\?done=[\w.-]+)?$/);
  familyUrl = new URL(page.url()).pathname;
  await expect(page.getByRole('heading', { level: 1, name: FAMILY })).toBeVisible();
  await expect(summaryValue(page, 'Parent Liaison Officer')).toHaveText('Demo Parent Liaison Officer');
  await expect(summaryValue(page, 'Child Support Worker')).toHaveText('Demo Child Support Worker');
  await expectAccessible(page);

  await signOut(page);
});

test('the allocated PLO records a home visit and sees it in the record and the chronology', async ({ page }) => {
  expect(familyUrl, 'the first step made the family').not.toBe('');
  await signIn(page, 'demo.plo');
  await expect(page).toHaveURL(/\/caseload(\?done=[\w.-]+)?$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Your caseload' })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('link', { name: FAMILY }).click();
  await expect(page).toHaveURL(new RegExp(`${familyUrl}(\\?done=[\\w.-]+)?$`));
  await expect(page.getByRole('heading', { level: 1, name: FAMILY })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Record a contact' }).click();
  await expect(page).toHaveURL(new RegExp(`${familyUrl}/contacts/new(\\?done=[\\w.-]+)?$`));
  await expect(page.getByRole('heading', { level: 1, name: 'Record a contact' })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('group', { name: 'Kind of contact' }).getByLabel('Home visit').check();
  await page.getByRole('group', { name: 'Has it happened?' }).getByLabel('It has happened').check();
  await fillDate(page, 'date', utcDate(-1));
  await page.getByLabel('Time (optional)').fill('10:30');
  await page.getByLabel('Duration in minutes (optional)').fill('45');
  await page.getByLabel('Who took part (optional)').fill('Morgan Testwell and Rowan');
  await page.getByLabel('Note (optional)').fill(NOTE);
  await page.getByRole('group', { name: 'Who may read the note?' }).getByLabel('Confidential to the support team').check();
  await page.getByRole('button', { name: 'Save contact' }).click();

  await expect(page).toHaveURL(new RegExp(`${familyUrl}(\\?done=[\\w.-]+)?$`));
  await expect(page.getByText(NOTE)).toBeVisible();
  await expect(page.getByRole('heading', { name: /^Contact: Home visit, 45 minutes, with Morgan Testwell and Rowan$/ })).toBeVisible();
  await expect(summaryValue(page, 'Last contact')).not.toHaveText('None yet');
  await expectAccessible(page);

  // The held visit is the referral's first contact with the parent.
  await page.locator(`main a[href="${referralUrl}"]`).click();
  await expect(page).toHaveURL(new RegExp(`${referralUrl}(\\?done=[\\w.-]+)?$`));
  await expect(summaryValue(page, 'First contact with the parent or carer')).not.toHaveText('Not yet');
  await expectAccessible(page);
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`${familyUrl}(\\?done=[\\w.-]+)?$`));

  await page.getByRole('link', { name: 'Chronology', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`${familyUrl}/chronology(\\?done=[\\w.-]+)?$`));
  await expect(page.getByRole('heading', { level: 1, name: 'Chronology' })).toBeVisible();
  await expect(page.getByText(NOTE)).toBeVisible();
  // The whole story is there: the referral and the triage as well as the contact.
  await expect(page.getByRole('heading', { name: /^Referral:/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: /^Triage:/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: /^Contact: Home visit/ })).toBeVisible();
  // In the service's typeface, not the browser's default serif.
  const face = await page.getByRole('heading', { name: /^Contact: Home visit/ }).evaluate((h) => getComputedStyle(h).fontFamily);
  expect(face.toLowerCase()).toContain('arial');
  await expectAccessible(page);

  // Only contacts.
  await page.getByRole('group', { name: 'Type of event' }).getByLabel('Contact', { exact: true }).check();
  await page.getByRole('button', { name: 'Apply filter' }).click();
  await expect(page).toHaveURL(/[?&]kind=contact(&|$)/);
  await expect(page.getByRole('group', { name: 'Type of event' }).getByLabel('Contact', { exact: true })).toBeChecked();
  await expect(page.getByRole('heading', { name: /^Contact:/ })).toBeVisible();
  await expect(page.getByText(NOTE)).toBeVisible();
  await expect(page.getByRole('heading', { name: /^Referral:/ })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: /^Triage:/ })).toHaveCount(0);
  await expectAccessible(page);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download as CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.csv(\?done=[\w.-]+)?$/);
  const stream = await download.createReadStream();
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  const csv = Buffer.concat(chunks).toString('utf8');
  expect(csv).toContain(NOTE);
  // The export keeps the filter: the referral's reasons are not in it.
  expect(csv).not.toContain(REASONS);

  await signOut(page);
});

test('a user of another hub gets "Page not found" for the family and the referral', async ({ page }) => {
  expect(familyUrl, 'the first step made the family').not.toBe('');
  await signIn(page, 'other.demo.manager');
  await expect(page.getByText('Second hub')).toBeVisible();
  await expectAccessible(page);

  for (const url of [familyUrl, `${familyUrl}/chronology`, `${familyUrl}/contacts/new`, referralUrl, `${referralUrl}/triage`]) {
    const response = await page.goto(url);
    expect(response?.status(), url).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
    await expect(page.getByText(FAMILY)).toHaveCount(0);
    await expect(page.getByText(CHILD.given)).toHaveCount(0);
    await expectAccessible(page);
  }

  // Exactly as a family or referral that does not exist: nothing tells them apart.
  const missing = await page.request.get('/families/99999999');
  const missingReferral = await page.request.get('/referrals/99999999');
  expect(missing.status()).toBe(404);
  expect(await (await page.request.get(familyUrl)).text()).toBe(await missing.text());
  expect(await (await page.request.get(referralUrl)).text()).toBe(await missingReferral.text());

  // The CSV export refuses alike.
  const csv = await page.request.get(`${familyUrl}/chronology.csv`);
  expect(csv.status()).toBe(404);
  expect(await csv.text()).not.toContain(NOTE);

  // And the family is in none of the lists this manager sees.
  await page.goto('/families');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByText(FAMILY)).toHaveCount(0);
  await expectAccessible(page);
  await page.goto('/referrals');
  await expect(page.getByText(FAMILY)).toHaveCount(0);
  await expectAccessible(page);
});
