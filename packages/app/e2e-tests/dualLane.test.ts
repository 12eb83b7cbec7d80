import { test, expect } from '@playwright/test';
import { signInAsGuest } from './signIn';

/*
 * The dual-lane frontend plugin as the app's feature discovery installs it,
 * on the demo catalog (examples/). What the demo organisation's data shows
 * is tested in demo.test.ts.
 */

test('the sidebar opens the dual-lane page with the organisation and its entities', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Dual-lane', exact: true })
    .click();

  await expect(page).toHaveURL(/\/dual-lane$/);
  await expect(
    page.getByRole('heading', { name: 'Go/no-go for scaling' }),
  ).toBeVisible();
  await expect(page.getByRole('group', { name: 'Organisation' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Entities' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Rollups' })).toBeVisible();
});

test('an entity without github.com/project-slug has no dual-lane tabs or card', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/catalog/default/component/legacy-billing-portal');

  await expect(
    page.getByRole('link', { name: 'Overview', exact: true }),
  ).toBeVisible();
  await expect(page.getByText('About').first()).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Gates', exact: true }),
  ).toHaveCount(0);
  await expect(
    page.getByRole('link', { name: 'Supply chain', exact: true }),
  ).toHaveCount(0);
  await expect(page.getByText('Dual-lane go/no-go')).toHaveCount(0);

  // The tab's path is not routed for it either.
  await page.goto('/catalog/default/component/legacy-billing-portal/gates');
  await expect(page.getByText('Required gates')).toHaveCount(0);
});
