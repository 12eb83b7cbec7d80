import {
  computeComplianceKpis,
  emptyRepositoryFacts,
  kpiPercentile,
  labelAccurate,
} from './computeKpis';
import { goodFacts, goodPr, kpisOf, WINDOW } from './__testUtils__/facts';

describe('computeComplianceKpis', () => {
  it('interpolates percentiles like percentile_cont', () => {
    expect(kpiPercentile([], 0.5)).toBeNull();
    expect(kpiPercentile([10], 0.9)).toBe(10);
    expect(kpiPercentile([10, 20, 30, 40], 0.5)).toBe(25);
    expect(kpiPercentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9.1);
  });

  it('times [CODEX-READY] → open over pull requests opened in the window', () => {
    const facts = emptyRepositoryFacts();
    facts.pullRequests = [
      goodPr(1, { codexReadyAt: '2026-11-20T09:50:00.000Z' }), // 10 min
      goodPr(2, { codexReadyAt: '2026-11-20T09:30:00.000Z' }), // 30 min
      goodPr(3, { codexReadyAt: '2026-11-20T08:00:00.000Z' }), // 120 min
      goodPr(4, { codexReadyAt: undefined }),
      // Opened before the window (merged in it): not timed.
      goodPr(5, {
        createdAt: '2026-10-01T00:00:00.000Z',
        codexReadyAt: '2026-09-30T00:00:00.000Z',
      }),
    ];
    expect(kpisOf(facts).timeToPullRequest).toEqual({
      samples: 3,
      medianMinutes: 30,
      p90Minutes: 102,
    });
  });

  it('counts verdicts, required checks and change failures over merges in the window', () => {
    const facts = emptyRepositoryFacts();
    facts.pullRequests = [
      goodPr(1),
      goodPr(2, { verdicts: 0, requiredChecks: { required: 4, passing: 3 } }),
      goodPr(3, { state: 'open', mergedAt: undefined, verdicts: 0 }),
      goodPr(4, {
        title: 'Revert "Change 1"',
        headRef: 'revert-1-feature/change-1',
      }),
      goodPr(5, {
        createdAt: '2026-10-15T00:00:00.000Z',
        mergedAt: '2026-10-20T00:00:00.000Z',
        verdicts: 0,
      }),
    ];
    facts.reverts = [
      {
        number: 4,
        title: 'Revert "Change 1"',
        headRef: 'revert-1-feature/change-1',
        mergedAt: '2026-11-22T00:00:00.000Z',
      },
    ];
    const kpis = kpisOf(facts);
    expect(kpis.pullRequests).toEqual({ active: 5, opened: 4, merged: 3 });
    expect(kpis.verdictCoverage).toMatchObject({
      merged: 3,
      withVerdict: 2,
      percent: 66.67,
    });
    expect(kpis.verdictCoverage.withoutVerdict).toEqual({
      total: 1,
      items: [{ number: 2, title: 'Change 2' }],
    });
    expect(kpis.requiredChecks).toMatchObject({
      required: 4,
      evaluated: 3,
      allPassing: 2,
      percentAllPassing: 66.67,
      medianPassing: 4,
    });
    // The revert is not a deployment; one of two deployments was reverted.
    expect(kpis.changeFailure).toMatchObject({
      deployments: 2,
      failed: 1,
      percent: 50,
    });
    expect(kpis.changeFailure.failures.items).toEqual([
      { number: 1, title: 'Change 1', revertedBy: 4 },
    ]);
  });

  it('keeps a rework distribution and the most reworked first', () => {
    const facts = emptyRepositoryFacts();
    facts.pullRequests = [
      goodPr(1, { rounds: 0 }),
      goodPr(2, { rounds: 1 }),
      goodPr(3, { rounds: 3 }),
      goodPr(4, { rounds: 4 }),
    ];
    const { rework } = kpisOf(facts);
    expect(rework).toMatchObject({
      pullRequests: 4,
      total: 5,
      mean: 1.25,
      max: 3,
    });
    expect(rework.distribution).toEqual({ '0': 2, '2': 1, '3': 1 });
    expect(rework.reworked.items.map(p => p.number)).toEqual([4, 3]);
  });

  it('caps culprit lists but keeps their totals', () => {
    const facts = goodFacts(40);
    facts.pullRequests.forEach(pr => {
      pr.verdicts = 0;
    });
    const kpis = computeComplianceKpis(facts, WINDOW, 5);
    expect(kpis.verdictCoverage.withoutVerdict.total).toBe(40);
    expect(
      kpis.verdictCoverage.withoutVerdict.items.map(p => p.number),
    ).toEqual([1, 2, 3, 4, 5]);
  });

  it('counts distinct negative tests blocked, in production and anywhere', () => {
    const facts = goodFacts();
    const base = {
      commitSha: 'e'.repeat(40),
      observedAt: '2026-11-22T00:00:00.000Z',
    };
    facts.negativeTests = [
      {
        ...base,
        testName: 'unsigned-image',
        environment: 'production',
        blocked: true,
      },
      { ...base, testName: 'unsigned-image', environment: 'ci', blocked: true },
      {
        ...base,
        testName: 'non-digest-image',
        environment: 'ci',
        blocked: true,
      },
      {
        ...base,
        testName: 'policy-tampering',
        environment: 'staging',
        blocked: false,
      },
    ];
    expect(kpisOf(facts).negativeTests).toMatchObject({
      known: 4,
      blockedInProduction: ['unsigned-image'],
      blocked: ['non-digest-image', 'unsigned-image'],
      productionObservations: 1,
    });
    expect(kpisOf(facts).negativeTests.notBlocked.map(t => t.testName)).toEqual(
      ['policy-tampering'],
    );
  });

  it('separates drift incidents open now from those resolved in the window', () => {
    const facts = goodFacts();
    facts.drift.incidents = [
      {
        id: 1,
        commitSha: 'a'.repeat(40),
        detectedAt: '2026-11-01T00:00:00.000Z',
        resolvedAt: '2026-11-02T00:00:00.000Z',
        differences: 1,
      },
      {
        id: 2,
        commitSha: 'b'.repeat(40),
        detectedAt: '2026-11-20T00:00:00.000Z',
        differences: 3,
      },
    ];
    const { drift } = kpisOf(facts);
    expect(drift).toMatchObject({ checked: true, inWindow: 2, openNow: 1 });
    expect(drift.incidents.items.map(i => i.id)).toEqual([2, 1]);
  });
});

