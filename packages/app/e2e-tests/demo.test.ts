import { test, expect, Page } from '@playwright/test';
import { signInAsGuest } from './signIn';

/*
 * The offline demo organisation (examples/, packages/demo) as `yarn start`
 * shows it: the backend serves the demo's GitHub itself, the dual-lane
 * sync, verification and go/no-go run on their short demo schedules
 * (app-config.yaml), and /dual-lane shows the organisation no-go with its
 * reasons. Right after start the first syncs are still running, so the
 * first test waits for the whole organisation to be evaluated.
 */

/** How long after the backend is healthy the demo may take to be evaluated. */
const DEMO_EVALUATED_WITHIN = 150_000;

/** The entities that fail, each with the criterion chip the table shows. */
const NO_GO: Array<[title: string, criteria: string[]]> = [
  [
    'Payments ledger',
    ['Artifacts signed: no-go', 'Provenance verified: no-go'],
  ],
  ['Fraud scoring', ['Provenance verified: no-go']],
  ['Checkout web', ['Negative tests blocked in production: no-go']],
  ['Order history', ['Drift incidents: no-go']],
  ['Inventory service', ['Label accuracy: no-go']],
  ['Recommendations', ['Rework cycles per PR: no-go']],
];

async function openEvaluatedDualLanePage(page: Page) {
  await signInAsGuest(page);
  await page.goto('/dual-lane');
  const organisation = page.getByRole('group', { name: 'Organisation' });
  await expect(async () => {
    await page.reload();
    await expect(
      organisation.getByText('6 of 15 entities in the organisation are no-go.'),
    ).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: DEMO_EVALUATED_WITHIN, intervals: [5_000] });
  return organisation;
}

test('/dual-lane shows the demo organisation no-go, with its reasons', async ({
  page,
}) => {
  test.setTimeout(DEMO_EVALUATED_WITHIN + 60_000);
  const organisation = await openEvaluatedDualLanePage(page);

  await expect(organisation.getByText('NO-GO', { exact: true })).toBeVisible();
  const more = organisation.getByRole('button', {
    name: /^Show \d+ more reasons?$/,
  });
  if (await more.isVisible()) await more.click();
  for (const reason of [
    'Provenance verified fails for 2 entities.',
    'Artifacts signed fails for 1 entity.',
    'Negative tests blocked in production fails for 1 entity.',
    'Drift incidents fails for 1 entity.',
    'Label accuracy fails for 1 entity.',
    'Rework cycles per PR fails for 1 entity.',
  ]) {
    await expect(organisation.getByText(`• ${reason}`)).toBeVisible();
  }

  for (const [name, count] of [
    ['All', 15],
    ['No-go', 6],
    ['No data', 1],
    ['Go', 8],
  ] as const) {
    await expect(
      page.getByRole('radio', { name: `${name}: ${count}` }),
    ).toBeVisible();
  }

  // Each failing entity names the criterion its story breaks.
  for (const [title, criteria] of NO_GO) {
    const row = page.getByRole('row').filter({ hasText: title });
    await expect(row.getByText('NO-GO', { exact: true })).toBeVisible();
    for (const criterion of criteria) {
      await expect(row.getByText(criterion, { exact: true })).toBeVisible();
    }
  }
  const newcomer = page.getByRole('row').filter({ hasText: 'Loyalty points' });
  await expect(newcomer.getByText('NO DATA', { exact: true })).toBeVisible();
  const passing = page.getByRole('row').filter({ hasText: 'Payments API' });
  await expect(passing.getByText('GO', { exact: true })).toBeVisible();
});

test('a failing entity shows why on its Supply chain and Gates tabs', async ({
  page,
}) => {
  test.setTimeout(DEMO_EVALUATED_WITHIN + 60_000);
  await openEvaluatedDualLanePage(page);

  // fraud-scoring: its newest release carries another commit's provenance.
  await page.goto('/catalog/default/component/fraud-scoring/supply-chain');
  await expect(page.getByText('v2.5.0/artifact.tar.gz')).toBeVisible();
  await expect(
    page.getByText(
      /^replayed provenance: source commit [0-9a-f]{40} is not the expected commit/,
    ),
  ).toBeVisible();

  // checkout-web: its policy bundle was replaced after it was signed.
  await page.goto('/catalog/default/component/checkout-web/supply-chain');
  await expect(
    page.getByText('tampered', { exact: true }).first(),
  ).toBeVisible();
  await expect(
    page.getByText(/does not match the signed digest/),
  ).toBeVisible();

  // payments-ledger: the SLSA gate fails on an open pull request.
  await page.goto('/catalog/default/component/payments-ledger/gates');
  const pull = page.getByText(
    'PRD-134: Export the audit trail for the auditors',
  );
  await expect(pull).toBeVisible();
  await expect(page.getByText('gates 3/4').first()).toBeVisible();
});
