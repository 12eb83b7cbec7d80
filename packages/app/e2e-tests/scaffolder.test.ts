import { test, expect } from '@playwright/test';
import { signInAsGuest } from './signIn';

test('the dual-lane repository template is offered under Create', async ({ page }) => {
  await signInAsGuest(page);
  await page.goto('/create');
  const card = page.getByText('Dual-lane repository');
  // The catalog may still be processing the template location right after start.
  await expect(async () => {
    await page.reload();
    await expect(card).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByText(/four gate\s+workflows/)).toBeVisible();
});
