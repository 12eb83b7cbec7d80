import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { dualLaneApiRef, DualLaneApi } from '../../api';
import {
  complianceList,
  listItem,
  orgWaivers,
  rollups,
} from '../../__testUtils__/fixtures';
import { mockDualLaneApi } from '../../__testUtils__/mockApi';
import {
  CompliancePageContent,
  COMPLIANCE_PAGE_SIZES,
} from './CompliancePageContent';

function render(api: DualLaneApi) {
  return renderInTestApp(<CompliancePageContent />, {
    apis: [[dualLaneApiRef, api], mockApis.permission()],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
}

function apiWith(overrides: Partial<jest.Mocked<DualLaneApi>> = {}) {
  return mockDualLaneApi({
    listCompliance: jest.fn().mockResolvedValue(
      complianceList([
        listItem('payments-api'),
        listItem('ledger', {
          verdict: 'go',
          failingCount: 0,
          systemRef: undefined,
          criteria: listItem('x').criteria.map(c => ({
            ...c,
            status: 'pass' as const,
          })),
        }),
      ]),
    ),
    getComplianceRollups: jest.fn(async ({ by }) =>
      by === 'owner'
        ? rollups('owner', ['group:default/payments', 'group:default/platform'])
        : rollups('system', ['system:default/checkout']),
    ),
    getComplianceCriteria: jest.fn().mockResolvedValue({
      windowDays: 30,
      waiverMaxDays: 90,
      annotationOverrides: 'any',
      criteria: [],
    }),
    listWaivers: jest
      .fn()
      .mockResolvedValue({ items: [], totalCount: 0, waiverMaxDays: 90 }),
    ...overrides,
  });
}

const lastListQuery = (api: jest.Mocked<DualLaneApi>) =>
  api.listCompliance.mock.calls[api.listCompliance.mock.calls.length - 1][0];

describe('CompliancePageContent', () => {
  it('shows the organisation verdict with reasons, totals, entities and rollups', async () => {
    const api = apiWith();
    await render(api);
    const organisation = await screen.findByRole('group', {
      name: 'Organisation',
    });
    expect(within(organisation).getByText('NO-GO')).toBeInTheDocument();
    expect(
      within(organisation).getByText(
        '• 2 of 2 entities in the organisation are no-go.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'No-go: 1' })).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'Go: 1' })).toBeInTheDocument();

    const row = (await screen.findByText('payments-api')).closest('tr')!;
    expect(
      within(row).getByRole('link', { name: /payments-api/ }),
    ).toHaveAttribute('href', '/catalog/default/component/payments-api');
    expect(within(row).getByText('NO-GO')).toBeInTheDocument();
    expect(
      within(row).getByText('PLAN verdict coverage: no-go'),
    ).toBeInTheDocument();
    expect(within(row).getByText('checkout')).toBeInTheDocument();
    expect(
      within(screen.getByText('ledger').closest('tr')!).getByText('all pass'),
    ).toBeInTheDocument();

    expect(
      screen.getByRole('link', { name: 'group:default/platform' }),
    ).toBeInTheDocument();
    expect(api.listCompliance).toHaveBeenCalledWith({
      limit: COMPLIANCE_PAGE_SIZES[0],
      cursor: undefined,
      owner: undefined,
      system: undefined,
      verdict: undefined,
      criterion: undefined,
      criterionStatus: undefined,
      q: undefined,
    });
  });

  it('shows the first reasons and the rest on request, and sums up criteria without data', async () => {
    const api = apiWith({
      listCompliance: jest.fn().mockResolvedValue(
        complianceList([
          listItem('fraud-service', {
            verdict: 'no-data',
            failingCount: 0,
            criteria: listItem('x').criteria.map((c, i) => ({
              ...c,
              status: i < 3 ? ('no-data' as const) : ('pass' as const),
            })),
          }),
        ]),
      ),
      getComplianceRollups: jest.fn(async ({ by }) => {
        const response = rollups(by, ['group:default/payments']);
        response.organisation.reasons = [1, 2, 3, 4, 5, 6].map(
          n => `Reason ${n}.`,
        );
        return response;
      }),
    });
    await render(api);
    expect(await screen.findByText('• Reason 4.')).toBeInTheDocument();
    expect(screen.queryByText('• Reason 5.')).not.toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Show 2 more reasons' }),
    );
    expect(screen.getByText('• Reason 6.')).toBeInTheDocument();
    const row = screen.getByText('fraud-service').closest('tr')!;
    expect(within(row).getByText('3 without data')).toHaveAttribute(
      'title',
      'PLAN verdict coverage, Rework cycles per PR, Artifacts signed',
    );
  });

  it('shows progress while the organisation and the entities load', async () => {
    const api = apiWith({
      listCompliance: jest.fn().mockReturnValue(new Promise(() => {})),
      getComplianceRollups: jest.fn().mockReturnValue(new Promise(() => {})),
    });
    await render(api);
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
    expect(
      screen.queryByText('No dual-lane entities yet'),
    ).not.toBeInTheDocument();
  });

  it('explains how entities take part when there are none', async () => {
    const api = apiWith({
      listCompliance: jest.fn().mockResolvedValue(complianceList([])),
      getComplianceRollups: jest.fn(async ({ by }) => rollups(by, [])),
    });
    await render(api);
    expect(
      await screen.findByText('No dual-lane entities yet'),
    ).toBeInTheDocument();
    expect(screen.getByText(/github.com\/project-slug/)).toBeInTheDocument();
    expect(
      screen.getByText('• No dual-lane entity in the organisation.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No owner has dual-lane entities yet.'),
    ).toBeInTheDocument();
  });

  it('shows the backend error instead of the table', async () => {
    const api = apiWith({
      listCompliance: jest
        .fn()
        .mockRejectedValue(
          new Error('Not allowed to read dual-lane compliance'),
        ),
    });
    await render(api);
    expect(
      (await screen.findAllByText(/Not allowed to read dual-lane compliance/))
        .length,
    ).toBeGreaterThan(0);
  });

  it('pages with the cursor the backend returned', async () => {
    const api = apiWith({
      listCompliance: jest
        .fn()
        .mockResolvedValueOnce(
          complianceList([listItem('payments-api')], {
            totalCount: 2,
            nextCursor: 'page-2',
          }),
        )
        .mockResolvedValueOnce(
          complianceList([listItem('ledger')], { totalCount: 2 }),
        ),
    });
    await render(api);
    await screen.findByText('payments-api');
    // The entities table comes before the rollups table.
    await userEvent.click(
      screen.getAllByRole('button', { name: 'Next table page' })[0],
    );
    expect(await screen.findByText('ledger')).toBeInTheDocument();
    expect(lastListQuery(api)).toMatchObject({ cursor: 'page-2' });
  });

  it('sorts on the server by the chosen column', async () => {
    const api = apiWith();
    await render(api);
    await screen.findByText('payments-api');
    await userEvent.click(
      screen.getByRole('columnheader', { name: /Failing/ }),
    );
    await waitFor(() =>
      expect(lastListQuery(api)).toMatchObject({
        sort: 'failingCount',
        order: 'asc',
      }),
    );
  });

  it('filters by verdict, by criterion status and by owner, then says when nothing matches', async () => {
    const api = apiWith();
    await render(api);
    await screen.findByText('payments-api');

    await userEvent.click(screen.getByRole('radio', { name: 'No-go: 1' }));
    await waitFor(() =>
      expect(lastListQuery(api)).toMatchObject({ verdict: ['no-go'] }),
    );

    await userEvent.click(
      screen.getAllByRole('button', { name: /Show entities/ })[1],
    );
    await waitFor(() =>
      expect(lastListQuery(api)).toMatchObject({
        verdict: ['no-go'],
        owner: 'group:default/platform',
      }),
    );

    api.listCompliance.mockResolvedValue(complianceList([]));
    await userEvent.type(
      screen.getByRole('searchbox', { name: /Search/ }),
      'zzz',
    );
    await waitFor(() => expect(lastListQuery(api)).toMatchObject({ q: 'zzz' }));
    expect(
      await screen.findByText('No entity matches these filters'),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Clear filters' }),
    );
    await waitFor(() =>
      expect(lastListQuery(api)).toMatchObject({
        verdict: undefined,
        owner: undefined,
        q: undefined,
      }),
    );
  });

  it('lists the entities behind a criterion count, waivers included', async () => {
    const list = complianceList([listItem('payments-api')]);
    list.summary.criteria[6] = { ...list.summary.criteria[6], waived: 2 };
    const api = apiWith({ listCompliance: jest.fn().mockResolvedValue(list) });
    await render(api);
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Show the 2 entities with Label accuracy waived',
      }),
    );
    await waitFor(() =>
      expect(lastListQuery(api)).toMatchObject({
        criterion: 'label-accuracy',
        criterionStatus: 'waived',
      }),
    );
  });

  it('switches the rollups to systems', async () => {
    const api = apiWith();
    await render(api);
    await screen.findByRole('link', { name: 'group:default/platform' });
    await userEvent.click(screen.getByRole('radio', { name: 'By system' }));
    expect(
      await screen.findByRole('link', { name: 'system:default/checkout' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: 'group:default/platform' }),
    ).not.toBeInTheDocument();
  });

  it('lists the waivers in force across the organisation, and all of them on demand', async () => {
    const api = apiWith({
      listWaivers: jest.fn(async query =>
        query?.active
          ? orgWaivers(
              query.cursor
                ? {
                    items: orgWaivers().items.map(w => ({
                      ...w,
                      id: w.id - 10,
                    })),
                  }
                : { nextCursor: 'next' },
            )
          : orgWaivers({
              items: [
                {
                  ...orgWaivers().items[1],
                  id: 5,
                  active: false,
                  revokedAt: '2026-11-12T00:00:00Z',
                  revokedBy: 'user:default/cto',
                },
              ],
              totalCount: 1,
            }),
      ),
    });
    await render(api);
    const waivers = await screen.findByRole('region', { name: 'Waivers' });
    expect(
      await within(waivers).findByText(
        '2 waivers in force; each lasts at most 90 days.',
      ),
    ).toBeInTheDocument();
    const first = within(waivers).getByTestId('waiver-21');
    expect(
      within(first).getByRole('link', { name: 'Payments API' }),
    ).toHaveAttribute('href', '/catalog/default/component/payments-api');
    expect(within(first).getByText('Drift incidents')).toBeInTheDocument();
    expect(within(first).getByText(/until 2026-12-01/)).toBeInTheDocument();
    expect(within(first).getByText('rewriting AGENTS.md')).toBeInTheDocument();
    expect(api.listWaivers).toHaveBeenCalledWith({
      active: true,
      limit: 25,
      cursor: undefined,
    });

    await userEvent.click(
      within(waivers).getByRole('button', { name: 'Load more' }),
    );
    await waitFor(() =>
      expect(api.listWaivers).toHaveBeenCalledWith({
        active: true,
        limit: 25,
        cursor: 'next',
      }),
    );
    expect(await within(waivers).findByTestId('waiver-11')).toBeInTheDocument();
    expect(within(waivers).getByTestId('waiver-21')).toBeInTheDocument();
    expect(
      within(waivers).queryByRole('button', { name: 'Load more' }),
    ).not.toBeInTheDocument();

    await userEvent.click(within(waivers).getByRole('radio', { name: 'All' }));
    const revoked = await within(waivers).findByTestId('waiver-5');
    expect(within(revoked).getByText('revoked')).toBeInTheDocument();
    expect(within(revoked).getByText(/ended 2026-11-12/)).toBeInTheDocument();
  });

  it('says when no waiver is in force', async () => {
    await render(apiWith());
    expect(
      await screen.findByText(
        'No waiver is in force: every entity is judged on all seven criteria.',
      ),
    ).toBeInTheDocument();
  });
});
