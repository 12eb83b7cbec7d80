import { GoNoGoCriterionId } from './criteria';
import { emptyRepositoryFacts } from './computeKpis';
import { CriterionResult, evaluateCompliance, WaiverFacts } from './evaluate';
import { RepositoryFacts } from './kpiTypes';
import { DEFAULT_GO_NO_GO_THRESHOLDS, GoNoGoThresholds } from './thresholds';
import {
  goodFacts,
  goodPr,
  kpisOf,
  NOW,
  withArtifacts,
} from './__testUtils__/facts';

function evaluate(
  facts: RepositoryFacts,
  overrides: Partial<GoNoGoThresholds> = {},
  waivers: WaiverFacts[] = [],
) {
  return evaluateCompliance({
    kpis: kpisOf(facts),
    thresholds: { ...DEFAULT_GO_NO_GO_THRESHOLDS, ...overrides },
    waivers,
    now: NOW,
  });
}

function criterion(
  facts: RepositoryFacts,
  id: GoNoGoCriterionId,
  overrides: Partial<GoNoGoThresholds> = {},
): CriterionResult {
  return evaluate(facts, overrides).criteria.find(c => c.criterion === id)!;
}

/** 100 merged PRs of which `withVerdict` have a verdict. */
function verdicts(withVerdict: number) {
  const facts = goodFacts(100);
  facts.pullRequests.forEach((pr, i) => {
    pr.verdicts = i < withVerdict ? 1 : 0;
  });
  return facts;
}

