import { mockServices } from '@backstage/backend-test-utils';
import { setupServer } from 'msw/node';
import {
  createTestDatabases,
  createTestStore,
} from '../../__testUtils__/databases';
import { DualLaneStore } from '../../database';
import {
  FakeGithub,
  FakeRepo,
  GITHUB_ACTIONS,
  resetIds,
} from './__testUtils__/fakeGithub';
import { mswHandlers } from './__testUtils__/mswGithub';
import {
  addLanePull,
  commit,
  createTestDeps,
  registerRepository,
  testConfig,
} from './__testUtils__/scenario';
import { checkRunEvent } from './__testUtils__/webhookEvents';
import { readGatesConfig } from './gatesConfig';
import { GithubGateSync } from './GithubGateSync';
import {
  gateRunInputsOf,
  needsAnnotations,
  policyDigestOf,
} from './githubMapping';
import { GhCheckRun } from './githubTypes';
import { GithubWebhookHandler } from './GithubWebhookHandler';
import { PullRequestRefresher } from './PullRequestRefresher';
import { RefreshQueue } from './RefreshQueue';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
/** What scripts/verify-org-policy-bundle.sh leaves on the policy gate's run. */
const BUNDLE_ANNOTATION = {
  title: 'dual-lane policy bundle',
  message: `policy-digest=${DIGEST} version=policies-v3 source=acme/policies`,
};

function run(overrides: Partial<GhCheckRun> = {}): GhCheckRun {
  return {
    id: 7,
    name: 'Validate Policy Bundle',
    head_sha: 'a'.repeat(40),
    status: 'completed',
    conclusion: 'success',
    started_at: '2025-01-19T10:00:00Z',
    completed_at: '2025-01-19T10:02:00Z',
    app: { id: 15368, slug: 'github-actions' },
    output: { annotations_count: 1 },
    ...overrides,
  };
}

describe('the policy digest of a policy gate run', () => {
  const config = readGatesConfig(testConfig());

  it('is read from the dual-lane policy bundle annotation only', () => {
    expect(policyDigestOf([BUNDLE_ANNOTATION])).toBe(DIGEST);
    expect(
      policyDigestOf([
        { title: 'Dual-Lane Policy Bundle', message: `policy-digest=${DIGEST.toUpperCase().replace('SHA256', 'sha256')}` },
      ]),
    ).toBe(DIGEST);
    // Another title, the "not configured" notice, a short digest: nothing.
    expect(policyDigestOf([{ ...BUNDLE_ANNOTATION, title: 'negative-test' }])).toBeUndefined();
    expect(
      policyDigestOf([
        {
          title: 'dual-lane policy bundle',
          message: 'no organisation policy bundle is configured (dualLane.scaffolder.orgPolicyBundle)',
        },
      ]),
    ).toBeUndefined();
    expect(
      policyDigestOf([{ ...BUNDLE_ANNOTATION, message: 'policy-digest=sha256:abc' }]),
    ).toBeUndefined();
    // Two different digests: the run says nothing reliable.
    expect(
      policyDigestOf([
        BUNDLE_ANNOTATION,
        { ...BUNDLE_ANNOTATION, message: `policy-digest=sha256:${'cd'.repeat(32)}` },
      ]),
    ).toBeUndefined();
  });

  it('goes on the run of the gate with the role policy, and only when finished', () => {
    const annotations = new Map([[7, [BUNDLE_ANNOTATION]]]);
    const [input] = gateRunInputsOf(1, 2, [run()], config.requiredChecks, annotations);
    expect(input).toMatchObject({ gateName: 'Policy Verification / Validate Policy Bundle', policyDigest: DIGEST });
    expect(
      gateRunInputsOf(1, 2, [run({ status: 'in_progress', conclusion: null })], config.requiredChecks, annotations)[0]
        .policyDigest,
    ).toBeUndefined();
    // The same annotation on another gate's run means nothing.
    expect(
      gateRunInputsOf(1, 2, [run({ name: 'Verify SLSA Provenance' })], config.requiredChecks, annotations)[0]
        .policyDigest,
    ).toBeUndefined();
    expect(needsAnnotations(run(), config)).toBe(true);
    expect(needsAnnotations(run({ output: { annotations_count: 0 } }), config)).toBe(false);
    expect(needsAnnotations(run({ name: 'Verify SLSA Provenance' }), config)).toBe(false);
  });

  it('follows the configured role, not the seed name', () => {
    const custom = readGatesConfig(
      testConfig({
        gates: {
          requiredChecks: [
            { name: 'Policy Verification / Validate Policy Bundle' },
            { name: 'OPA / conftest', role: 'policy' },
          ],
        },
      }),
    );
    const annotations = new Map([[7, [BUNDLE_ANNOTATION]], [8, [BUNDLE_ANNOTATION]]]);
    const inputs = gateRunInputsOf(
      1,
      2,
      [run(), run({ id: 8, name: 'conftest' })],
      custom.requiredChecks,
      annotations,
    );
    expect(inputs.map(i => [i.checkName, i.policyDigest])).toEqual([
      ['Validate Policy Bundle', undefined],
      ['conftest', DIGEST],
    ]);
    expect(needsAnnotations(run(), custom)).toBe(false);
  });
});

