import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { readRequiredChecks } from '@dual-lane/plugin-dual-lane-node';
import { DualLaneStore } from '../../../database';
import { ComplianceListQueries } from '../../../database/ComplianceListQueries';
import { ComplianceQueries } from '../../../database/ComplianceQueries';
import {
  createTestDatabases,
  createTestStore,
} from '../../../__testUtils__/databases';
import { CatalogEntitySync } from '../../CatalogEntitySync';
import { EntityAccess } from '../../EntityAccess';
import { readComplianceConfig } from '../complianceConfig';
import { ComplianceEvaluator } from '../ComplianceEvaluator';
import { ComplianceReader } from '../ComplianceReader';
import {
  GATES,
  seedArtifacts,
  seedPullRequests,
  seedRepository,
  seedRuntimeEvidence,
} from '../__testUtils__/seed';
import {
  createGetEntityComplianceAction,
  createListFailingGatesAction,
  createRecordPlanVerdictAction,
} from '.';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const catalogEntity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments',
    namespace: 'default',
    annotations: { 'github.com/project-slug': 'acme/payments' },
  },
  spec: {},
};

describe.each(databases.eachSupportedId())('compliance actions on %p', id => {
  let store: DualLaneStore;
  let registry: ReturnType<typeof actionsRegistryServiceMock>;
  let rederive: jest.Mock;
  let denied: Set<string>;

  beforeEach(async () => {
    const created = await createTestStore(databases, id);
    store = created.store;
    denied = new Set();
    const repositoryId = await seedRepository(store, 'payments', [
      { name: 'payments', owner: 'group:default/team-a' },
    ]);
    await seedPullRequests(store, repositoryId, [
      { number: 1 },
      { number: 2, verdict: false, passing: GATES.slice(0, 2) },
    ]);
    await seedArtifacts(store, repositoryId, [
      { name: 'p.tar.gz', signed: true, provenance: true },
    ]);
    await seedRuntimeEvidence(store, repositoryId);

    const catalog = catalogServiceMock({ entities: [catalogEntity] });
    const permissions = mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(r => ({
          result: denied.has(r.permission.name)
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
        })),
    });
    const logger = mockServices.logger.mock();
    const entityAccess = new EntityAccess({
      catalog,
      permissions,
      store,
      catalogSync: new CatalogEntitySync({
        catalog,
        auth: mockServices.auth(),
        store,
        integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
        logger,
      }),
    });
    const config = readComplianceConfig(new ConfigReader({}));
    const evaluator = new ComplianceEvaluator({
      store,
      queries: new ComplianceQueries(created.knex),
      config,
      logger,
    });
    registry = actionsRegistryServiceMock();
    createGetEntityComplianceAction({
      actionsRegistry: registry,
      entityAccess,
      reader: new ComplianceReader({
        store,
        listQueries: new ComplianceListQueries(created.knex),
        evaluator,
        config,
      }),
    });
    createListFailingGatesAction({
      actionsRegistry: registry,
      entityAccess,
      store,
      gates: readRequiredChecks(new ConfigReader({})),
    });
    rederive = jest.fn(async () => 1);
    createRecordPlanVerdictAction({
      actionsRegistry: registry,
      entityAccess,
      store,
      evaluator,
      rederivePullRequests: rederive,
    });
  });

  const invoke = (name: string, input: object) =>
    registry.invoke({
      id: `test:${name}`,
      input: input as any,
      credentials: mockCredentials.user('user:default/plan-supervisor'),
    });

  it('registers the three actions', async () => {
    const { actions } = await registry.list();
    expect(actions.map(a => a.name).sort()).toEqual([
      'get-entity-compliance',
      'list-failing-pull-request-gates',
      'record-plan-verdict',
    ]);
    expect(
      actions.find(a => a.name === 'get-entity-compliance')!.attributes,
    ).toMatchObject({
      readOnly: true,
    });
  });

  it('gets the compliance the dashboard shows', async () => {
    const { output } = (await invoke('get-entity-compliance', {
      entityRef: 'payments',
    })) as any;
    expect(output).toMatchObject({
      entityRef: 'component:default/payments',
      verdict: 'no-go',
    });
    const coverage = output.criteria.find(
      (c: any) => c.criterion === 'verdict-coverage',
    );
    expect(coverage).toMatchObject({ status: 'fail', value: 50 });
    expect(coverage.culprits.pullRequests).toEqual([
      { number: 2, title: 'Change 2', detail: 'merged without a PLAN verdict' },
    ]);
  });

  it('lists the gates that do not pass on a pull request', async () => {
    const { output } = (await invoke('list-failing-pull-request-gates', {
      entityRef: 'component:default/payments',
      pullRequest: 2,
    })) as any;
    expect(output).toMatchObject({ summary: '2/4', allPassing: false });
    expect(output.gates.map((g: any) => [g.name, g.state])).toEqual([
      ['SLSA Verification / Verify SLSA Provenance', 'failing'],
      ['Policy Verification / Validate Policy Bundle', 'failing'],
    ]);
    expect(output.gates[0].runs).toEqual([
      expect.objectContaining({
        checkName: 'Verify SLSA Provenance',
        conclusion: 'failure',
      }),
    ]);
    await expect(
      invoke('list-failing-pull-request-gates', {
        entityRef: 'payments',
        pullRequest: 99,
      }),
    ).rejects.toThrow('No pull request #99 in acme/payments');
  });

  it('records a PLAN verdict and returns the re-evaluated go/no-go', async () => {
    const { output } = (await invoke('record-plan-verdict', {
      entityRef: 'payments',
      pullRequest: 2,
      verdict: 'approved',
      summary: 'Gates re-run green on the merge commit',
    })) as any;
    expect(output).toMatchObject({
      pullRequest: 2,
      verdict: 'approved',
      author: 'user:default/plan-supervisor',
      compliance: { verdict: 'go', failingCount: 0 },
    });
    const pr = await store.gates.getPullRequest(
      (await store.repositories.findRepository(
        'github.com',
        'acme',
        'payments',
      ))!.id,
      2,
    );
    expect(rederive).toHaveBeenCalledWith(
      expect.objectContaining({ id: pr!.repositoryId, name: 'payments' }),
      [2],
    );
    expect(await store.gates.listVerdicts([pr!.id])).toEqual([
      expect.objectContaining({
        source: 'api',
        verdict: 'approved',
        author: 'user:default/plan-supervisor',
        commitSha: pr!.headSha,
        externalId: `user:default/plan-supervisor@${pr!.headSha}`,
      }),
    ]);
  });

  it('needs the verdict permission to record, and refuses bad input', async () => {
    denied.add('dual-lane.verdict.record');
    await expect(
      invoke('record-plan-verdict', {
        entityRef: 'payments',
        pullRequest: 2,
        verdict: 'approved',
      }),
    ).rejects.toThrow(
      'Not allowed to create component:default/payments (dual-lane.verdict.record)',
    );
    await expect(
      invoke('record-plan-verdict', {
        entityRef: 'payments',
        pullRequest: 2,
        verdict: 'lgtm',
      }),
    ).rejects.toThrow(/verdict/);
    await expect(
      invoke('get-entity-compliance', { entityRef: 'component:' }),
    ).rejects.toThrow("entityRef 'component:' is not an entity ref");
  });
});
