import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { artifact, supplyChainResponse } from '../../__testUtils__/fixtures';
import { mockDualLaneApi } from '../../__testUtils__/mockApi';
import { renderEntityView } from '../../__testUtils__/renderEntityView';
import {
  ARTIFACTS_PAGE_SIZE,
  EntitySupplyChainContent,
} from './EntitySupplyChainContent';

describe('EntitySupplyChainContent', () => {
  it('shows a progress bar while loading', async () => {
    const api = mockDualLaneApi({
      getSupplyChain: jest.fn().mockReturnValue(new Promise(() => {})),
    });
    await renderEntityView(<EntitySupplyChainContent />, { api });
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
  });

  it('shows each check with its reason, signer, log index, SLSA level and SBOM', async () => {
    const api = mockDualLaneApi({
      getSupplyChain: jest.fn().mockResolvedValue(supplyChainResponse()),
    });
    await renderEntityView(<EntitySupplyChainContent />, { api });
    const card = await screen.findByRole('group', {
      name: 'Artifact artifact-1.tar.gz',
    });
    expect(within(card).getAllByText('failed').length).toBeGreaterThan(0);
    expect(within(card).getByText('verified')).toBeInTheDocument();
    expect(
      within(card).getByText(
        'provenance subject digest does not match the artifact',
      ),
    ).toBeInTheDocument();
    expect(
      within(card).getByText(
        'https://github.com/acme/payments-api/.github/workflows/release.yml@refs/heads/main',
      ),
    ).toBeInTheDocument();
    expect(within(card).getByText('123456')).toBeInTheDocument();
    expect(within(card).getByText('L3')).toBeInTheDocument();
    // An artifact bundle's SBOM check: none recorded, with the summary shown.
    expect(within(card).getByText('not checked')).toBeInTheDocument();
    expect(within(card).getByText('12, 2 direct')).toBeInTheDocument();
    expect(within(card).getByText('MIT (10)')).toBeInTheDocument();
    expect(within(card).getByText('Missing: rollback.sql')).toBeInTheDocument();
  });

  it('shows policy versions, the tampered one, and which version the policy gate used', async () => {
    const api = mockDualLaneApi({
      getSupplyChain: jest.fn().mockResolvedValue(supplyChainResponse()),
    });
    await renderEntityView(<EntitySupplyChainContent />, { api });
    expect(await screen.findByText('policies v3')).toBeInTheDocument();
    expect(screen.getAllByText('tampered').length).toBeGreaterThan(0);
    expect(
      screen.getByText('bundle digest differs from the signed digest'),
    ).toBeInTheDocument();
    expect(screen.getByText('last used by the gate')).toBeInTheDocument();
    expect(
      screen.getByText(
        /'Policy Verification \/ Validate Policy Bundle' last ran on aaaaaaa/,
      ),
    ).toBeInTheDocument();
  });

  it('warns when the policy gate ran against an unknown bundle', async () => {
    const data = supplyChainResponse();
    data.policyGate = { ...data.policyGate!, policyVersion: undefined };
    const api = mockDualLaneApi({
      getSupplyChain: jest.fn().mockResolvedValue(data),
    });
    await renderEntityView(<EntitySupplyChainContent />, { api });
    expect(
      await screen.findByText(/No recorded policy version has that digest/),
    ).toBeInTheDocument();
  });

  it('explains how to get artifacts in when there are none', async () => {
    const api = mockDualLaneApi({
      getSupplyChain: jest.fn().mockResolvedValue(
        supplyChainResponse({
          artifacts: [],
          policyVersions: [],
          policyGate: undefined,
        }),
      ),
    });
    await renderEntityView(<EntitySupplyChainContent />, { api });
    expect(
      await screen.findByText('No artifacts recorded yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/artifact.tar.gz with its .sigstore.json bundle/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/POST both to\s+\/api\/dual-lane\/ingest\/artifacts/),
    ).toBeInTheDocument();
    expect(screen.getByText('No policy bundles recorded')).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    const api = mockDualLaneApi({
      getSupplyChain: jest
        .fn()
        .mockRejectedValue(new Error('Entity has no repository')),
    });
    await renderEntityView(<EntitySupplyChainContent />, { api });
    expect(
      (await screen.findAllByText(/Entity has no repository/)).length,
    ).toBeGreaterThan(0);
  });

  it('shows artifacts a page at a time', async () => {
    const many = Array.from({ length: ARTIFACTS_PAGE_SIZE + 2 }, (_, i) =>
      artifact(i + 1),
    );
    const api = mockDualLaneApi({
      getSupplyChain: jest
        .fn()
        .mockResolvedValue(supplyChainResponse({ artifacts: many })),
    });
    await renderEntityView(<EntitySupplyChainContent />, { api });
    expect(
      await screen.findByText(
        `Showing ${ARTIFACTS_PAGE_SIZE} of ${many.length}, newest first.`,
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('group', {
        name: `Artifact artifact-${many.length}.tar.gz`,
      }),
    ).not.toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Show more artifacts' }),
    );
    expect(
      screen.getByRole('group', {
        name: `Artifact artifact-${many.length}.tar.gz`,
      }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Show more artifacts' }),
    ).not.toBeInTheDocument();
  });

  it('re-verifies, shows what changed, and reloads', async () => {
    let finish: (value: unknown) => void = () => {};
    const api = mockDualLaneApi({
      getSupplyChain: jest.fn().mockResolvedValue(supplyChainResponse()),
      reverify: jest.fn().mockReturnValue(
        new Promise(resolve => {
          finish = resolve;
        }),
      ),
    });
    await renderEntityView(<EntitySupplyChainContent />, { api });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Re-verify' }),
    );
    expect(
      await screen.findByText('Re-verifying every artifact and policy bundle…'),
    ).toBeInTheDocument();
    finish({
      entityRef: 'component:default/payments-api',
      reverified: 3,
      currentPolicyHash: `sha256:${'9'.repeat(64)}`,
      changes: [
        {
          subject: 'artifact',
          id: 1,
          name: 'artifact-1.tar.gz',
          digest: 'sha256:b',
          check: 'provenance',
          before: 'failed',
          after: 'verified',
        },
      ],
    });
    expect(
      await screen.findByText(
        /Re-verified 3 subjects under policy sha256:999999999999…: 1 outcome changed/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/artifact-1.tar.gz \(provenance\): failed →/),
    ).toBeInTheDocument();
    expect(api.reverify).toHaveBeenCalledWith(
      expect.objectContaining({ kind: 'Component', namespace: 'default' }),
    );
    await waitFor(() => expect(api.getSupplyChain).toHaveBeenCalledTimes(2));
  });

  it('shows why a re-verification failed', async () => {
    const api = mockDualLaneApi({
      getSupplyChain: jest.fn().mockResolvedValue(supplyChainResponse()),
      reverify: jest
        .fn()
        .mockRejectedValue(new Error('The trusted root could not be read')),
    });
    await renderEntityView(<EntitySupplyChainContent />, { api });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Re-verify' }),
    );
    expect(
      (await screen.findAllByText(/The trusted root could not be read/)).length,
    ).toBeGreaterThan(0);
  });

  it('hides Re-verify from users without the permission', async () => {
    const api = mockDualLaneApi({
      getSupplyChain: jest.fn().mockResolvedValue(supplyChainResponse()),
    });
    const view = await renderEntityView(<EntitySupplyChainContent />, {
      api,
      allow: name => name !== 'dual-lane.supply-chain.reverify',
    });
    await screen.findByText('policies v3');
    await view.decided('dual-lane.supply-chain.reverify');
    expect(
      screen.queryByRole('button', { name: 'Re-verify' }),
    ).not.toBeInTheDocument();
  });
});