describe('label accuracy of finished pull requests', () => {
  it('does not count a pull request closed without merging, whatever its labels', () => {
    const facts = emptyRepositoryFacts();
    facts.pullRequests = [
      goodPr(1),
      goodPr(2, {
        state: 'closed',
        mergedAt: undefined,
        closedAt: '2026-11-21T10:00:00.000Z',
        // A derived label stored before the rule existed changes nothing.
        expectedLabel: 'claude-enforcing',
        laneLabels: ['plan-review'],
        requiredChecks: undefined,
      }),
    ];
    expect(kpisOf(facts).labelAccuracy).toMatchObject({ checked: 1, accurate: 1, percent: 100 });
    expect(labelAccurate(facts.pullRequests[1])).toBeUndefined();
  });

  it('judges a merged pull request by its derived label, unless it merged without all gates passing', () => {
    const facts = emptyRepositoryFacts();
    facts.pullRequests = [
      goodPr(1, { laneLabels: ['plan-review'] }),
      goodPr(2, {
        expectedLabel: 'claude-enforcing',
        laneLabels: ['plan-approved'],
        requiredChecks: { required: 4, passing: 3 },
      }),
    ];
    const kpis = kpisOf(facts);
    expect(kpis.labelAccuracy).toMatchObject({ checked: 1, accurate: 0 });
    expect(kpis.labelAccuracy.inaccurate.items.map(i => i.number)).toEqual([1]);
    // The gate that did not pass is the required-checks KPI's finding.
    expect(kpis.requiredChecks.notAllPassing.items.map(i => i.number)).toEqual([2]);
  });
});
