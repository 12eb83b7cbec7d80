import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { entityComplianceResponse } from '../../__testUtils__/fixtures';
import { mockDualLaneApi } from '../../__testUtils__/mockApi';
import { renderEntityView } from '../../__testUtils__/renderEntityView';
import { EntityComplianceCard } from './EntityComplianceCard';
import { waiverDurations, waiverExpiry } from './WaiverDialog';

const anyRef = expect.objectContaining({
  kind: 'Component',
  namespace: 'default',
});

describe('EntityComplianceCard', () => {
  it('shows a progress bar while loading', async () => {
    const api = mockDualLaneApi({
      getEntityCompliance: jest.fn().mockReturnValue(new Promise(() => {})),
    });
    await renderEntityView(<EntityComplianceCard />, { api });
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
  });

  it('shows the verdict, its reasons and every criterion explained', async () => {
    const api = mockDualLaneApi({
      getEntityCompliance: jest
        .fn()
        .mockResolvedValue(entityComplianceResponse()),
    });
    await renderEntityView(<EntityComplianceCard />, { api });
    expect(await screen.findByText('NO-GO')).toBeInTheDocument();
    expect(screen.getByText('1 criterion failing')).toBeInTheDocument();
    expect(
      screen.getByText(
        '• PLAN verdict coverage fails: 90% against ≥95% (1 culprits).',
      ),
    ).toBeInTheDocument();

    const coverage = screen.getByRole('group', {
      name: 'PLAN verdict coverage',
    });
    expect(within(coverage).getByText('no-go')).toBeInTheDocument();
    expect(
      within(coverage).getByText(/Merged without a PLAN verdict: #7/),
    ).toBeInTheDocument();
    expect(within(coverage).getByRole('link', { name: '#7' })).toHaveAttribute(
      'href',
      'https://github.com/acme/payments-api/pull/7',
    );
    expect(within(coverage).getByText(/bar ≥95%/)).toBeInTheDocument();

    const drift = screen.getByRole('group', { name: 'Drift incidents' });
    expect(within(drift).getByText('waived')).toBeInTheDocument();
    expect(within(drift).getByText(/rewriting AGENTS.md/)).toBeInTheDocument();

    expect(screen.getAllByText('go')).toHaveLength(5);
    // The KPI table and the waivers' audit trail.
    expect(screen.getByText('Change failure rate')).toBeInTheDocument();
    expect(screen.getByText('Waivers (1 active)')).toBeInTheDocument();
    expect(screen.getByText('labels migrated by hand')).toBeInTheDocument();
    expect(screen.getByText('expired')).toBeInTheDocument();
  });

  it('warns about ignored threshold annotations', async () => {
    const data = entityComplianceResponse();
    data.thresholds.annotationErrors = [
      "dual-lane/go-no-go.label-accuracy: 'high' is not a number",
    ];
    const api = mockDualLaneApi({
      getEntityCompliance: jest.fn().mockResolvedValue(data),
    });
    await renderEntityView(<EntityComplianceCard />, { api });
    expect(
      await screen.findByText(
        "dual-lane/go-no-go.label-accuracy: 'high' is not a number",
      ),
    ).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    const api = mockDualLaneApi({
      getEntityCompliance: jest
        .fn()
        .mockRejectedValue(new Error('No compliance yet')),
    });
    await renderEntityView(<EntityComplianceCard />, { api });
    expect(
      (await screen.findAllByText(/No compliance yet/)).length,
    ).toBeGreaterThan(0);
  });

  it('re-evaluates now and shows the new verdict', async () => {
    const api = mockDualLaneApi({
      getEntityCompliance: jest
        .fn()
        .mockResolvedValue(entityComplianceResponse()),
      evaluateCompliance: jest.fn().mockResolvedValue(
        entityComplianceResponse({
          verdict: 'go',
          failingCount: 0,
          reasons: ['All 7 criteria pass or are waived.'],
        }),
      ),
    });
    await renderEntityView(<EntityComplianceCard />, { api });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Re-evaluate now' }),
    );
    expect(await screen.findByText('GO')).toBeInTheDocument();
    expect(
      screen.getByText('• All 7 criteria pass or are waived.'),
    ).toBeInTheDocument();
    expect(api.evaluateCompliance).toHaveBeenCalledWith(anyRef);
  });

  it('keeps the verdict on screen and says why when re-evaluation fails', async () => {
    const api = mockDualLaneApi({
      getEntityCompliance: jest
        .fn()
        .mockResolvedValue(entityComplianceResponse()),
      evaluateCompliance: jest
        .fn()
        .mockRejectedValue(new Error('Compliance recompute is busy')),
    });
    await renderEntityView(<EntityComplianceCard />, { api });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Re-evaluate now' }),
    );
    expect(
      await screen.findByText('Re-evaluation failed; showing the last verdict'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Compliance recompute is busy'),
    ).toBeInTheDocument();
    expect(screen.getByText('NO-GO')).toBeInTheDocument();
    expect(
      screen.getByRole('group', { name: 'PLAN verdict coverage' }),
    ).toBeInTheDocument();
  });

  it('creates a waiver for the first failing criterion and reloads', async () => {
    const api = mockDualLaneApi({
      getEntityCompliance: jest
        .fn()
        .mockResolvedValue(entityComplianceResponse()),
      createWaiver: jest.fn().mockResolvedValue({ id: 12 }),
    });
    await renderEntityView(<EntityComplianceCard />, { api });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Add waiver' }),
    );
    const dialog = await screen.findByRole('dialog');
    const create = within(dialog).getByRole('button', {
      name: 'Create waiver',
    });
    expect(create).toBeDisabled();
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'too short',
    );
    expect(
      within(dialog).getByText('Say why, in at least 10 characters.'),
    ).toBeInTheDocument();
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      ' — PLAN bot outage this week',
    );
    await userEvent.click(create);
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.createWaiver).toHaveBeenCalledWith(anyRef, {
      criterion: 'verdict-coverage',
      reason: 'too short — PLAN bot outage this week',
      expiresAt: waiverExpiry(14, new Date(), 90),
    });
    expect(api.getEntityCompliance).toHaveBeenCalledTimes(2);
  });

  it('offers waivers only up to the backend’s maximum', async () => {
    const api = mockDualLaneApi({
      getEntityCompliance: jest
        .fn()
        .mockResolvedValue(entityComplianceResponse({ waiverMaxDays: 7 })),
      createWaiver: jest.fn().mockResolvedValue({ id: 12 }),
    });
    await renderEntityView(<EntityComplianceCard />, { api });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Add waiver' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText(
        /at most 7 days \(dualLane.compliance.waivers.maxDays\)/,
      ),
    ).toBeInTheDocument();
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'The PLAN bot is down this week',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Create waiver' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    // The default 14 days is more than allowed: the maximum is offered instead.
    const sent = api.createWaiver.mock.calls[0][1];
    expect(sent.expiresAt).toBe(waiverExpiry(7, new Date(), 7));
    expect(Date.parse(sent.expiresAt)).toBeLessThanOrEqual(
      Date.now() + 7 * 86_400_000,
    );
  });

  it('keeps the dialog open with the backend’s reason when a waiver is refused', async () => {
    const api = mockDualLaneApi({
      getEntityCompliance: jest
        .fn()
        .mockResolvedValue(entityComplianceResponse()),
      createWaiver: jest
        .fn()
        .mockRejectedValue(new Error('expiresAt: at most 30 days ahead')),
    });
    await renderEntityView(<EntityComplianceCard />, { api });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Add waiver' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'The PLAN bot is down this week',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Create waiver' }),
    );
    expect(
      (await within(dialog).findAllByText(/at most 30 days ahead/)).length,
    ).toBeGreaterThan(0);
  });

  it('revokes an active waiver and reloads', async () => {
    const api = mockDualLaneApi({
      getEntityCompliance: jest
        .fn()
        .mockResolvedValue(entityComplianceResponse()),
      revokeWaiver: jest.fn().mockResolvedValue({ id: 11, active: false }),
    });
    await renderEntityView(<EntityComplianceCard />, { api });
    const waiver = await screen.findByRole('group', { name: 'Waiver 11' });
    await userEvent.click(
      within(waiver).getByRole('button', { name: 'Revoke' }),
    );
    await waitFor(() =>
      expect(api.getEntityCompliance).toHaveBeenCalledTimes(2),
    );
    expect(api.revokeWaiver).toHaveBeenCalledWith(anyRef, 11);
    // The expired waiver cannot be revoked.
    expect(
      within(screen.getByRole('group', { name: 'Waiver 10' })).queryByRole(
        'button',
      ),
    ).not.toBeInTheDocument();
  });

  it('hides the actions from users without the permissions', async () => {
    const api = mockDualLaneApi({
      getEntityCompliance: jest
        .fn()
        .mockResolvedValue(entityComplianceResponse()),
    });
    const view = await renderEntityView(<EntityComplianceCard />, {
      api,
      allow: false,
    });
    await screen.findByText('NO-GO');
    await view.decided('dual-lane.compliance.evaluate');
    await view.decided('dual-lane.waiver.manage');
    expect(
      screen.queryByRole('button', { name: 'Re-evaluate now' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Add waiver' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Revoke' }),
    ).not.toBeInTheDocument();
  });

  it('offers waivers but not re-evaluation to users who may only manage waivers', async () => {
    const api = mockDualLaneApi({
      getEntityCompliance: jest
        .fn()
        .mockResolvedValue(entityComplianceResponse()),
    });
    const view = await renderEntityView(<EntityComplianceCard />, {
      api,
      allow: name => name === 'dual-lane.waiver.manage',
    });
    expect(
      await screen.findByRole('button', { name: 'Add waiver' }),
    ).toBeInTheDocument();
    await view.decided('dual-lane.compliance.evaluate');
    expect(
      screen.queryByRole('button', { name: 'Re-evaluate now' }),
    ).not.toBeInTheDocument();
  });
});

describe('waiver durations', () => {
  it('offers the usual durations below the maximum and the maximum itself', () => {
    expect(waiverDurations(90)).toEqual([1, 7, 14, 30, 60, 90]);
    expect(waiverDurations(45)).toEqual([1, 7, 14, 30, 45]);
    expect(waiverDurations(1)).toEqual([1]);
  });

  it('ends a waiver at the end of the UTC day, but never past the maximum', () => {
    const now = new Date('2026-11-20T12:00:00Z');
    expect(waiverExpiry(14, now)).toBe('2026-12-04T23:59:59Z');
    expect(waiverExpiry(14, now, 90)).toBe('2026-12-04T23:59:59Z');
    // 7 days from noon is the 27th at noon: the end of the 27th is too late.
    expect(waiverExpiry(7, now, 7)).toBe('2026-11-26T23:59:59Z');
    expect(waiverExpiry(1, new Date('2026-11-20T00:00:00Z'), 1)).toBe(
      '2026-11-20T23:59:59Z',
    );
  });
});
