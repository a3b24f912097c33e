// Shared steps for the browser tests: signing in, accessibility checks, dates.
import { expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** The demo accounts' password (the config sets it for the server it starts). */
export const PASSWORD = process.env.ALONGSIDE_DEMO_PASSWORD || 'e2e-demo-password-2026';

/** The WCAG levels every page must meet. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Runs axe-core on the page as it is now and fails, listing every violation (rule id,
 * help, and the elements at fault), unless there are none.
 *
 * `exclude` takes selectors of single elements whose markup is govuk-frontend's own and
 * whose finding the GOV.UK Design System team documents as a false positive; each use
 * must say why next to it. (None is needed at present.)
 */
export async function expectAccessible(page, { exclude = [] } = {}) {
  const configure = (builder) => {
    builder.withTags(WCAG_TAGS);
    for (const selector of exclude) builder.exclude(selector);
    return builder;
  };
  const results = scriptless.has(page)
    ? await analyzeScriptless(page, configure)
    : await configure(new AxeBuilder({ page })).analyze();
  const report = results.violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `      ${n.target.join(' ')}\n        ${n.failureSummary?.replace(/\n/g, '\n        ') ?? ''}`)
        .join('\n');
      return `  ${v.id} (${v.impact}): ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
  expect(
    results.violations.map((v) => v.id),
    `accessibility violations on ${page.url()}:\n${report}`,
  ).toEqual([]);
}

/** Pages whose context has JavaScript turned off (see `withoutJavaScript`). */
const scriptless = new WeakSet();

/**
 * Marks a page of a `javaScriptEnabled: false` context. axe is itself a script, so it
 * cannot run there; `expectAccessible` then checks a copy instead: the page's HTML as the
 * browser holds it, served at the same address in a separate context where the page's own
 * scripts are blocked (so the copy stays as a browser without JavaScript shows it) while
 * its stylesheet loads from the server as usual.
 */
export function withoutJavaScript(page) {
  scriptless.add(page);
  return page;
}

async function analyzeScriptless(page, configure) {
  const url = page.url();
  const html = await page.content();
  const browser = page.context().browser();
  const context = await browser.newContext({ viewport: page.viewportSize(), javaScriptEnabled: true });
  try {
    const copy = await context.newPage();
    await copy.route('**/*', async (route) => {
      const request = route.request();
      if (request.url() === url && request.resourceType() === 'document') {
        await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
      } else if (request.resourceType() === 'script') {
        await route.abort();
      } else {
        await route.continue();
      }
    });
    await copy.goto(url);
    return await configure(new AxeBuilder({ page: copy })).analyze();
  } finally {
    await context.close();
  }
}

/** Goes to the sign-in page, checks it, and signs in; waits to leave the sign-in page. */
export async function signIn(page, username, { password = PASSWORD, check = true } = {}) {
  await page.goto('/login');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Alongside' })).toBeVisible();
  if (check) await expectAccessible(page);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/login/);
  await expect(page.getByText(/^Signed in as /)).toBeVisible();
}

/** Signs out with the button in the top bar. */
export async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
}

/**
 * A calendar date `days` from today, as the server (which works in UTC) counts days.
 * Returns the GOV.UK date-input parts as strings.
 */
export function utcDate(days = 0) {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return {
    day: String(d.getUTCDate()),
    month: String(d.getUTCMonth() + 1),
    year: String(d.getUTCFullYear()),
  };
}

/** Fills a GOV.UK date input whose fields are `${name}-day`, `-month` and `-year`. */
export async function fillDate(page, name, { day, month, year }) {
  await page.locator(`input[name="${name}-day"]`).fill(day);
  await page.locator(`input[name="${name}-month"]`).fill(month);
  await page.locator(`input[name="${name}-year"]`).fill(year);
}

/**
 * Fills the referral form (on /referrals/new) for a synthetic family, with the values a
 * test names; everything is invented.
 */
export async function fillReferral(page, r) {
  await page.getByRole('group', { name: 'Who made the referral?' }).getByLabel(r.sourceLabel ?? 'School or college').check();
  await fillDate(page, 'received', r.received ?? utcDate(-1));
  await page.getByLabel("Referrer's name").fill(r.referrerName ?? 'Avery Placeholder');
  await page.getByLabel("Referrer's contact details (optional)").fill(r.referrerContact ?? '07700 900123');
  const child = page.getByRole('group', { name: 'Child', exact: true });
  await child.getByLabel('First name').fill(r.childGiven);
  await child.getByLabel('Last name').fill(r.childFamily);
  if (r.carerGiven) {
    const carer = page.getByRole('group', { name: 'Parent or carer (optional, 1 of 2)' });
    await carer.getByLabel('First name').fill(r.carerGiven);
    await carer.getByLabel('Last name').fill(r.carerFamily ?? r.childFamily);
    await carer.getByLabel('Kind of parent or carer').selectOption({ label: r.carerKindLabel ?? 'Birth parent' });
  }
  await page.getByLabel('Reasons for the referral').fill(r.reasons);
  for (const label of r.indicatorLabels ?? []) {
    await page.getByRole('group', { name: 'Indicators seen' }).getByLabel(label, { exact: true }).check();
  }
  // `consent: null` leaves the question unanswered.
  if (r.consent !== null) {
    await page
      .getByRole('group', { name: 'Has the family consented to information being shared with partner agencies?' })
      .getByLabel(r.consent ?? 'Yes', { exact: true })
      .check();
  }
}

/** The value cell of the GOV.UK summary-list row whose key is `key`. */
export function summaryValue(page, key) {
  return page
    .locator('.govuk-summary-list__row')
    .filter({ has: page.locator('dt', { hasText: new RegExp(`^${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) })
    .locator('dd.govuk-summary-list__value');
}

/**
 * Chooses a worker in an allocation list, whose options carry each worker's caseload
 * ("Demo PLO (4 families, 1 high; weighted 7 of 20)"): by the name the option starts with.
 */
export async function chooseWorker(page, label, name) {
  const select = page.getByLabel(label);
  const option = select.locator('option').filter({ hasText: new RegExp(`^${name}( \\(|$)`) }).first();
  await expect(option).toHaveCount(1);
  await select.selectOption(await option.getAttribute('value'));
}
