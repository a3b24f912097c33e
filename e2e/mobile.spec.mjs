// On a phone-sized screen the sign-in page, the caseload and a family record fit the
// screen and can be used by touch.
import { test, expect } from '@playwright/test';
import { PASSWORD, expectAccessible, signIn } from './helpers.mjs';

const WIDTH = 375;
test.use({ viewport: { width: WIDTH, height: 667 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

/**
 * The page is no wider than the screen, so nothing is cut off or needs the whole page
 * scrolled sideways. (A wide table may scroll inside a container of its own; the page
 * itself must not.) Soft, so one journey reports every page that does not fit. The
 * layout viewport's width (clientWidth) is the screen's: on a phone, window.innerWidth
 * grows with the content when the browser zooms out to show it.
 */
async function expectFitsTheScreen(page) {
  const { scrollWidth, clientWidth, wider } = await page.evaluate(() => {
    const root = document.documentElement;
    const wider = [...document.querySelectorAll('main *')]
      .filter((e) => e.getBoundingClientRect().right > root.clientWidth + 1)
      .filter((e) => !e.parentElement.closest('table')) // the outermost element only
      .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} (${Math.round(e.getBoundingClientRect().width)}px)`);
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wider };
  });
  expect(clientWidth).toBe(WIDTH);
  expect
    .soft(scrollWidth, `${new URL(page.url()).pathname} is ${scrollWidth}px wide on a ${WIDTH}px screen; too wide: ${wider.join(', ')}`)
    .toBeLessThanOrEqual(clientWidth);
}

/**
 * The control is shown and lies across the screen, not off its edge. (Its size is axe's
 * to judge: its target-size rule, WCAG 2.2's 24px minimum with the spacing exception,
 * runs in every `expectAccessible`.)
 */
async function expectTappable(control) {
  await expect(control).toBeVisible();
  const box = await control.boundingBox();
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(WIDTH);
}

test('on a phone, the sign-in page fits and signs in by touch', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Alongside' })).toBeInViewport();
  await expectFitsTheScreen(page);
  await expectAccessible(page);

  for (const control of [page.getByLabel('Username'), page.getByLabel('Password'), page.getByRole('button', { name: 'Sign in' })]) {
    await expectTappable(control);
  }
  await page.getByLabel('Username').tap();
  await page.getByLabel('Username').fill('demo.plo');
  await page.getByLabel('Password').tap();
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).tap();
  await expect(page).toHaveURL(/\/caseload(\?done=[\w.-]+)?$/);
});

test('on a phone, the caseload fits, its menu opens, and a family opens with a tap', async ({ page }) => {
  await signIn(page, 'demo.plo');
  await expect(page).toHaveURL(/\/caseload(\?done=[\w.-]+)?$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Your caseload' })).toBeInViewport();
  await expectAccessible(page);

  // The service navigation folds into a "Menu" button on a small screen.
  const menu = page.getByRole('button', { name: 'Menu' });
  await expectTappable(menu);
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  const families = page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Families' });
  await expect(families).toBeHidden();
  await menu.tap();
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await expectTappable(families);
  await expectAccessible(page);
  await menu.tap();
  await expect(families).toBeHidden();

  // Every column of the caseload can be read on the screen.
  await expectFitsTheScreen(page);

  // A family in the caseload opens with a tap.
  const familyLink = page.getByRole('table').getByRole('link').first();
  const name = (await familyLink.innerText()).trim();
  await familyLink.scrollIntoViewIfNeeded();
  await familyLink.tap();
  await expect(page).toHaveURL(/\/families\/\d+(\?done=[\w.-]+)?$/);
  await expect(page.getByRole('heading', { level: 1, name })).toBeInViewport();
  await expectTappable(page.getByRole('link', { name: 'Record a contact' }));
  await expectFitsTheScreen(page);
  await expectAccessible(page);
});
