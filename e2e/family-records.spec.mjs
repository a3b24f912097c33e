// A family's records beyond the chronology, as a PLO reaches them from the family page:
// the information log, threats and harassment, evidence with its chain of custody, what
// was passed to the police, the family's network and the parent portal invitations.
// Every page and every form's error state passes the accessibility checks. Then the hub's
// network picture and alerts, as the manager and the police partner see them.
import { test, expect } from '@playwright/test';
import { expectAccessible, signIn, signOut } from './helpers.mjs';

async function firstFamily(page) {
  await page.goto('/caseload');
  await page.getByRole('table').getByRole('link').first().click();
  await expect(page).toHaveURL(/\/families\/\d+(\?done=[\w.-]+)?$/);
  return page.url();
}

async function expectErrors(page, button) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: button, exact: true }).click(),
  ]);
  expect(response.status()).toBe(422);
  await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await expectAccessible(page);
}

test('a family\'s records: each page and each form\'s errors are accessible', async ({ page }) => {
  await signIn(page, 'demo.plo');
  const family = await firstFamily(page);
  for (const [link, heading] of [
    ['Information log', 'Information log'],
    ['Threats and harassment', /Threats and harassment/],
    ['Evidence', /Evidence/],
    ['Passed to police', /police/i],
    ['Network', /Network/],
    ['Parent portal invitations', 'Parent portal invitations'],
  ]) {
    await page.goto(family);
    await page.getByRole('link', { name: link, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await expectAccessible(page);
  }

  // Forms refuse what is missing, say what to fix, and stay accessible.
  await page.goto(`${family}/information/new`);
  await page.getByLabel('What did you see or hear?').fill('A car waited outside again.');
  await expectErrors(page, 'Save');
  await expect(page.getByLabel('What did you see or hear?')).toHaveValue('A car waited outside again.');

  await page.goto(`${family}/incidents/new`);
  await expectErrors(page, 'Save threat or incident');

  await page.goto(`${family}/evidence/new`);
  await expectErrors(page, 'Save evidence item');

  // An evidence item: record one, hand it over, and the chain lists it.
  await page.goto(`${family}/evidence`);
  const items = page.getByRole('table').getByRole('link');
  if ((await items.count()) > 0) {
    await items.first().click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expectAccessible(page);
  }
  await signOut(page);
});

test('the network picture and alerts, for the manager and the police partner', async ({ page }) => {
  await signIn(page, 'demo.manager');
  await page.goto('/network');
  await expect(page.getByRole('heading', { level: 1, name: 'Network picture' })).toBeVisible();
  await expect(page.getByRole('table').first()).toBeVisible();
  await expectAccessible(page);
  // A nonsense date is explained.
  await page.goto('/network?from-day=31&from-month=2&from-year=2026');
  await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await expectAccessible(page);
  await page.goto('/alerts');
  await expect(page.getByRole('heading', { level: 1, name: 'Alerts' })).toBeVisible();
  await expectAccessible(page);
  // Threats and harassment counted by kind, reached from the capacity page.
  await page.goto('/capacity');
  await page.getByRole('link', { name: 'Threats and harassment against families, counted by kind' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Threats and harassment against families' })).toBeVisible();
  await expect(page.getByRole('table').first()).toBeVisible();
  await expectAccessible(page);
  await signOut(page);

  await signIn(page, 'demo.police');
  await page.goto('/network');
  await expect(page.getByRole('heading', { level: 1, name: 'Network picture' })).toBeVisible();
  // The police see what was passed to them, with no family named.
  await expect(page.getByText('AB12 CDE').first()).toBeVisible();
  await expect(page.getByText(/family$/i)).toHaveCount(0);
  await expectAccessible(page);
  await signOut(page);
});
