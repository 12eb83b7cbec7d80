import { ResponseError } from '@backstage/errors';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { gatesResponse, pullRequest } from '../../__testUtils__/fixtures';
import { mockDualLaneApi } from '../../__testUtils__/mockApi';
import { renderEntityView } from '../../__testUtils__/renderEntityView';
import { EntityGatesContent, GATES_PAGE_SIZE } from './EntityGatesContent';

const ref = expect.objectContaining({
  kind: 'Component',
  namespace: 'default',
});

describe('EntityGatesContent', () => {
  it('shows a progress bar while the first page loads', async () => {
    const api = mockDualLaneApi({
      getGates: jest.fn().mockReturnValue(new Promise(() => {})),
    });
    await renderEntityView(<EntityGatesContent />, { api });
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
  });

  it('shows each gate, the verdict, rework, label, timing and negative tests', async () => {
    const api = mockDualLaneApi({
      getGates: jest.fn().mockResolvedValue(gatesResponse()),
    });
    await renderEntityView(<EntityGatesContent />, { api });

    const pr = await screen.findByRole('group', { name: 'Pull request 42' });
    expect(
      within(pr).getByRole('link', { name: '#42 Add retries 42' }),
    ).toHaveAttribute('href', 'https://github.com/acme/payments-api/pull/42');
    expect(within(pr).getByText('gates 1/4')).toBeInTheDocument();
    expect(within(pr).getByText('pass')).toBeInTheDocument();
    expect(within(pr).getByText('fail')).toBeInTheDocument();
    expect(within(pr).getByText('missing')).toBeInTheDocument();
    expect(within(pr).getByText('timed_out')).toBeInTheDocument();
    expect(
      within(pr).getByText('no run on the head commit'),
    ).toBeInTheDocument();
    expect(within(pr).getAllByText('changes requested').length).toBeGreaterThan(
      0,
    );
    expect(within(pr).getByText('1 rework cycle')).toBeInTheDocument();
    expect(within(pr).getByText('wrong label')).toBeInTheDocument();
    expect(within(pr).getByText('rework-requested')).toBeInTheDocument();
    expect(within(pr).getByText('15 min')).toBeInTheDocument();
    // Merge conformance is only shown for merged pull requests.
    expect(within(pr).queryByText('Merge conformance')).not.toBeInTheDocument();

    expect(screen.getByText('Negative tests')).toBeInTheDocument();
    expect(screen.getByText('blocked')).toBeInTheDocument();
    expect(screen.getByText('NOT blocked')).toBeInTheDocument();
    expect(api.getGates).toHaveBeenCalledWith(ref, {
      limit: GATES_PAGE_SIZE,
      cursor: undefined,
      state: undefined,
    });
  });

  it('shows the conformance of a merged pull request, including a bypass', async () => {
    const merged = pullRequest(7);
    merged.pullRequest.state = 'merged';
    merged.conformance = {
      version: 1,
      evaluatedAt: '2026-11-20T12:00:00Z',
      headSha: merged.pullRequest.headSha,
      baseRef: 'main',
      protection: { readable: true, sources: ['branch-protection'] },
      gates: [],
      conforming: false,
      missing: ['SLSA Verification / Verify SLSA Provenance'],
      failing: [],
      pending: [],
      unexpectedApp: [],
      unenforced: [],
      bypassedProtection: true,
      findings: [
        'Merged although the base branch requires it: protection was bypassed.',
      ],
    };
    const api = mockDualLaneApi({
      getGates: jest.fn().mockResolvedValue(gatesResponse({ items: [merged] })),
    });
    await renderEntityView(<EntityGatesContent />, { api });
    const pr = await screen.findByRole('group', { name: 'Pull request 7' });
    expect(within(pr).getByText('not conforming')).toBeInTheDocument();
    expect(within(pr).getByText('protection bypassed')).toBeInTheDocument();
    expect(
      within(pr).getByText(
        'SLSA Verification / Verify SLSA Provenance missing',
      ),
    ).toBeInTheDocument();
  });

  it('explains an empty repository and when the sync runs', async () => {
    const api = mockDualLaneApi({
      getGates: jest.fn().mockResolvedValue(
        gatesResponse({
          items: [],
          totalCount: 0,
          negativeTests: [],
          sync: {
            host: 'ghe.acme.dev',
            scheduled: true,
            schedule: { everyMs: 900_000, description: 'every 15 minutes' },
          },
        }),
      ),
    });
    await renderEntityView(<EntityGatesContent />, { api });
    expect(
      await screen.findByText('No pull requests synced yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/on ghe.acme.dev with their check runs/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/its schedule: every 15 minutes/),
    ).toBeInTheDocument();
    expect(screen.getByText(/Last sync: never/)).toBeInTheDocument();
  });

  it('shows the repository host, the sync schedule and when the next sync is due', async () => {
    const api = mockDualLaneApi({
      getGates: jest.fn().mockResolvedValue(gatesResponse()),
    });
    await renderEntityView(<EntityGatesContent />, { api });
    expect(await screen.findByText('Sync schedule')).toBeInTheDocument();
    expect(screen.getByText('every 10 minutes')).toBeInTheDocument();
    expect(screen.getByText('Next sync due')).toBeInTheDocument();
    expect(screen.getByText(/\(github\.com\)$/)).toBeInTheDocument();
  });

  it('says which pull requests have no label to judge', async () => {
    const closed = pullRequest(9);
    closed.pullRequest.state = 'closed';
    closed.labels = {
      checked: false,
      notCheckedReason:
        'closed without merging: a finished pull request needs no lane label',
      actual: ['claude-enforcing'],
      unexpected: [],
      accurate: true,
    };
    const api = mockDualLaneApi({
      getGates: jest.fn().mockResolvedValue(gatesResponse({ items: [closed] })),
    });
    await renderEntityView(<EntityGatesContent />, { api });
    const pr = await screen.findByRole('group', { name: 'Pull request 9' });
    expect(within(pr).getByText('not checked')).toBeInTheDocument();
    expect(
      within(pr).getByText(
        /closed without merging: a finished pull request needs no lane label; carries claude-enforcing/,
      ),
    ).toBeInTheDocument();
    expect(within(pr).queryByText('wrong label')).not.toBeInTheDocument();
  });

  it('says why nothing was synced when the sync failed', async () => {
    const api = mockDualLaneApi({
      getGates: jest.fn().mockResolvedValue(
        gatesResponse({
          items: [],
          totalCount: 0,
          sync: {
            host: 'github.com',
            scheduled: true,
            lastError: 'HTTP 404: Not Found',
          },
        }),
      ),
    });
    await renderEntityView(<EntityGatesContent />, { api });
    expect(
      await screen.findByText(/The last sync failed: HTTP 404: Not Found/),
    ).toBeInTheDocument();
  });

  it('shows the last sync error', async () => {
    const api = mockDualLaneApi({
      getGates: jest.fn().mockResolvedValue(
        gatesResponse({
          sync: {
            host: 'github.com',
            scheduled: true,
            lastError: 'GitHub answered 401 Bad credentials',
          },
        }),
      ),
    });
    await renderEntityView(<EntityGatesContent />, { api });
    expect(
      await screen.findByText('GitHub answered 401 Bad credentials'),
    ).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    const api = mockDualLaneApi({
      getGates: jest.fn().mockRejectedValue(
        await ResponseError.fromResponse(
          new Response(
            JSON.stringify({
              error: {
                name: 'NotAllowedError',
                message: 'Not allowed to read component:default/payments-api',
              },
              response: { statusCode: 403 },
            }),
            {
              status: 403,
              statusText: 'Forbidden',
              headers: { 'content-type': 'application/json' },
            },
          ),
        ),
      ),
    });
    await renderEntityView(<EntityGatesContent />, { api });
    expect(
      await screen.findByText(
        /Not allowed to read component:default\/payments-api/,
      ),
    ).toBeInTheDocument();
  });

  it('loads more pull requests with the cursor and appends them', async () => {
    const api = mockDualLaneApi({
      getGates: jest
        .fn()
        .mockResolvedValueOnce(
          gatesResponse({
            items: [pullRequest(1)],
            totalCount: 2,
            nextCursor: 'next-1',
          }),
        )
        .mockResolvedValueOnce(
          gatesResponse({ items: [pullRequest(2)], totalCount: 2 }),
        ),
    });
    await renderEntityView(<EntityGatesContent />, { api });
    expect(
      await screen.findByText('Showing 1 of 2, most recently updated first.'),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Load more pull requests' }),
    );
    expect(
      await screen.findByRole('group', { name: 'Pull request 2' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('group', { name: 'Pull request 1' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Load more pull requests' }),
    ).not.toBeInTheDocument();
    expect(api.getGates).toHaveBeenLastCalledWith(ref, {
      limit: GATES_PAGE_SIZE,
      cursor: 'next-1',
      state: undefined,
    });
  });

  it('filters by state and starts again from the first page', async () => {
    const api = mockDualLaneApi({
      getGates: jest
        .fn()
        .mockResolvedValueOnce(gatesResponse())
        .mockResolvedValueOnce(gatesResponse({ items: [], totalCount: 0 })),
    });
    await renderEntityView(<EntityGatesContent />, { api });
    await screen.findByRole('group', { name: 'Pull request 42' });
    await userEvent.click(screen.getByRole('radio', { name: 'Merged' }));
    expect(
      await screen.findByText('No merged pull requests'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(api.getGates).toHaveBeenLastCalledWith(ref, {
        limit: GATES_PAGE_SIZE,
        cursor: undefined,
        state: 'merged',
      }),
    );
  });
});
