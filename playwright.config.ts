import { defineConfig } from '@playwright/test';
import { generateProjects } from '@backstage/e2e-test-utils/playwright';

/**
 * End-to-end tests drive the running app (`yarn start`: frontend on :3000,
 * backend on :7007) in Debian's Chromium; Playwright's own browser
 * downloads are not available on the build machines. Set CHROMIUM to use
 * another Chromium binary, PLAYWRIGHT_URL to test an app started elsewhere.
 */
const launchOptions = {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export default defineConfig({
  timeout: 90_000,
  expect: { timeout: 30_000 },
  // One app serves every test; parallel workers would only fight over it.
  workers: 1,

  // `yarn start` serves the frontend on :3000 and the backend on :7007;
  // the global setup also waits for the backend to be healthy.
  webServer: process.env.PLAYWRIGHT_URL
    ? undefined
    : {
        command: 'yarn start',
        url: 'http://localhost:3000',
        reuseExistingServer: !process.env.CI,
        timeout: 300_000,
        stdout: 'ignore',
        stderr: 'pipe',
      },
  globalSetup: require.resolve('./scripts/e2e-wait-for-backend'),

  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'e2e-test-report' }]],

  use: {
    actionTimeout: 0,
    baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },

  outputDir: 'node_modules/.cache/e2e-test-results',

  projects: generateProjects().map(project => ({
    ...project,
    use: { browserName: 'chromium', launchOptions },
  })),
});
