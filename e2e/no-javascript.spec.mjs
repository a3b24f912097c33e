// Every page works without JavaScript: the referral journey again, in a browser with
// JavaScript turned off, from signing in to the saved referral and its triage.
import { test, expect } from '@playwright/test';
import { expectAccessible, fillDate, fillReferral, signIn, signOut, summaryValue, utcDate, withoutJavaScript, chooseWorker } from './helpers.mjs';

test.use({ javaScriptEnabled: false });
test.describe.configure({ mode: 'serial' });

let familyUrl = '';

test('without JavaScript, a manager records a referral (after an error) and triages it', async ({ page }) => {
  withoutJavaScript(page);
  await signIn(page, 'demo.manager');
  await expect(page).toHaveURL(/\/referrals(\?done=[\w.-]+)?$/);
  // govuk-frontend marks the body when its scripts run; here they must not have.
  await expect(page.locator('body')).not.toHaveClass(/govuk-frontend-supported/);
  await expectAccessible(page);

  await page.getByRole('link', { name: 'New referral' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Record a referral' })).toBeVisible();
  await expectAccessible(page);

  // First without consent: the server's error summary, with every answer kept.
  const reasons = 'Sorrel has stopped going to school and is seen with older people nobody knows.';
  await fillReferral(page, {
    sourceLabel: 'Self-referral by a parent or carer',
    referrerName: 'Harper Nojsley',
    referrerContact: '07700 900808',
    childGiven: 'Sorrel',
    childFamily: 'Nojsley',
    carerGiven: 'Harper',
    carerKindLabel: 'Step-parent',
    reasons,
    indicatorLabels: ['School absence or exclusion', 'Unknown older associates'],
    consent: null,
  });
  await page.getByRole('button', { name: 'Save referral' }).click();
  await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await expect(page.locator('.govuk-error-summary')).toContainText('Select whether the family consents to information being shared');
  await expect(page.getByRole('group', { name: 'Child', exact: true }).getByLabel('First name')).toHaveValue('Sorrel');
  await expect(page.getByLabel('Reasons for the referral')).toHaveValue(reasons);
  await expectAccessible(page);

  await page.getByRole('group', { name: 'Has the family consented to information being shared with partner agencies?' })
    .getByLabel('Yes', { exact: true })
    .check();
  await page.getByRole('button', { name: 'Save referral' }).click();
  await expect(page).toHaveURL(/\/referrals\/\d+(\?done=[\w.-]+)?$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Nojsley family' })).toBeVisible();
  await expect(summaryValue(page, 'Reasons')).toHaveText(reasons);
  await expect(summaryValue(page, 'Source')).toHaveText('Self-referral by a parent or carer');
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Triage this referral' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Triage the referral' })).toBeVisible();
  await page.getByRole('group', { name: 'Threshold' }).getByLabel('Medium').check();
  await page.getByLabel('Reasoning').fill('School absence with new older associates: medium.');
  await page.getByRole('group', { name: 'Decision' }).getByLabel('Accept for support').check();
  await chooseWorker(page, 'Parent Liaison Officer', 'Demo Parent Liaison Officer');
  await page.getByRole('button', { name: 'Save triage decision' }).click();
  await expect(summaryValue(page, 'Decision')).toHaveText('Accept for support');
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Open the family record' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Nojsley family' })).toBeVisible();
  familyUrl = new URL(page.url()).pathname;
  await expectAccessible(page);

  // Signing out is a form too.
  await signOut(page);
});

test('without JavaScript, the PLO plans a contact and filters the chronology', async ({ page }) => {
  expect(familyUrl, 'the first test made the family').not.toBe('');
  withoutJavaScript(page);
  await signIn(page, 'demo.plo');
  await expect(page).toHaveURL(/\/caseload(\?done=[\w.-]+)?$/);
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Nojsley family' }).click();
  await expect(page).toHaveURL(new RegExp(`${familyUrl}(\\?done=[\\w.-]+)?$`));
  await page.getByRole('link', { name: 'Record a contact' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Record a contact' })).toBeVisible();
  await expectAccessible(page);

  // A planned contact dated in the future; a time in the wrong form is refused first.
  await page.getByRole('group', { name: 'Kind of contact' }).getByLabel('Phone call').check();
  await page.getByRole('group', { name: 'Has it happened?' }).getByLabel('It is planned').check();
  await fillDate(page, 'date', utcDate(7));
  await page.getByLabel('Time (optional)').fill('half past two');
  await page.getByLabel('Who took part (optional)').fill('Harper Nojsley');
  await page.getByRole('button', { name: 'Save contact' }).click();
  await expect(page.locator('.govuk-error-summary')).toContainText('Time of the contact must be a time, like 21:30 or 9.30pm');
  await expect(page.getByLabel('Who took part (optional)')).toHaveValue('Harper Nojsley');
  await expectAccessible(page);
  // Written as people write times: 2.30pm is 14:30.
  await page.getByLabel('Time (optional)').fill('2.30pm');
  await page.getByRole('button', { name: 'Save contact' }).click();

  await expect(page).toHaveURL(new RegExp(`${familyUrl}(\\?done=[\\w.-]+)?$`));
  const planned = page.getByRole('heading', { name: 'Planned contacts' }).locator('xpath=following-sibling::ul[1]');
  await expect(planned).toContainText('Phone call with Harper Nojsley');
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Chronology', exact: true }).click();
  const kinds = page.getByRole('group', { name: 'Type of event' });
  await kinds.getByLabel('Planned contact', { exact: true }).check();
  await page.getByRole('button', { name: 'Apply filter' }).click();
  await expect(page).toHaveURL(/[?&]kind=planned_contact(&|$)/);
  await expect(page.getByRole('heading', { name: /^Planned contact:/ })).toHaveCount(1);
  await expect(page.getByRole('heading', { name: /^(Referral|Triage|Contact):/ })).toHaveCount(0);
  await expectAccessible(page);

  // A "to" date before the "from" date is refused, with the filter kept.
  await fillDate(page, 'from', utcDate(0));
  await fillDate(page, 'to', utcDate(-30));
  await page.getByRole('button', { name: 'Apply filter' }).click();
  await expect(page.locator('.govuk-error-summary')).toContainText('To date must be the same as or after the from date');
  await expect(kinds.getByLabel('Planned contact', { exact: true })).toBeChecked();
  await expectAccessible(page);
});
