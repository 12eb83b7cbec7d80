import { test, expect } from '@playwright/test';
import { signInAsGuest } from './signIn';

/*
 * The dual-lane frontend plugin as the app's feature discovery installs it.
 * These tests hold for the example catalog, where no entity carries
 * `github.com/project-slug` yet; tests against demo data come later.
 */

test('the sidebar opens the dual-lane page, which explains how entities take part', async ({
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
  const organisation = page.getByRole('group', { name: 'Organisation' });
  await expect(organisation.getByText('NO DATA')).toBeVisible();
  await expect(
    organisation.getByText('No dual-lane entity in the organisation.'),
  ).toBeVisible();
  await expect(page.getByText('No dual-lane entities yet')).toBeVisible();
  await expect(
    page.getByText('github.com/project-slug: <owner>/<repo>'),
  ).toBeVisible();
  await expect(page.getByRole('radio', { name: 'All: 0' })).toBeVisible();
  await expect(
    page.getByText('No owner has dual-lane entities yet.'),
  ).toBeVisible();
});

test('an entity without github.com/project-slug has no dual-lane tabs or card', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/catalog/default/component/example-website');

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
  await page.goto('/catalog/default/component/example-website/gates');
  await expect(page.getByText('Required gates')).toHaveCount(0);
});
