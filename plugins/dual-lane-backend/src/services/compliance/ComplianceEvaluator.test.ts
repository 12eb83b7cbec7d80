import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Knex } from 'knex';
import { DualLaneStore } from '../../database';
import { ComplianceQueries } from '../../database/ComplianceQueries';
import {
  createTestDatabases,
  createTestStore,
} from '../../__testUtils__/databases';
import { readComplianceConfig } from './complianceConfig';
import { ComplianceEvaluator } from './ComplianceEvaluator';
import { ComplianceNotifier } from './ComplianceNotifier';
import {
  ago,
  GATES,
  NOW,
  seedArtifacts,
  seedGoRepository,
  seedPullRequests,
  seedRepository,
  seedRuntimeEvidence,
} from './__testUtils__/seed';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())('ComplianceEvaluator on %p', id => {
  let knex: Knex;
  let store: DualLaneStore;
  let notifications: { send: jest.Mock };
  let now: Date;

  function evaluator(config: object = {}) {
    return new ComplianceEvaluator({
      store,
      queries: new ComplianceQueries(knex),
      config: readComplianceConfig(new ConfigReader(config)),
      notifier: new ComplianceNotifier({
        notifications: notifications as any,
        logger: mockServices.logger.mock(),
        enabled: true,
        maxPerRun: 10,
      }),
      logger: mockServices.logger.mock(),
      clock: () => now,
    });
  }

  beforeEach(async () => {
    ({ knex, store } = await createTestStore(databases, id));
    notifications = { send: jest.fn().mockResolvedValue(undefined) };
    now = NOW;
  });

  it('is go for a repository that meets the pass bar, with KPIs and a snapshot', async () => {
    await seedGoRepository(store, 'widget', [
      { name: 'widget', owner: 'group:default/team-a' },
    ]);
    const run = await evaluator().evaluateAll();
    expect(run).toMatchObject({ entities: 1, repositories: 1, complete: true });
    const stored = await store.compliance.getEvaluation(
      'component:default/widget',
    );
    expect(stored).toMatchObject({
      verdict: 'go',
      failingCount: 0,
      severity: 0,
      failingMask: 0,
    });
    expect(stored!.kpis.pullRequests).toEqual({
      active: 3,
      opened: 3,
      merged: 3,
    });
    expect(stored!.kpis.requiredChecks).toMatchObject({
      required: 4,
      allPassing: 3,
    });
    expect(stored!.kpis.artifacts).toMatchObject({
      total: 1,
      signed: 1,
      provenanceVerified: 1,
    });
    expect(
      await store.compliance.listKpiSnapshots('component:default/widget'),
    ).toEqual([
      expect.objectContaining({
        day: NOW.toISOString().slice(0, 10),
        verdict: 'go',
      }),
    ]);
    expect(notifications.send).not.toHaveBeenCalled();
  });

  it('explains a no-go with the pull requests and artifacts that caused it', async () => {
    const repositoryId = await seedRepository(store, 'payments', [
      { name: 'payments', owner: 'group:default/team-b' },
    ]);
    await seedPullRequests(store, repositoryId, [
      { number: 1, labels: ['plan-review', 'plan-approved'] },
      { number: 2, verdict: false },
      { number: 3, rounds: 4 },
      // Merged with a gate failing: a required-checks culprit; its labels
      // are not judged (a conformance finding, not a label one).
      {
        number: 4,
        labels: ['plan-review', 'plan-approved'],
        passing: GATES.slice(0, 3),
      },
      {
        number: 5,
        state: 'open',
        expectedLabel: 'claude-enforcing',
        labels: ['claude-enforcing'],
      },
    ]);
    await seedArtifacts(store, repositoryId, [
      { name: 'good.tar.gz', signed: true, provenance: true },
      { name: 'unsigned.tar.gz', signed: false, provenance: false },
    ]);
    await seedRuntimeEvidence(store, repositoryId);
    await evaluator().evaluateAll();
    const stored = (await store.compliance.getEvaluation(
      'component:default/payments',
    ))!;
    expect(stored.verdict).toBe('no-go');
    const byId = Object.fromEntries(stored.criteria.map(c => [c.criterion, c]));
    expect(byId['verdict-coverage']).toMatchObject({
      status: 'fail',
      value: 75,
    });
    expect(
      byId['verdict-coverage'].culprits.pullRequests!.map(p => p.number),
    ).toEqual([2]);
    expect(byId['rework-cycles']).toMatchObject({ status: 'fail', value: 3 });
    expect(byId['artifacts-signed']).toMatchObject({
      status: 'fail',
      value: 50,
    });
    expect(byId['artifacts-signed'].culprits.artifacts).toEqual([
      expect.objectContaining({
        name: 'unsigned.tar.gz',
        outcome: 'failed',
        reason: 'signature did not verify',
      }),
    ]);
    expect(byId['label-accuracy']).toMatchObject({ status: 'fail', value: 75 });
    expect(
      byId['label-accuracy'].culprits.pullRequests!.map(p => p.number),
    ).toEqual([1]);
    expect(byId['negative-tests-blocked'].status).toBe('pass');
    expect(byId['drift-incidents'].status).toBe('pass');
    expect(stored.failingCount).toBe(5);
    expect(stored.kpis.requiredChecks).toMatchObject({
      evaluated: 4,
      allPassing: 3,
    });
    expect(stored.kpis.requiredChecks.notAllPassing.items).toEqual([
      { number: 4, title: 'Change 4', passing: 3, required: 4 },
    ]);
  });

  it('times CODEX-READY → PR open, and counts reverts as change failures', async () => {
    const repositoryId = await seedRepository(store, 'timing', [
      { name: 'timing' },
    ]);
    await seedPullRequests(store, repositoryId, [
      { number: 1, createdAt: ago(5), codexReadyAt: ago(5, 1) },
      {
        number: 2,
        createdAt: ago(5),
        codexReadyAt: ago(5, 3),
        title: 'Add cache',
      },
      {
        number: 3,
        createdAt: ago(2),
        headRef: 'revert-2-feature/change-2',
        title: 'Revert "Add cache"',
        mergedAt: ago(1),
      },
    ]);
    await evaluator().evaluateAll();
    const { kpis } = (await store.compliance.getEvaluation(
      'component:default/timing',
    ))!;
    expect(kpis.timeToPullRequest).toEqual({
      samples: 2,
      medianMinutes: 120,
      p90Minutes: 168,
    });
    expect(kpis.changeFailure).toMatchObject({
      deployments: 2,
      failed: 1,
      percent: 50,
    });
  });

  it('is no-data for an entity without pull requests', async () => {
    await seedRepository(store, 'empty', [{ name: 'empty' }]);
    await evaluator().evaluateAll();
    expect(
      await store.compliance.getEvaluation('component:default/empty'),
    ).toMatchObject({
      verdict: 'no-data',
      severity: 16,
      noDataMask: 127,
    });
  });

  it('applies annotation thresholds per entity of a shared repository', async () => {
    const repositoryId = await seedRepository(store, 'mono', [
      { name: 'strict' },
      {
        name: 'relaxed',
        annotations: { 'dual-lane/go-no-go.verdict-coverage': '50' },
      },
    ]);
    await seedPullRequests(store, repositoryId, [
      { number: 1 },
      { number: 2, verdict: false },
    ]);
    await seedArtifacts(store, repositoryId, [
      { name: 'a', signed: true, provenance: true },
    ]);
    await seedRuntimeEvidence(store, repositoryId);

    // By default an annotation may not lower the organisation's bar.
    await evaluator().evaluateAll();
    const held = (await store.compliance.getEvaluation(
      'component:default/relaxed',
    ))!;
    expect(held.verdict).toBe('no-go');
    expect(held.thresholds.sources['verdict-coverage']).toBe('default');
    expect(held.thresholds.annotationErrors).toEqual([
      "dual-lane/go-no-go.verdict-coverage: 50 is less strict than 95; only stricter overrides are allowed (dualLane.goNoGo.annotationOverrides is 'stricter')",
    ]);

    // Lowering it is an explicit opt-in.
    await evaluator({
      dualLane: { goNoGo: { annotationOverrides: 'any' } },
    }).evaluateAll();
    expect(
      (await store.compliance.getEvaluation('component:default/strict'))!
        .verdict,
    ).toBe('no-go');
    const relaxed = (await store.compliance.getEvaluation(
      'component:default/relaxed',
    ))!;
    expect(relaxed.verdict).toBe('go');
    expect(relaxed.thresholds.sources['verdict-coverage']).toBe('annotation');
  });

  it('notifies the owner when a stored verdict flips, not on the first evaluation', async () => {
    const repositoryId = await seedGoRepository(store, 'flip', [
      { name: 'flip', owner: 'group:default/team-a' },
    ]);
    await evaluator().evaluateAll();
    expect(notifications.send).not.toHaveBeenCalled();

    await seedArtifacts(store, repositoryId, [
      { name: 'ok.tar.gz', signed: true, provenance: true },
      { name: 'bad.tar.gz', signed: false, provenance: true },
    ]);
    const run = await evaluator().evaluateRepositories([repositoryId]);
    expect(run.flips).toHaveLength(1);
    expect(notifications.send).toHaveBeenCalledWith({
      recipients: { type: 'entity', entityRef: 'group:default/team-a' },
      payload: expect.objectContaining({
        title: 'flip is now NO-GO for dual-lane scaling',
        severity: 'high',
        topic: 'dual-lane-go-no-go',
        link: '/catalog/default/component/flip',
        description: expect.stringContaining('Artifacts signed fails: 50%'),
      }),
    });

    // Re-evaluating without a change does not notify again.
    await evaluator().evaluateRepositories([repositoryId]);
    expect(notifications.send).toHaveBeenCalledTimes(1);

    // A waiver flips it back to go.
    await store.compliance.createWaiver({
      entityRef: 'component:default/flip',
      criterion: 'artifacts-signed',
      reason: 'bad.tar.gz was a test upload',
      createdBy: 'user:default/lead',
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 86_400_000).toISOString(),
    });
    await evaluator().evaluateEntities(['component:default/flip']);
    expect(notifications.send).toHaveBeenCalledTimes(2);
    expect(notifications.send.mock.calls[1][0].payload).toMatchObject({
      title: 'flip is GO again for dual-lane scaling',
      severity: 'normal',
    });
    const stored = await store.compliance.getEvaluation(
      'component:default/flip',
    );
    expect(stored).toMatchObject({ verdict: 'go', waivedMask: 4 });
    expect(stored!.nextChangeAt).toBe(
      new Date(now.getTime() + 86_400_000).toISOString(),
    );
  });

  it('picks up what changed since the last pass, including expired waivers', async () => {
    const a = await seedGoRepository(store, 'a', [{ name: 'a' }]);
    await seedGoRepository(store, 'b', [{ name: 'b' }]);
    const e = evaluator();
    await e.evaluateAll();
    // The seed wrote with the wall clock; the pass starts after it.
    const since = new Date(Date.now() + 1000);

    now = new Date(since.getTime() + 60_000);
    expect((await e.evaluateChanged(since)).entities).toBe(0);

    // A new gate run on a's pull request (written at sync time).
    await store.gates.upsertGateRuns(
      [
        {
          repositoryId: a,
          source: 'github',
          externalId: 'late',
          gateName: GATES[0],
          checkName: 'Run Gate 3 for PRD-1',
          headSha: '0'.repeat(40),
          status: 'completed',
          conclusion: 'success',
        },
      ],
      new Date(since.getTime() + 30_000),
    );
    expect(await evaluatedRefs(e, since)).toEqual(['component:default/a']);

    // Changed annotations are noticed without any fact changing.
    await store.repositories.upsertEntities([
      {
        entityRef: 'component:default/b',
        kind: 'Component',
        namespace: 'default',
        name: 'b',
        repositoryId: (await store.repositories.getEntity(
          'component:default/b',
        ))!.repositoryId,
        annotations: { 'dual-lane/go-no-go.rework-cycles': '1' },
      },
    ]);
    expect(await evaluatedRefs(e, now)).toEqual(['component:default/b']);

    // Announced repositories are taken once.
    await store.compliance.markPending([a]);
    expect(await evaluatedRefs(e, now)).toEqual(['component:default/a']);
    expect(await evaluatedRefs(e, now)).toEqual([]);
  });

  async function evaluatedRefs(e: ComplianceEvaluator, since: Date) {
    const before = new Map(
      (
        await knex('compliance_results').select('entity_ref', 'evaluated_at')
      ).map(r => [
        r.entity_ref,
        String(
          r.evaluated_at instanceof Date
            ? r.evaluated_at.toISOString()
            : r.evaluated_at,
        ),
      ]),
    );
    now = new Date(now.getTime() + 1000);
    await e.evaluateChanged(since);
    const after = await knex('compliance_results').select(
      'entity_ref',
      'evaluated_at',
    );
    return after
      .filter(
        r =>
          before.get(r.entity_ref) !==
          String(
            r.evaluated_at instanceof Date
              ? r.evaluated_at.toISOString()
              : r.evaluated_at,
          ),
      )
      .map(r => r.entity_ref)
      .sort();
  }
});
