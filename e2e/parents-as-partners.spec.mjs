// Parents as partners: a PLO invites a parent, who joins on a phone and writes down what
// they noticed; the PLO reviews it and passes it to the police, graded; the police
// acknowledge it and say what became of it; the parent reads the outcome in plain words.
// Also: Exit this page, bad input, and the parent's pages without JavaScript. Every
// person, car and number here is invented; each test makes its own parent account.
import { test, expect } from '@playwright/test';
import { expectAccessible, fillDate, signIn, signOut, summaryValue, utcDate, withoutJavaScript } from './helpers.mjs';

const PHONE = { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const NEUTRAL = 'https://www.bbc.co.uk/weather';
const PARENT_PASSWORD = 'lantern-otter-meadow-42';

/** A username nobody has used yet. */
function newUsername(what) {
  return `parent.${what}.${Date.now()}${Math.floor(Math.random() * 1000)}`;
}

/** Answers for the neutral site that Exit this page goes to, so no test leaves the machine. */
async function fakeNeutralSite(page) {
  await page.route('https://www.bbc.co.uk/**', (route) =>
    route.fulfill({ body: '<html><head><title>Weather</title></head><body>Weather</body></html>', contentType: 'text/html' }),
  );
}

/**
 * The page is no wider than the phone's screen: nothing needs the whole page scrolled
 * sideways. The message names the elements that stick out.
 */
async function expectFitsThePhone(page) {
  const { scrollWidth, wider } = await page.evaluate(() => {
    const root = document.documentElement;
    const wider = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > root.clientWidth)
      .filter((e) => !e.parentElement?.closest('.app-table-scroll'))
      .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}${e.getAttribute('role') ? `[role=${e.getAttribute('role')}]` : ''} in ${e.parentElement?.className || 'body'} (right edge ${Math.round(e.getBoundingClientRect().right)}px)`)
      .slice(0, 10);
    return { scrollWidth: root.scrollWidth, wider };
  });
  // Soft, so one journey reports every page that does not fit.
  expect.soft(scrollWidth, `${new URL(page.url()).pathname} is ${scrollWidth}px wide on a 375px screen; too wide: ${wider.join(', ')}`).toBeLessThanOrEqual(375);
}

/**
 * demo.plo, in a browser of their own, makes an invitation for `name` to the last family
 * of their caseload and returns the code (the journey test makes its own, step by step).
 */
async function makeInvitation(browser, baseURL, name) {
  const context = await browser.newContext({ baseURL });
  try {
    const page = await context.newPage();
    await signIn(page, 'demo.plo', { check: false });
    await page.goto('/caseload');
    const familyUrl = await page.getByRole('table').getByRole('link').last().getAttribute('href');
    expect(familyUrl).toMatch(/^\/families\/\d+(\?done=[\w.-]+)?$/);
    await page.goto(`${familyUrl}/invitations`);
    await page.getByLabel('Or their name, if they are not on the record yet').fill(name);
    await page.getByRole('button', { name: 'Make an invitation code' }).click();
    await expect(page.getByRole('heading', { name: `Invitation for ${name}` })).toBeVisible();
    const code = (await page.locator('strong.app-invitation-code').innerText()).trim();
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}(\?done=[\w.-]+)?$/);
    return code;
  } finally {
    await context.close();
  }
}

/** Fills and sends the join form. */
async function fillJoin(page, code, username, password = PARENT_PASSWORD, confirm = password) {
  await page.getByLabel('Invitation code').fill(code);
  await page.getByLabel('Choose a username').fill(username);
  await page.getByLabel('Choose a password').fill(password);
  await page.getByLabel('Type the password again').fill(confirm);
  await page.getByRole('button', { name: 'Create account' }).click();
}

/** Joins with the code and lands on the parent's home page. */
async function joinAs(page, code, username, name) {
  await page.goto('/join');
  await fillJoin(page, code, username);
  await expect(page).toHaveURL(/\/my(\?done=[\w.-]+)?$/);
  await expect(page.getByRole('heading', { level: 1, name: `Hello, ${name}` })).toBeVisible();
}

test.describe('parents as partners', () => {
  test('the full journey: invitation, a note from a phone, review, submission, police outcome, the parent told', async ({ page, browser, baseURL }) => {
    test.setTimeout(180_000);
    const NOTE = 'A silver car AB12 CDE parked outside school; the driver gave my son the number 07700 900123';
    const APPROX = 'yesterday after school';
    const REASON = 'A car and a phone number given to your son: the police should know about this.';
    const SUMMARY =
      'A parent of a child the hub supports saw a silver car, AB12 CDE, parked outside the school after school; ' +
      'the driver gave the child the phone number 07700 900123.';
    const POLICE_REF = `E2E-CRIMINT-${Date.now()}`;
    const RECEIVED = 'Received. Your Parent Liaison Officer will read it.';
    const PASSED = 'Passed to the police as information. They have not replied yet.';
    const ACKNOWLEDGED = 'Passed to the police, who have confirmed they received it.';
    const ADDED = 'The police have added what you told us to their records.';

    // The parent's phone (below) is one browser context for the whole journey.
    const username = newUsername('journey');
    // Filled in as the journey goes.
    let familyUrl = '';
    let familyName = '';
    let parentName = '';
    let code = '';
    let noteId = '';
    let submissionUrl = '';
    let reference = '';

    const phone = await browser.newContext({ ...PHONE, baseURL, locale: 'en-GB', timezoneId: 'Europe/London' });
    const parentPage = await phone.newPage();

    try {
      /** The parent's note on their home page, after a reload. */
      async function parentSees(progress) {
        await parentPage.goto('/my');
        const item = parentPage.locator('li.app-note').filter({ has: parentPage.getByRole('link', { name: NOTE }) });
        await expect(item).toHaveCount(1);
        await expect(item).toContainText(progress);
        return item;
      }

      await test.step('a PLO opens a family from the caseload and makes an invitation code', async () => {
        await signIn(page, 'demo.plo');
        await expect(page).toHaveURL(/\/caseload(\?done=[\w.-]+)?$/);
        const familyLink = page.getByRole('table').getByRole('link').first();
        familyName = (await familyLink.innerText()).trim();
        await familyLink.click();
        await expect(page).toHaveURL(/\/families\/\d+(\?done=[\w.-]+)?$/);
        familyUrl = new URL(page.url()).pathname;
        await expect(page.getByRole('heading', { level: 1, name: familyName })).toBeVisible();
        for (const [name, href] of [
          ['Information log', `${familyUrl}/information`],
          ['Passed to police', `${familyUrl}/intelligence`],
          ['Parent portal invitations', `${familyUrl}/invitations`],
        ]) {
          await expect(page.getByRole('link', { name, exact: true })).toHaveAttribute('href', href);
        }
        await expect(page.getByRole('link', { name: 'Threats and harassment' })).toBeVisible();
        await expect(page.getByRole('link', { name: 'Evidence', exact: true })).toBeVisible();
        await expectAccessible(page);

        await page.getByRole('link', { name: 'Parent portal invitations' }).click();
        await expect(page).toHaveURL(new RegExp(`${familyUrl}/invitations(\\?done=[\\w.-]+)?$`));
        await expect(page.getByRole('heading', { level: 1, name: 'Parent portal invitations' })).toBeVisible();
        await expectAccessible(page);

        const who = page.getByRole('group', { name: 'Who are you inviting?' });
        if (await who.count()) {
          const first = who.getByRole('radio').first();
          parentName = (await who.locator('label').first().innerText()).trim();
          await first.check();
        } else {
          parentName = 'Sam Tester';
          await page.getByLabel('Or their name, if they are not on the record yet').fill(parentName);
        }
        await page.getByRole('button', { name: 'Make an invitation code' }).click();
        await expect(page.getByRole('heading', { name: `Invitation for ${parentName}` })).toBeVisible();
        code = (await page.locator('strong.app-invitation-code').innerText()).trim();
        expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}(\?done=[\w.-]+)?$/);
        const row = page.getByRole('row').filter({ hasText: parentName });
        await expect(row.first()).toContainText('Waiting');
        await expectAccessible(page);

        // Shown once: the list of invitations does not show the code again.
        await page.goto(`${familyUrl}/invitations`);
        await expect(page.getByText(code)).toHaveCount(0);
        await signOut(page);
      });

      await test.step('the parent joins on a phone, writes a note, checks the details found, and sees it received', async () => {
        const page = parentPage;
        await page.goto('/join');
        await expect(page.getByRole('heading', { level: 1, name: 'Create your account' })).toBeVisible();
        await expectFitsThePhone(page);
        await expectAccessible(page);
        await fillJoin(page, code, username);

        await expect(page).toHaveURL(/\/my(\?done=[\w.-]+)?$/);
        await expect(page).toHaveTitle('Home – Notes');
        await expect(page.getByRole('heading', { level: 1, name: `Hello, ${parentName}` })).toBeVisible();
        await expect(page.getByText('You have not written anything yet.')).toBeVisible();
        await expect(page.getByRole('heading', { name: 'Support' })).toBeVisible();
        await expect(page.locator('.govuk-exit-this-page__button')).toHaveAttribute('href', '/exit');
        // The parent sees only their own pages: nothing of the family record or the police.
        await expect(page.getByText(familyName)).toHaveCount(0);
        await expectFitsThePhone(page);
        await expectAccessible(page);

        await page.getByRole('link', { name: 'Write down something you noticed' }).click();
        await expect(page).toHaveURL(/\/my\/notes\/new(\?done=[\w.-]+)?$/);
        await expect(page).toHaveTitle('New note – Notes');
        await expectFitsThePhone(page);
        await expectAccessible(page);

        await page.getByLabel('What did you see or hear?').fill(NOTE);
        await page.getByLabel('If you are not sure of the date, roughly when?').fill(APPROX);
        await page.getByRole('group', { name: 'How do you know it is true?' }).getByLabel('I saw it myself').check();
        await page.getByRole('button', { name: 'Save', exact: true }).click();

        await expect(page).toHaveURL(/\/my\/notes\/\d+\/check(\?done=[\w.-]+)?$/);
        noteId = page.url().match(/\/my\/notes\/(\d+)\/check$/)[1];
        await expect(page.getByRole('heading', { name: 'Check the details we found' })).toBeVisible();
        const legends = (await page.locator('form legend').allInnerTexts()).map((t) => t.trim());
        expect(legends).toEqual(['Vehicle registration: AB12 CDE', 'Phone number: +447700900123']);
        await expectFitsThePhone(page);
        await expectAccessible(page);

        for (const group of [
          page.getByRole('group', { name: 'Vehicle registration: AB12 CDE' }),
          page.getByRole('group', { name: 'Phone number: +447700900123' }),
        ]) {
          await group.getByLabel('Yes, this is right').check();
        }
        await page.getByRole('button', { name: 'Save these details' }).click();

        await expect(page).toHaveURL(new RegExp(`/my/notes/${noteId}\\?saved=1(\\?done=[\\w.-]+)?$`));
        await expect(page.getByText('Saved. Your Parent Liaison Officer will see it.')).toBeVisible();
        await expect(summaryValue(page, 'What you wrote')).toHaveText(NOTE);
        await expect(summaryValue(page, 'When')).toHaveText(APPROX);
        await expect(summaryValue(page, 'How you know')).toHaveText('I saw it myself');
        await expect(page.getByRole('listitem').filter({ hasText: /^Vehicle registration: AB12 CDE$/ })).toBeVisible();
        await expect(page.getByRole('listitem').filter({ hasText: /^Phone number: \+447700900123$/ })).toBeVisible();
        await expect(page.locator('.govuk-inset-text')).toContainText(RECEIVED);
        await expectFitsThePhone(page);
        await expectAccessible(page);

        await page.getByRole('link', { name: 'Back to home' }).click();
        await expect(page).toHaveURL(/\/my(\?done=[\w.-]+)?$/);
        const item = await parentSees(RECEIVED);
        await expect(item.getByRole('link', { name: NOTE })).toHaveAttribute('href', `/my/notes/${noteId}`);
        await expectFitsThePhone(page);
        await expectAccessible(page);
      });

      await test.step('the PLO reviews the note as relevant and submits it to the police graded B2P', async () => {
        await signIn(page, 'demo.plo');
        await page.getByRole('link', { name: 'Information to review' }).click();
        await expect(page).toHaveURL(/\/review(\?done=[\w.-]+)?$/);
        await expect(page.getByRole('heading', { level: 1, name: 'Information to review' })).toBeVisible();
        const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: NOTE }) });
        await expect(row).toHaveCount(1);
        await expect(row).toContainText(familyName);
        await expect(row).toContainText('Waiting to be read');
        await expectAccessible(page);

        await row.getByRole('link', { name: NOTE }).click();
        await expect(page).toHaveURL(new RegExp(`/information/${noteId}(\\?done=[\\w.-]+)?$`));
        await expect(summaryValue(page, 'What was seen or heard')).toHaveText(NOTE);
        await expect(summaryValue(page, 'When')).toHaveText(APPROX);
        await expect(summaryValue(page, 'How it is known')).toHaveText('I saw it myself');
        await expect(summaryValue(page, 'Recorded by')).toContainText(parentName);
        const identifiers = page.getByRole('table', { name: 'Identifiers' });
        await expect(identifiers.getByRole('row').filter({ hasText: 'Vehicle registration' })).toContainText('AB12 CDE');
        await expect(identifiers.getByRole('row').filter({ hasText: 'Vehicle registration' })).toContainText('Confirmed');
        await expect(identifiers.getByRole('row').filter({ hasText: 'Phone number' })).toContainText('+447700900123');
        await expect(identifiers.getByRole('row').filter({ hasText: 'Phone number' })).toContainText('Confirmed');
        await expectAccessible(page);

        // Without a reason, the review is refused.
        await page.getByRole('group', { name: 'Is this information relevant to pass to the police?' })
          .getByLabel('Relevant: prepare it for the police')
          .check();
        await page.getByRole('button', { name: 'Save review' }).click();
        await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
        await expect(page.getByRole('group', { name: 'Is this information relevant to pass to the police?' })
          .getByLabel('Relevant: prepare it for the police')).toBeChecked();
        await expectAccessible(page);

        await page.getByLabel('Reason').fill(REASON);
        // The PLO's own word on each identifier: only what they confirm reaches the police.
        await page.getByRole('group', { name: 'Vehicle registration: AB12 CDE' }).getByLabel('Yes, this is right').check();
        await page.getByRole('group', { name: 'Phone number: +447700900123' }).getByLabel('Yes, this is right').check();
        await page.getByRole('button', { name: 'Save review' }).click();
        await expect(page).toHaveURL(/\/review\?done=reviewed\.[0-9a-f]+$/);
        await expect(page.getByRole('alert').filter({ hasText: 'Review saved' })).toBeVisible();
        await expect(page.getByRole('row').filter({ has: page.getByRole('link', { name: NOTE }) })).toContainText('Relevant');
        await page.getByRole('link', { name: NOTE }).click();
        await expect(page).toHaveURL(new RegExp(`/information/${noteId}(\\?done=[\\w.-]+)?$`));
        await expect(summaryValue(page, 'Review')).toContainText(REASON);

        await page.getByRole('link', { name: 'Prepare a submission to the police' }).click();
        await expect(page).toHaveURL(new RegExp(`${familyUrl}/intelligence/new(\\?done=[\\w.-]+)?$`));
        await expect(page.getByRole('heading', { level: 1, name: 'Prepare a submission to the police' })).toBeVisible();
        const ours = page.locator('.govuk-checkboxes__item').filter({ hasText: NOTE });
        await expect(ours).toHaveCount(1);
        await expect(ours.getByRole('checkbox')).toBeChecked();
        await expectAccessible(page);

        await page.getByLabel('Summary for the police').fill(SUMMARY);
        await page.getByRole('group', { name: 'Source evaluation' }).getByLabel('B – Untested').check();
        await page.getByRole('group', { name: 'Intelligence assessment' })
          .getByLabel('2 – Known indirectly to the source but corroborated')
          .check();
        await page.getByRole('group', { name: 'Handling code' }).getByLabel('P – Lawful sharing permitted', { exact: true }).check();
        await page.getByRole('button', { name: 'Submit to the police' }).click();

        // The check before sending: what the police will read, and what goes with it.
        await expect(page.getByRole('heading', { level: 1, name: 'Check before sending to the police' })).toBeVisible();
        await expect(page.getByText('Once sent, a submission cannot be taken back or changed.')).toBeVisible();
        await expect(page.getByRole('listitem').filter({ hasText: 'Vehicle registration: AB12 CDE' })).toBeVisible();
        await expectAccessible(page);
        await page.getByRole('button', { name: 'Send to the police' }).click();

        await expect(page).toHaveURL(/\/intelligence\/\d+\?done=submission-sent\.[0-9a-f]+$/);
        await expect(page.getByRole('alert').filter({ hasText: 'Sent to the police' })).toBeVisible();
        submissionUrl = new URL(page.url()).pathname;
        reference = (await page.getByRole('heading', { level: 1 }).innerText()).trim();
        expect(reference).not.toBe('');
        await expect(page.getByText('Graded B2P')).toBeVisible();
        await expect(summaryValue(page, 'Status')).toHaveText('Submitted');
        await expect(summaryValue(page, 'Family')).toContainText(familyName);
        await expect(page.getByText(SUMMARY)).toBeVisible();
        await expectAccessible(page);

        // The family's page of what was passed to the police lists it.
        await page.goto(familyUrl);
        await page.getByRole('link', { name: 'Passed to police' }).click();
        await expect(page).toHaveURL(new RegExp(`${familyUrl}/intelligence(\\?done=[\\w.-]+)?$`));
        await expect(page.getByRole('row').filter({ has: page.getByRole('link', { name: reference }) })).toContainText('B2P');
        await expectAccessible(page);

        await signOut(page);

        // The parent reads, in plain words, that it went to the police.
        await parentSees(PASSED);
        await expectAccessible(parentPage);
      });

      await test.step('the police partner sees the submission without the family, acknowledges it and records the outcome', async () => {
        await signIn(page, 'demo.police');
        await expect(page).toHaveURL(/\/intelligence(\?done=[\w.-]+)?$/);
        await expect(page.getByRole('heading', { level: 1, name: 'Intelligence submissions' })).toBeVisible();
        const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: reference }) });
        await expect(row).toHaveCount(1);
        await expect(row).toContainText('B2P');
        await expect(page.getByRole('columnheader', { name: 'Family' })).toHaveCount(0);
        await expect(page.locator('main')).not.toContainText(familyName);
        await expect(page.locator('main')).not.toContainText(parentName);
        await expectAccessible(page);

        await row.getByRole('link', { name: reference }).click();
        await expect(page).toHaveURL(new RegExp(`${submissionUrl}(\\?done=[\\w.-]+)?$`));
        await expect(page.getByRole('heading', { level: 1, name: reference })).toBeVisible();
        await expect(page.getByText(SUMMARY)).toBeVisible();
        await expect(page.getByText(NOTE)).toBeVisible();
        await expect(summaryValue(page, 'Family')).toHaveCount(0);
        await expect(page.locator('main')).not.toContainText(familyName);
        await expect(page.locator('main')).not.toContainText(parentName);
        await expect(summaryValue(page, 'Received by police')).toHaveText('Not yet');
        await expectAccessible(page);

        await page.getByRole('button', { name: 'Acknowledge receipt' }).click();
        await expect(page).toHaveURL(new RegExp(`${submissionUrl}(\\?done=[\\w.-]+)?$`));
        await expect(summaryValue(page, 'Status')).toHaveText('Received by police');
        await expect(summaryValue(page, 'Received by police')).toContainText('Demo Police Partner');
        await expect(page.getByRole('button', { name: 'Acknowledge receipt' })).toHaveCount(0);
        await expectAccessible(page);

        await parentSees(ACKNOWLEDGED);

        await page.getByRole('group', { name: 'What became of the information?' }).getByLabel('Added to police systems').check();
        await page.getByLabel('Police reference (optional)').fill(POLICE_REF);
        await page.getByLabel('Note for the hub (optional)').fill('Recorded against the vehicle and the number.');
        await page.getByRole('button', { name: 'Save outcome' }).click();
        await expect(page).toHaveURL(new RegExp(`${submissionUrl}(\\?done=[\\w.-]+)?$`));
        await expect(summaryValue(page, 'Status')).toHaveText('Outcome recorded');
        await expect(summaryValue(page, 'Outcome')).toHaveText('Added to police systems');
        await expect(summaryValue(page, 'Police reference')).toHaveText(POLICE_REF);
        await expect(summaryValue(page, 'What the parent or carer is told')).toContainText(ADDED);
        await expectAccessible(page);

        await page.getByRole('link', { name: `Print view of ${reference}` }).click();
        await expect(page).toHaveURL(new RegExp(`${submissionUrl}/print(\\?done=[\\w.-]+)?$`));
        await expect(page.getByRole('heading', { level: 1, name: reference })).toBeVisible();
        await expect(summaryValue(page, 'Grade')).toContainText('B2P');
        await expect(summaryValue(page, 'Outcome')).toContainText(POLICE_REF);
        await expect(page.locator('body')).not.toContainText(familyName);
        await expect(page.locator('body')).not.toContainText(parentName);
        await expectAccessible(page);

        const json = await page.request.get(`${submissionUrl}/export.json`);
        expect(json.status()).toBe(200);
        expect(json.headers()['content-disposition']).toContain('.json');
        const text = await json.text();
        expect(JSON.parse(text).grade).toBe('B2P');
        expect(text).toContain(reference);
        expect(text).not.toContain(familyName);
        expect(text).not.toContain(parentName);
      });

      await test.step('the parent reloads their home page on the phone and reads the outcome in plain words', async () => {
        const item = await parentSees(ADDED);
        await expect(item).not.toContainText(POLICE_REF);
        await expectFitsThePhone(parentPage);
        await expectAccessible(parentPage);
        await item.getByRole('link', { name: NOTE }).click();
        await expect(parentPage).toHaveURL(new RegExp(`/my/notes/${noteId}(\\?done=[\\w.-]+)?$`));
        await expect(parentPage.locator('.govuk-inset-text')).toContainText(ADDED);
        await expect(parentPage.locator('.govuk-inset-text')).toContainText(REASON);
        const stages = parentPage.locator('ol.app-stages > li strong');
        await expect(stages).toHaveText(['Received', 'Read by your Parent Liaison Officer', 'Passed to the police',
          'The police confirmed they received it', 'The police answered']);
        // The police's note for the hub is not for the parent.
        await expect(parentPage.getByText('Recorded against the vehicle and the number.')).toHaveCount(0);
        await expectFitsThePhone(parentPage);
        await expectAccessible(parentPage);
      });
    } finally {
      await phone.close();
    }
  });

  test('a threat told to the police with no reference yet reaches the PLO, who writes back', async ({ page, browser, baseURL }) => {
    const name = 'Rowan Threatley';
    const WHAT = `A man at the door told us to stop talking to the police (${Date.now()})`;
    const ANSWER = 'I have told the officer in the case and will phone you this afternoon.';
    const code = await makeInvitation(browser, baseURL, name);
    await joinAs(page, code, newUsername('threat'), name);
    await page.getByRole('link', { name: 'Something happened' }).click();
    await fillDate(page, 'date', utcDate(-1));
    await page.getByRole('group', { name: 'What happened?' }).getByRole('radio').first().check();
    await page.getByLabel('Tell us what happened').fill(WHAT);
    await page.getByRole('group', { name: 'Have you told the police?' })
      .getByLabel('Yes, but I do not have a reference yet').check();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page).toHaveURL(/\/my(\?.*)?(\?done=[\w.-]+)?$/);
    await expect(page.getByRole('listitem').filter({ hasText: 'reported to police' }).first()).toBeVisible();
    await expect(page.getByText('Your Parent Liaison Officer will read this.').first()).toBeVisible();

    const context = await browser.newContext({ baseURL });
    try {
      const plo = await context.newPage();
      await signIn(plo, 'demo.plo', { check: false });
      await plo.getByRole('link', { name: 'Information to review' }).click();
      const table = plo.getByRole('table', { name: 'Threats and incidents to read' });
      const row = table.getByRole('row').filter({ hasText: WHAT.slice(0, 40) });
      await expect(row).toContainText('Yes, no reference yet');
      await expectAccessible(plo);
      await row.getByRole('link').last().click();
      await expect(plo).toHaveURL(/\/incidents\/\d+(\?done=[\w.-]+)?$/);
      await expect(plo.getByRole('heading', { name: 'Read and answer' })).toBeVisible();
      await expectAccessible(plo);
      await plo.getByRole('button', { name: 'Save' }).click();
      await expect(plo.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
      await plo.getByLabel('What followed').fill(ANSWER);
      await plo.getByRole('button', { name: 'Save' }).click();
      await expect(plo).toHaveURL(/\/review\?done=incident-reviewed\.[0-9a-f]+$/);
      await expect(plo.getByRole('alert').filter({ hasText: 'The parent or carer can see what you wrote' })).toBeVisible();
      await expect(plo.getByText(WHAT.slice(0, 40))).toHaveCount(0);
      await expectAccessible(plo);
    } finally {
      await context.close();
    }
    await page.reload();
    await expect(page.getByText(ANSWER)).toBeVisible();
    await expectAccessible(page);
  });

  test('Exit this page ends the session: Back and /my show the sign-in page', async ({ page, browser, baseURL }) => {
    const name = 'Quinn Exiter';
    const code = await makeInvitation(browser, baseURL, name);
    await fakeNeutralSite(page);
    await joinAs(page, code, newUsername('exit'), name);
    const response = await page.goto('/my/notes/new');
    expect(response.headers()['cache-control']).toContain('no-store');
    await page.getByRole('link', { name: 'Home', exact: true }).click();
    await expect(page).toHaveURL(/\/my(\?done=[\w.-]+)?$/);
    await expect(page.locator('body')).toHaveClass(/govuk-frontend-supported/);

    await page.getByRole('button', { name: 'Emergency Exit this page' }).click();
    await expect(page).toHaveURL(NEUTRAL);
    await expect(page).toHaveTitle('Weather');

    await page.goBack();
    await expect(page).toHaveURL(/\/login\?next=%2Fmy(\?done=[\w.-]+)?$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Alongside' })).toBeVisible();
    await expect(page.getByText(`Hello, ${name}`)).toHaveCount(0);

    await page.goto('/my');
    await expect(page).toHaveURL(/\/login\?next=%2Fmy(\?done=[\w.-]+)?$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Alongside' })).toBeVisible();
    await expect(page.getByText(/^Signed in as /)).toHaveCount(0);
    await expectAccessible(page);
  });

  test('pressing Shift three times leaves the page and ends the session', async ({ page, browser, baseURL }) => {
    const name = 'Robin Shifter';
    const code = await makeInvitation(browser, baseURL, name);
    await fakeNeutralSite(page);
    await joinAs(page, code, newUsername('shift'), name);
    await expect(page.locator('body')).toHaveClass(/govuk-frontend-supported/);
    await expect(page.locator('.govuk-exit-this-page__indicator')).toHaveCount(1);

    await page.keyboard.press('Shift');
    await page.keyboard.press('Shift');
    await expect(page).toHaveURL(/\/my(\?done=[\w.-]+)?$/);
    await page.keyboard.press('Shift');
    await expect(page).toHaveURL(NEUTRAL);

    await page.goto('/my');
    await expect(page).toHaveURL(/\/login\?next=%2Fmy(\?done=[\w.-]+)?$/);
    await expect(page.getByText(`Hello, ${name}`)).toHaveCount(0);
  });

  test('bad input: a used invitation code, a file that is not an image, pages not theirs', async ({ page, browser, baseURL }) => {
    const name = 'Alex Wrongfile';
    const username = newUsername('bad');
    const code = await makeInvitation(browser, baseURL, name);
    await joinAs(page, code, username, name);

    // A file that is not an image, sent as if it were a PNG: refused, naming it; the words kept.
    await page.goto('/my/notes/new');
    const what = 'Two older boys waited by the park gate and called my daughter over to them';
    await page.getByLabel('What did you see or hear?').fill(what);
    await page.getByLabel('If you are not sure of the date, roughly when?').fill('last Friday evening');
    await page.getByRole('group', { name: 'How do you know it is true?' }).getByLabel('My child told me').check();
    await page.locator('#photos').setInputFiles({ name: 'notes.txt', mimeType: 'image/png', buffer: Buffer.from('not an image') });
    const [posted] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/my/notes/new') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Save', exact: true }).click(),
    ]);
    expect(posted.status()).toBe(422);
    await expect(page).toHaveTitle(/^Error: New note – Notes$/);
    const message = 'notes.txt is not a photo or screenshot: choose a JPEG, PNG, GIF or WebP image';
    await expect(page.locator('.govuk-error-summary')).toContainText(message);
    await expect(page.locator('#photos-error')).toContainText(message);
    await expect(page.getByLabel('What did you see or hear?')).toHaveValue(what);
    await expect(page.getByLabel('If you are not sure of the date, roughly when?')).toHaveValue('last Friday evening');
    await expect(page.getByRole('group', { name: 'How do you know it is true?' }).getByLabel('My child told me')).toBeChecked();
    await expectAccessible(page);
    // Nothing was saved.
    await page.goto('/my');
    await expect(page.getByText('You have not written anything yet.')).toBeVisible();

    // A worker's page: refused for the role. Someone else's note, or none: not found.
    let response = await page.goto('/families/1');
    expect(response.status()).toBe(403);
    await expect(page.getByRole('heading', { level: 1, name: 'You cannot see this page' })).toBeVisible();
    await expectAccessible(page);
    response = await page.goto('/my/notes/999999');
    expect(response.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
    await expectAccessible(page);

    await page.goto('/my');
    await signOut(page);

    // The code again, by someone else: refused on the code, the username kept.
    const second = newUsername('again');
    await page.goto('/join');
    await fillJoin(page, code, second);
    await expect(page).toHaveURL(/\/join(\?done=[\w.-]+)?$/);
    await expect(page).toHaveTitle(/^Error: Create your account/);
    await expect(page.locator('#code-error')).toContainText('This invitation has already been used.');
    await expect(page.locator('.govuk-error-summary')).toContainText('This invitation has already been used.');
    await expect(page.getByLabel('Choose a username')).toHaveValue(second);
    await expect(page.getByLabel('Choose a password')).toHaveValue('');
    await expectAccessible(page);

    // A code that was never made.
    const [unknown] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/join') && r.request().method() === 'POST'),
      fillJoin(page, 'ZZZZ-ZZZZ-ZZZZ', second),
    ]);
    expect(unknown.status()).toBe(422);
    await expect(page.locator('#code-error')).toContainText('We could not find an invitation with that code');
    await expect(page.getByLabel('Choose a username')).toHaveValue(second);
    await expectAccessible(page);

    // The reused code's status too.
    const [reused] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/join') && r.request().method() === 'POST'),
      fillJoin(page, code, second),
    ]);
    expect(reused.status()).toBe(422);

    // The first account still works with its own password.
    await signIn(page, username, { password: PARENT_PASSWORD, check: false });
    await expect(page).toHaveURL(/\/my(\?done=[\w.-]+)?$/);
  });

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });

    test('a parent writes and saves a note, and Exit this page still leaves', async ({ page, browser, baseURL }) => {
      withoutJavaScript(page);
      const name = 'Jesse Nojs';
      const code = await makeInvitation(browser, baseURL, name);
      await fakeNeutralSite(page);
      await joinAs(page, code, newUsername('nojs'), name);
      await expect(page.locator('body')).not.toHaveClass(/govuk-frontend-supported/);
      await expectAccessible(page);

      await page.getByRole('link', { name: 'Write down something you noticed' }).click();
      await expect(page).toHaveURL(/\/my\/notes\/new(\?done=[\w.-]+)?$/);
      await expectAccessible(page);
      const what = 'A man in a grey hoodie waited at the bus stop and asked my son to carry a bag for him';
      await page.getByLabel('What did you see or hear?').fill(what);
      const date = utcDate(-2);
      await fillDate(page, 'date', date);
      await page.getByLabel('Time (optional)').fill('16:30');
      await page.getByLabel('Where? (optional)').fill('The bus stop on the high street');
      await page.getByRole('group', { name: 'How do you know it is true?' }).getByLabel('I saw it myself').check();
      await page.getByRole('button', { name: 'Save', exact: true }).click();

      await expect(page).toHaveURL(/\/my\/notes\/\d+\?saved=1(\?done=[\w.-]+)?$/);
      await expect(page.getByText('Saved. Your Parent Liaison Officer will see it.')).toBeVisible();
      await expect(summaryValue(page, 'What you wrote')).toHaveText(what);
      const month = new Date(Date.UTC(2000, Number(date.month) - 1, 1)).toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' });
      await expect(summaryValue(page, 'When')).toHaveText(`${date.day} ${month} ${date.year} at 4:30pm`);
      await expect(summaryValue(page, 'Where')).toHaveText('The bus stop on the high street');
      await expectAccessible(page);

      await page.getByRole('link', { name: 'Back to home' }).click();
      await expect(page.locator('li.app-note').filter({ hasText: what })).toContainText('Received. Your Parent Liaison Officer will read it.');

      // A plain link: it goes to /exit, which ends the session and leaves.
      const exit = page.getByRole('button', { name: 'Emergency Exit this page' });
      await expect(exit).toHaveAttribute('href', '/exit');
      await exit.click();
      await expect(page).toHaveURL(NEUTRAL);
      await page.goto('/my');
      await expect(page).toHaveURL(/\/login\?next=%2Fmy(\?done=[\w.-]+)?$/);
      await expect(page.getByText(`Hello, ${name}`)).toHaveCount(0);
    });
  });
});
