import { kpiIndicators } from './indicators';
import { DEFAULT_GO_NO_GO_THRESHOLDS } from './thresholds';
import { goodFacts, goodPr, kpisOf } from './__testUtils__/facts';

describe('kpiIndicators', () => {
  it("reproduces the seed's KPI table with targets and status", () => {
    const facts = goodFacts(2);
    facts.pullRequests.push(
      goodPr(3, {
        requiredChecks: { required: 4, passing: 1 },
        codexReadyAt: '2026-11-20T09:00:00.000Z',
      }),
    );
    const rows = kpiIndicators(kpisOf(facts), DEFAULT_GO_NO_GO_THRESHOLDS);
    expect(rows.map(r => [r.id, r.current, r.target, r.status])).toEqual([
      [
        'time-to-pull-request',
        'median 15 min, p90 51 min (3 PRs)',
        '<30 minutes',
        'pass',
      ],
      [
        'required-checks',
        '4/4 (median); 2 of 3 merges with all passing',
        '4/4 required',
        'fail',
      ],
      ['negative-tests', '1/4 (1 in production)', '4/4', 'fail'],
      ['rework-cycles', 'mean 0, max 0', '≤2', 'pass'],
      ['provenance-coverage', '100% (10/10)', '≥100%', 'pass'],
      ['change-failure-rate', '0% (0/3 reverted)', '<5%', 'pass'],
      ['label-accuracy', '100% (2/2)' /* #3 merged with 1/4 gates: conformance, not labels */, '≥100%', 'pass'],
      ['verdict-coverage', '100% (3/3)', '≥95%', 'pass'],
    ]);
  });
});
