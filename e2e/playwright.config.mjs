// Browser tests for Alongside: real journeys in Debian's Chromium against a fresh server
// with synthetic demo data. Run with `bash scripts/e2e.sh` (installs what is missing and
// builds first) or `npx playwright test --config e2e/playwright.config.mjs`.
import { defineConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

const port = Number(process.env.E2E_PORT || 8123);
const baseURL = `http://127.0.0.1:${port}`;

// A fixed, synthetic password for the demo accounts of the throwaway test server. The
// helpers read it from here, so the tests and the server always agree.
process.env.ALONGSIDE_DEMO_PASSWORD ||= 'e2e-demo-password-2026';

export default defineConfig({
  testDir: here,
  testMatch: '*.spec.mjs',
  outputDir: path.join(here, 'test-results'),
  // One browser at a time against one server: the journeys share its data.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [
    ['list'],
    ['html', { outputFolder: path.join(here, 'playwright-report'), open: 'never' }],
    [path.join(here, 'summary-reporter.mjs')],
  ],
  use: {
    baseURL,
    browserName: 'chromium',
    headless: true,
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `bash ${JSON.stringify(path.join(here, 'start-server.sh'))}`,
    cwd: root,
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: {
      ALONGSIDE_DEMO_PASSWORD: process.env.ALONGSIDE_DEMO_PASSWORD,
      E2E_PORT: String(port),
    },
  },
});
