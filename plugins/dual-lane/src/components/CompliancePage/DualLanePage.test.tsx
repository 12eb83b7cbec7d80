import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import { dualLaneApiRef } from '../../api';
import { complianceList, rollups } from '../../__testUtils__/fixtures';
import { mockDualLaneApi } from '../../__testUtils__/mockApi';
import { DualLanePage } from './DualLanePage';

describe('DualLanePage (legacy frontend system)', () => {
  it('brings its own header around the compliance page', async () => {
    const api = mockDualLaneApi({
      listCompliance: jest.fn().mockResolvedValue(complianceList([])),
      getComplianceRollups: jest.fn(async ({ by }) => rollups(by, [])),
      getComplianceCriteria: jest.fn().mockResolvedValue({
        windowDays: 30,
        annotationOverrides: 'any',
        criteria: [],
      }),
    });
    await renderInTestApp(<DualLanePage />, {
      apis: [[dualLaneApiRef, api], mockApis.permission()],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    expect(
      await screen.findByRole('heading', { name: 'Dual-lane compliance' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No dual-lane entities yet'),
    ).toBeInTheDocument();
  });
});
