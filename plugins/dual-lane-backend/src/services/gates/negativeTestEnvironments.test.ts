import { mockServices } from '@backstage/backend-test-utils';
import { setupServer } from 'msw/node';
import {
  createTestDatabases,
  createTestStore,
} from '../../__testUtils__/databases';
import { FakeGithub, GITHUB_ACTIONS, newId, resetIds } from './__testUtils__/fakeGithub';
import { mswHandlers } from './__testUtils__/mswGithub';
import {
  at,
  commit,
  createTestDeps,
  registerRepository,
  testConfig,
} from './__testUtils__/scenario';
import { readGatesConfig } from './gatesConfig';
import { GithubGateSync } from './GithubGateSync';
import { isNegativeTestCheck, negativeTestInputsOf } from './githubMapping';
import { GhCheckRun } from './githubTypes';

function report(name: string, overrides: Partial<GhCheckRun> = {}): GhCheckRun {
  return {
    id: 9,
    name,
    head_sha: 'b'.repeat(40),
    status: 'completed',
    conclusion: 'success',
    started_at: '2025-01-19T10:00:00Z',
    completed_at: '2025-01-19T10:05:00Z',
    html_url: 'https://github.com/acme/widget/runs/9',
    app: { id: 15368, slug: 'github-actions' },
    output: { summary: 'unsigned-image: blocked\nnon-digest-image: blocked' },
    ...overrides,
  };
}

describe('the environment of negative tests reported through GitHub', () => {
  const config = readGatesConfig(testConfig());
  const envs = (runs: GhCheckRun[], annotations = new Map(), c = config) => {
    const skipped: string[] = [];
    const rows = negativeTestInputsOf(1, undefined, runs, annotations, c, (run, why) =>
      skipped.push(`${run.name}: ${why}`),
    );
    return { rows: rows.map(r => [r.testName, r.environment, r.blocked]), skipped };
  };

  it('is ci for the plain report check', () => {
    expect(envs([report('Report Negative Tests')]).rows).toEqual([
      ['unsigned-image', 'ci', true],
      ['non-digest-image', 'ci', true],
    ]);
  });

  it('comes from a check name suffix', () => {
    const run = report('Report Negative Tests (production)');
    expect(isNegativeTestCheck(run, config)).toBe(true);
    expect(envs([run]).rows).toEqual([
      ['unsigned-image', 'production', true],
      ['non-digest-image', 'production', true],
    ]);
    expect(
      envs([report('negative-test/non-digest-image (staging)', { output: null, conclusion: 'failure' })]).rows,
    ).toEqual([['non-digest-image', 'staging', false]]);
  });

  it('comes from an environment= line or annotation of the report', () => {
    expect(
      envs([report('Report Negative Tests', { output: { summary: 'environment=staging\nunsigned-image: blocked' } })])
        .rows,
    ).toEqual([['unsigned-image', 'staging', true]]);
    const annotations = new Map([
      [
        9,
        [
          { title: 'negative-test environment', message: 'environment=production' },
          { title: 'negative-test', message: 'policy-tampering: not blocked — passed' },
        ],
      ],
    ]);
    expect(envs([report('Report Negative Tests', { output: { annotations_count: 2 } })], annotations).rows).toEqual([
      ['policy-tampering', 'production', false],
    ]);
  });

  it('records nothing for a contradictory report, or an environment GitHub may not claim', () => {
    const contradictory = envs([
      report('Report Negative Tests (staging)', {
        output: { summary: 'environment=production\nunsigned-image: blocked' },
      }),
    ]);
    expect(contradictory).toEqual({
      rows: [],
      skipped: ['Report Negative Tests (staging): it reports for several environments (production, staging)'],
    });
    const strict = readGatesConfig(testConfig({ negativeTests: { githubEnvironments: ['ci', 'staging'] } }));
    expect(envs([report('Report Negative Tests (production)')], new Map(), strict)).toEqual({
      rows: [],
      skipped: [
        "Report Negative Tests (production): it reports for 'production', which dualLane.negativeTests.githubEnvironments does not accept from GitHub",
      ],
    });
  });
});

const databases = createTestDatabases();
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe.each(databases.eachSupportedId())('negative tests from a cluster run on %p', id => {
  it("the sync records the default branch's production report as production, next to the ci one", async () => {
    const { store } = await createTestStore(databases, id);
    resetIds();
    const fake = new FakeGithub();
    server.use(...mswHandlers(fake));
    const gh = fake.addRepo('acme', 'widget');
    const head = commit('Initial commit', -600);
    gh.branches.set('main', [head]);
    const annotated = (name: string, env?: string) => ({
      id: newId(),
      name,
      headSha: head.sha,
      status: 'completed' as const,
      conclusion: 'success',
      startedAt: at(1),
      completedAt: at(3),
      app: GITHUB_ACTIONS,
      annotations: [
        ...(env ? [{ title: 'negative-test environment', message: `environment=${env}` }] : []),
        { title: 'negative-test', message: 'unsigned-image: blocked — admission webhook denied the request' },
      ],
    });
    gh.checkRuns.push(
      annotated('Report Negative Tests'),
      annotated('Report Negative Tests (production)', 'production'),
    );
    const repo = await registerRepository(store);
    // The default branch is known from the catalog sync or an earlier run.
    await store.repositories.upsertRepositories([
      { host: 'github.com', owner: 'acme', name: 'widget', defaultBranch: 'main' },
    ]);
    const logger = mockServices.logger.mock();
    await new GithubGateSync(createTestDeps(store, undefined, logger)).syncAll();

    const tests = await store.gates.listNegativeTests(repo.id);
    expect(tests.map(t => [t.testName, t.environment, t.blocked, t.commitSha])).toEqual(
      expect.arrayContaining([
        ['unsigned-image', 'ci', true, head.sha],
        ['unsigned-image', 'production', true, head.sha],
      ]),
    );
    expect(tests).toHaveLength(2);
    expect(logger.warn).not.toHaveBeenCalled();
  });
});
