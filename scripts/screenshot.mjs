#!/usr/bin/env node
// Takes a screenshot of a page of the running app in Debian's Chromium,
// signing in as guest first.
//
//   node scripts/screenshot.mjs <path-or-url> <out.png> [--wait-text "text"]
//
// BASE_URL (default http://localhost:3000) and CHROMIUM (default
// /usr/bin/chromium) can be overridden.
import { chromium } from 'playwright-core';

const [target = '/', out = 'screenshot.png', ...rest] = process.argv.slice(2);
const waitText = rest[0] === '--wait-text' ? rest[1] : undefined;
const base = process.env.BASE_URL ?? 'http://localhost:3000';
const url = /^https?:/.test(target) ? target : `${base}${target}`;

const browser = await chromium.launch({
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
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(base);
  const enter = page.getByRole('button', { name: 'Enter' });
  const signedOut = await enter
    .waitFor({ timeout: 15_000 })
    .then(() => true)
    .catch(() => false);
  if (signedOut) {
    await enter.click();
    await enter.waitFor({ state: 'detached' });
  }
  await page.goto(url);
  if (waitText) {
    await page.getByText(waitText).first().waitFor({ timeout: 30_000 });
  } else {
    await page.waitForLoadState('networkidle');
  }
  await page.screenshot({ path: out, fullPage: true });
  console.log(`screenshot: ${out} (${url})`);
} finally {
  await browser.close();
}