describe('evaluateCompliance', () => {
  it('is go when every criterion passes', () => {
    const result = evaluate(goodFacts());
    expect(result.verdict).toBe('go');
    expect(result.failingCount).toBe(0);
    expect(result.criteria.map(c => c.status)).toEqual(Array(7).fill('pass'));
    expect(result.reasons).toEqual(['All 7 criteria pass.']);
  });

  describe('verdict-coverage (≥95%)', () => {
    it('passes at the threshold', () => {
      const c = criterion(verdicts(95), 'verdict-coverage');
      expect(c).toMatchObject({ status: 'pass', value: 95, gap: 0 });
      expect(c.explanation).toBe(
        '95%: 95 of 100 pull requests merged in the last 30 days; the bar is ≥95%.',
      );
    });
    it('fails just under it, naming the pull requests without a verdict', () => {
      const c = criterion(verdicts(94), 'verdict-coverage');
      expect(c).toMatchObject({ status: 'fail', value: 94, gap: 1 });
      expect(c.culprits.total).toBe(6);
      expect(c.culprits.pullRequests!.map(p => p.number)).toEqual([
        95, 96, 97, 98, 99, 100,
      ]);
      expect(c.explanation).toContain('1 percentage points short');
      expect(c.explanation).toContain(
        'Merged without a PLAN verdict: #95, #96, #97, #98, #99, #100.',
      );
    });
    it('passes just over it', () => {
      expect(criterion(verdicts(96), 'verdict-coverage').status).toBe('pass');
    });
    it('compares the exact ratio, not a rounded percentage', () => {
      // 1899/2000 = 94.95% rounds to 94.95 but is under 95.
      const facts = goodFacts(2000);
      facts.pullRequests.forEach((pr, i) => {
        pr.verdicts = i < 1899 ? 1 : 0;
      });
      expect(criterion(facts, 'verdict-coverage')).toMatchObject({
        status: 'fail',
        gap: 0.05,
      });
    });
    it('has no data when nothing was merged in the window', () => {
      const facts = goodFacts(3);
      facts.pullRequests.forEach(pr => {
        pr.state = 'open';
        pr.mergedAt = undefined;
      });
      const c = criterion(facts, 'verdict-coverage');
      expect(c).toMatchObject({ status: 'no-data', value: null, gap: null });
      expect(c.explanation).toBe(
        'No pull request was merged in the last 30 days. The bar is ≥95%.',
      );
    });
  });

  describe('rework-cycles (≤2 per PR)', () => {
    const withRounds = (rounds: number) => {
      const facts = goodFacts(5);
      facts.pullRequests[3].rounds = rounds;
      return facts;
    };
    it('passes at the threshold (3 rounds = 2 rework cycles)', () => {
      expect(criterion(withRounds(3), 'rework-cycles')).toMatchObject({
        status: 'pass',
        value: 2,
      });
    });
    it('passes just under it', () => {
      expect(criterion(withRounds(2), 'rework-cycles')).toMatchObject({
        status: 'pass',
        value: 1,
      });
    });
    it('fails just over it, naming the pull request', () => {
      const c = criterion(withRounds(4), 'rework-cycles');
      expect(c).toMatchObject({ status: 'fail', value: 3, gap: 1 });
      expect(c.culprits).toEqual({
        total: 1,
        pullRequests: [
          { number: 4, title: 'Change 4', detail: '3 rework cycles' },
        ],
      });
      expect(c.explanation).toContain('1 over the limit');
    });
    it('follows an overridden threshold', () => {
      expect(
        criterion(withRounds(4), 'rework-cycles', { 'rework-cycles': 3 })
          .status,
      ).toBe('pass');
    });
  });

  describe.each([
    [
      'artifacts-signed',
      (n: number, bad: number) => withArtifacts(goodFacts(), n, bad, 0),
    ],
    [
      'provenance-verified',
      (n: number, bad: number) => withArtifacts(goodFacts(), n, 0, bad),
    ],
  ] as const)('%s (100%%)', (id, make) => {
    it('passes at 100%', () => {
      expect(criterion(make(10, 0), id)).toMatchObject({
        status: 'pass',
        value: 100,
      });
    });
    it('fails just under it, naming the artifacts', () => {
      const c = criterion(make(1000, 1), id);
      expect(c).toMatchObject({ status: 'fail', value: 99.9, gap: 0.1 });
      expect(c.culprits.artifacts).toEqual([
        {
          digest: `sha256:${'0'.repeat(64)}`,
          name: 'artifact-0.tar.gz',
          outcome: 'failed',
        },
      ]);
      expect(c.explanation).toContain(
        'artifact-0.tar.gz (sha256:000000000000…)',
      );
    });
    it('at, under and over a lowered threshold of 90%', () => {
      expect(criterion(make(10, 1), id, { [id]: 90 }).status).toBe('pass');
      expect(criterion(make(10, 2), id, { [id]: 90 }).status).toBe('fail');
      expect(criterion(make(10, 0), id, { [id]: 90 }).status).toBe('pass');
    });
    it('has no data without artifacts', () => {
      const c = criterion(make(0, 0), id);
      expect(c.status).toBe('no-data');
      expect(c.explanation).toBe(
        'No artifact was recorded in the last 30 days. The bar is ≥100%.',
      );
    });
  });

  describe('negative-tests-blocked (≥1 in production)', () => {
    const observed = (blocked: string[], notBlocked: string[] = []) => {
      const facts = goodFacts();
      facts.negativeTests = [
        ...blocked.map(testName => ({ testName, blocked: true })),
        ...notBlocked.map(testName => ({ testName, blocked: false })),
      ].map(t => ({
        ...t,
        environment: 'production' as const,
        commitSha: 'c'.repeat(40),
        observedAt: '2026-11-22T00:00:00.000Z',
      }));
      return facts;
    };
    it('passes at the threshold', () => {
      expect(
        criterion(observed(['unsigned-image']), 'negative-tests-blocked'),
      ).toMatchObject({
        status: 'pass',
        value: 1,
      });
    });
    it('fails under it, naming the test that got through', () => {
      const c = criterion(
        observed([], ['policy-tampering']),
        'negative-tests-blocked',
      );
      expect(c).toMatchObject({ status: 'fail', value: 0, gap: 1 });
      expect(c.culprits.negativeTests!.map(t => t.testName)).toEqual([
        'policy-tampering',
      ]);
      expect(c.explanation).toContain(
        'Not blocked in production: policy-tampering.',
      );
    });
    it('passes over it', () => {
      expect(
        criterion(
          observed(['unsigned-image', 'provenance-replay']),
          'negative-tests-blocked',
        ).value,
      ).toBe(2);
    });
    it('counts only production: blocked in staging is no data', () => {
      const facts = goodFacts();
      facts.negativeTests = [
        { ...facts.negativeTests[0], environment: 'staging' },
      ];
      const c = criterion(facts, 'negative-tests-blocked');
      expect(c.status).toBe('no-data');
      expect(c.explanation).toContain('(blocked elsewhere: unsigned-image)');
    });
  });

  describe('drift-incidents (0)', () => {
    const incidents = (n: number) => {
      const facts = goodFacts();
      facts.drift.incidents = Array.from({ length: n }, (_, i) => ({
        id: i + 1,
        commitSha: 'd'.repeat(40),
        detectedAt: '2026-11-10T00:00:00.000Z',
        resolvedAt: i === 0 ? '2026-11-11T00:00:00.000Z' : undefined,
        differences: 2,
      }));
      return facts;
    };
    it('passes at 0', () => {
      expect(criterion(incidents(0), 'drift-incidents')).toMatchObject({
        status: 'pass',
        value: 0,
      });
    });
    it('fails just over it, counting an incident resolved within the window', () => {
      const c = criterion(incidents(1), 'drift-incidents');
      expect(c).toMatchObject({ status: 'fail', value: 1, gap: 1 });
      expect(c.explanation).toContain(
        '#1 at ddddddd (2 differences, resolved 2026-11-11)',
      );
    });
    it('at, under and over a threshold of 1', () => {
      expect(
        criterion(incidents(0), 'drift-incidents', { 'drift-incidents': 1 })
          .status,
      ).toBe('pass');
      expect(
        criterion(incidents(1), 'drift-incidents', { 'drift-incidents': 1 })
          .status,
      ).toBe('pass');
      expect(
        criterion(incidents(2), 'drift-incidents', { 'drift-incidents': 1 })
          .status,
      ).toBe('fail');
    });
    it('has no data before the files were compared', () => {
      const facts = goodFacts();
      facts.drift = { incidents: [], lastError: '404 on the default branch' };
      const c = criterion(facts, 'drift-incidents');
      expect(c.status).toBe('no-data');
      expect(c.explanation).toContain(
        'could not be read: 404 on the default branch',
      );
    });
  });

  describe('label-accuracy (100%)', () => {
    const labelled = (wrong: number, total = 50) => {
      const facts = goodFacts(total);
      facts.pullRequests.slice(0, wrong).forEach(pr => {
        pr.laneLabels = ['plan-review', 'plan-approved'];
      });
      return facts;
    };
    it('passes at 100%', () => {
      expect(criterion(labelled(0), 'label-accuracy').status).toBe('pass');
    });
    it('fails just under it; an extra lane label is inaccurate', () => {
      const c = criterion(labelled(1), 'label-accuracy');
      expect(c).toMatchObject({ status: 'fail', value: 98, gap: 2 });
      expect(c.culprits.pullRequests).toEqual([
        {
          number: 1,
          title: 'Change 1',
          detail:
            "expected 'plan-approved', carries 'plan-review', 'plan-approved'",
        },
      ]);
    });
    it('at, under and over a threshold of 98%', () => {
      expect(
        criterion(labelled(1), 'label-accuracy', { 'label-accuracy': 98 })
          .status,
      ).toBe('pass');
      expect(
        criterion(labelled(2), 'label-accuracy', { 'label-accuracy': 98 })
          .status,
      ).toBe('fail');
      expect(
        criterion(labelled(0), 'label-accuracy', { 'label-accuracy': 98 })
          .status,
      ).toBe('pass');
    });
    it('skips pull requests without a derived lane state', () => {
      const facts = goodFacts(2);
      facts.pullRequests.forEach(pr => {
        pr.expectedLabel = undefined;
      });
      expect(criterion(facts, 'label-accuracy').status).toBe('no-data');
    });
  });

  describe('verdict', () => {
    it('is no-data, not go, for an entity without pull requests', () => {
      const result = evaluate(emptyRepositoryFacts());
      expect(result.verdict).toBe('no-data');
      expect(result.failingCount).toBe(0);
      expect(result.reasons[0]).toBe(
        'No pull request was active in the last 30 days.',
      );
      expect(
        result.criteria
          .filter(c => c.status === 'no-data')
          .map(c => c.criterion),
      ).toEqual([
        'verdict-coverage',
        'rework-cycles',
        'artifacts-signed',
        'provenance-verified',
        'negative-tests-blocked',
        'drift-incidents',
        'label-accuracy',
      ]);
    });

    it('is no-go when something fails even without pull requests', () => {
      const facts = withArtifacts(emptyRepositoryFacts(), 2, 1, 0);
      expect(evaluate(facts).verdict).toBe('no-go');
    });

    it('is no-data when every criterion with data passes but one has none', () => {
      const facts = withArtifacts(goodFacts(), 0, 0, 0);
      const result = evaluate(facts);
      expect(result.verdict).toBe('no-data');
      expect(result.reasons).toEqual([
        'Artifacts signed has no data.',
        'Provenance verified has no data.',
      ]);
    });

    it('is no-go with a failing criterion and lists each failure', () => {
      const result = evaluate(withArtifacts(verdicts(90), 10, 1, 0));
      expect(result.verdict).toBe('no-go');
      expect(result.failingCount).toBe(2);
      expect(result.reasons).toEqual([
        'PLAN verdict coverage fails: 90% against ≥95% (10 culprits).',
        'Artifacts signed fails: 90% against ≥100% (1 culprits).',
      ]);
    });
  });

  describe('waivers', () => {
    const waiver = (overrides: Partial<WaiverFacts> = {}): WaiverFacts => ({
      id: 7,
      criterion: 'verdict-coverage',
      reason: 'PLAN reviews moved to the new bot this sprint',
      createdBy: 'user:default/lead',
      expiresAt: '2026-12-01T00:00:00.000Z',
      ...overrides,
    });

    it('turn a failing criterion into waived, which counts as passing', () => {
      const result = evaluate(verdicts(90), {}, [waiver()]);
      const c = result.criteria[0];
      expect(c).toMatchObject({
        status: 'waived',
        measuredStatus: 'fail',
        value: 90,
      });
      expect(c.waiver).toEqual({
        id: 7,
        reason: 'PLAN reviews moved to the new bot this sprint',
        createdBy: 'user:default/lead',
        expiresAt: '2026-12-01T00:00:00.000Z',
      });
      expect(c.explanation).toMatch(
        /^Waived until 2026-12-01T00:00:00.000Z by user:default\/lead/,
      );
      expect(result.verdict).toBe('go');
      expect(result.reasons).toEqual(['All 7 criteria pass or are waived.']);
      expect(result.nextChangeAt).toBe('2026-12-01T00:00:00.000Z');
    });

    it('stop counting once expired, by themselves', () => {
      const result = evaluate(verdicts(90), {}, [
        waiver({ expiresAt: NOW.toISOString() }),
      ]);
      expect(result.criteria[0].status).toBe('fail');
      expect(result.verdict).toBe('no-go');
      expect(result.nextChangeAt).toBeUndefined();
    });

    it('do not count once revoked', () => {
      const result = evaluate(verdicts(90), {}, [
        waiver({ revokedAt: '2026-11-25T00:00:00.000Z' }),
      ]);
      expect(result.verdict).toBe('no-go');
    });

    it('only cover their own criterion', () => {
      const result = evaluate(verdicts(90), {}, [
        waiver({ criterion: 'label-accuracy' }),
      ]);
      expect(result.verdict).toBe('no-go');
      expect(result.criteria[6].status).toBe('pass');
      expect(result.criteria[6].waiver?.id).toBe(7);
    });

    it('cover a criterion without data', () => {
      const facts = withArtifacts(goodFacts(), 0, 0, 0);
      const result = evaluate(facts, {}, [
        waiver({ criterion: 'artifacts-signed' }),
        waiver({ id: 8, criterion: 'provenance-verified' }),
      ]);
      expect(result.verdict).toBe('go');
    });
  });

  it('records where each threshold came from', () => {
    const result = evaluateCompliance({
      kpis: kpisOf(goodFacts()),
      thresholds: { ...DEFAULT_GO_NO_GO_THRESHOLDS, 'verdict-coverage': 90 },
      thresholdSources: { 'verdict-coverage': 'annotation' },
      now: NOW,
    });
    expect(result.criteria[0]).toMatchObject({
      threshold: 90,
      thresholdSource: 'annotation',
    });
    expect(result.criteria[1].thresholdSource).toBe('default');
  });

  it('ignores pull requests merged before the window', () => {
    const facts = goodFacts(1);
    facts.pullRequests.push(
      goodPr(2, { verdicts: 0, mergedAt: '2026-10-01T00:00:00.000Z' }),
    );
    expect(criterion(facts, 'verdict-coverage')).toMatchObject({
      status: 'pass',
      value: 100,
    });
  });
});