const databases = createTestDatabases();
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

async function setup(store: DualLaneStore) {
  const logger = mockServices.logger.mock();
  resetIds();
  const fake = new FakeGithub();
  server.use(...mswHandlers(fake));
  const gh = fake.addRepo('acme', 'widget');
  gh.branches.set('main', [commit('Initial commit', -600)]);
  const repo = await registerRepository(store);
  const deps = createTestDeps(store, undefined, logger);
  const handler = new GithubWebhookHandler(
    deps,
    new PullRequestRefresher(deps),
    new RefreshQueue(logger),
  );
  return { fake, gh, repo, deps, handler, sync: new GithubGateSync(deps) };
}

function annotatePolicyRun(gh: FakeRepo, headSha: string) {
  const policy = gh.checkRuns.find(
    r => r.headSha === headSha && r.name === 'Validate Policy Bundle',
  )!;
  policy.annotations = [
    { title: 'negative-test', message: 'not about policies' },
    BUNDLE_ANNOTATION,
  ];
  return policy;
}

describe.each(databases.eachSupportedId())('policy digests from GitHub on %p', id => {
  it('the scheduled sync records the digest on the policy gate run', async () => {
    const { store } = await createTestStore(databases, id);
    const env = await setup(store);
    const pr = addLanePull(env.gh, { number: 2, slug: 'bridge' });
    const policy = annotatePolicyRun(env.gh, pr.headSha);

    await env.sync.syncAll();

    const runs = await store.gates.listGateRuns({ repositoryId: env.repo.id });
    expect(runs).toHaveLength(4);
    expect(runs.find(r => r.externalId === String(policy.id))?.policyDigest).toBe(DIGEST);
    expect(runs.filter(r => r.policyDigest)).toHaveLength(1);
    // Only the policy gate's annotations were read.
    expect(
      env.fake.log.filter(r => r.path.endsWith('/annotations')).map(r => r.path),
    ).toEqual([`/repos/acme/widget/check-runs/${policy.id}/annotations`]);
  });

  it('a check_run webhook reads the annotations and records the digest', async () => {
    const { store } = await createTestStore(databases, id);
    const env = await setup(store);
    const pr = addLanePull(env.gh, { number: 2, slug: 'bridge' });
    const policy = annotatePolicyRun(env.gh, pr.headSha);
    policy.status = 'in_progress';
    await env.sync.syncAll();
    const before = await store.gates.listGateRuns({ repositoryId: env.repo.id });
    expect(before.find(r => r.externalId === String(policy.id))).toMatchObject({
      status: 'in_progress',
      policyDigest: undefined,
    });

    policy.status = 'completed';
    const deliver = () =>
      env.handler.onEvent({
        topic: 'github.check_run',
        eventPayload: checkRunEvent('completed', env.gh, policy),
      });
    await deliver();
    await env.handler.queue.onIdle();
    const after = await store.gates.listGateRuns({ repositoryId: env.repo.id });
    expect(after.find(r => r.externalId === String(policy.id))).toMatchObject({
      status: 'completed',
      conclusion: 'success',
      policyDigest: DIGEST,
      appId: GITHUB_ACTIONS.id,
    });

    // A redelivery without reading annotations keeps the digest.
    await env.handler.onEvent({
      topic: 'github.check_run',
      eventPayload: checkRunEvent('completed', env.gh, { ...policy, annotations: [] }),
    });
    await env.handler.queue.onIdle();
    expect(
      (await store.gates.listGateRuns({ repositoryId: env.repo.id })).find(
        r => r.externalId === String(policy.id),
      )?.policyDigest,
    ).toBe(DIGEST);
  });
});
