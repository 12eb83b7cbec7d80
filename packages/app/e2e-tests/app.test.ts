import { test, expect } from '@playwright/test';
import { signInAsGuest } from './signIn';

test('the app signs in as guest and shows the dual-lane navigation', async ({ page }) => {
  await signInAsGuest(page);
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(nav.getByRole('link', { name: 'Catalog', exact: true })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Create', exact: true })).toBeVisible();
});
