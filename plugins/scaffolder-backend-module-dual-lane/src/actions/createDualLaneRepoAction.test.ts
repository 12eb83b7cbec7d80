import { mockServices } from '@backstage/backend-test-utils';
import {
  DEFAULT_LANE_LABELS,
  LANE_STATES,
} from '@dual-lane/plugin-dual-lane-common';
import { treeSha } from '../services/content/gitObjects';
import { readContentFiles } from '../services/content/initialContent';
import { BOOTSTRAP_MESSAGE } from '../services/github/contentPush';
import {
  CHECKS,
  DRIFT_CHECK,
  PROTECTED_CHECKS,
  REPO,
  RULESET_CHECKS,
  useActionHarness,
  USER_TOKEN,
} from '../__testUtils__/actionHarness';
import { FakeGithub } from '../__testUtils__/fakeGithub';
import { dualLaneFiles } from '../__testUtils__/workspace';

const harness = useActionHarness();
const { makeAction, makeContext, body } = harness;

const upgrade = {
  message:
    'Upgrade to GitHub Pro or make this repository public to enable this feature.',
  documentation_url:
    'https://docs.github.com/rest/branches/branch-protection#update-branch-protection',
  status: '403',
};

describe('dual-lane:repo:create', () => {
  let github: FakeGithub;
  beforeEach(() => {
    github = harness.github;
  });

  it('creates, fills, labels, branches and protects a new repository, then verifies it', async () => {
    const ctx = makeContext();
    await makeAction().handler(ctx);

    expect(github.lines()).toEqual([
      `GET ${REPO}`,
      'GET /users/acme',
      'POST /orgs/acme/repos',
      `GET ${REPO}/topics`,
      `PUT ${REPO}/topics`,
      `GET ${REPO}/git/ref/heads/main`,
      `PUT ${REPO}/contents/README.md`,
      `POST ${REPO}/git/blobs`,
      `POST ${REPO}/git/trees`,
      `POST ${REPO}/git/commits`,
      `PATCH ${REPO}/git/refs/heads/main`,
      `GET ${REPO}`,
      `GET ${REPO}/labels`,
      ...LANE_STATES.map(() => `POST ${REPO}/labels`),
      `GET ${REPO}/git/ref/heads/staging/getting-started`,
      `POST ${REPO}/git/refs`,
      `GET ${REPO}/branches/main/protection`,
      `PUT ${REPO}/branches/main/protection`,
      `GET ${REPO}`,
      `GET ${REPO}/git/ref/heads/main`,
      `GET ${REPO}/git/ref/heads/staging/getting-started`,
      `GET ${REPO}/labels`,
      `GET ${REPO}/branches/main/protection`,
    ]);
    expect(
      github.requests.every(r => r.authorization === 'token config-token'),
    ).toBe(true);

    expect(body('POST', '/orgs/acme/repos')).toEqual({
      name: 'payments',
      description: 'Payments service',
      visibility: 'private',
      private: true,
      auto_init: false,
    });
    expect(body('PUT', `${REPO}/topics`)).toEqual({ names: ['dual-lane'] });
    expect(body('PUT', `${REPO}/contents/README.md`)).toEqual({
      message: BOOTSTRAP_MESSAGE,
      content: Buffer.from('# payments\n').toString('base64'),
      branch: 'main',
    });
    expect(body('POST', `${REPO}/git/blobs`)).toEqual({
      content: Buffer.from([
        0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe, 0x00, 0x01,
      ]).toString('base64'),
      encoding: 'base64',
    });
    const tree = body('POST', `${REPO}/git/trees`).tree;
    expect(
      tree.map((e: any) => [e.path, e.mode, e.sha ? 'sha' : 'content']),
    ).toEqual([
      ['.github/workflows/gates.yml', '100644', 'content'],
      ['AGENTS.md', '100644', 'content'],
      ['CLAUDE.md', '100644', 'content'],
      ['README.md', '100644', 'content'],
      ['assets/logo.bin', '100644', 'sha'],
      ['catalog-info.yaml', '100644', 'content'],
      ['scripts/check.sh', '100755', 'content'],
    ]);
    const bootstrapCommit = github.repo('acme', 'payments')!.commits;
    const commitBody = body('POST', `${REPO}/git/commits`);
    expect(commitBody.message).toBe('Initial dual-lane repository');
    expect(commitBody.parents).toHaveLength(1);
    expect(bootstrapCommit.get(commitBody.parents[0])!.message).toBe(
      BOOTSTRAP_MESSAGE,
    );
    expect(body('PATCH', `${REPO}/git/refs/heads/main`).force).toBe(false);

    const labels = github.requests
      .filter(r => r.method === 'POST' && r.path === `${REPO}/labels`)
      .map(r => r.body);
    expect(labels).toEqual(
      LANE_STATES.map(state => DEFAULT_LANE_LABELS[state]),
    );
    expect(body('POST', `${REPO}/git/refs`)).toEqual({
      ref: 'refs/heads/staging/getting-started',
      sha: github.repo('acme', 'payments')!.refs.get('heads/main'),
    });
    expect(body('PUT', `${REPO}/branches/main/protection`)).toEqual({
      required_status_checks: {
        strict: true,
        checks: PROTECTED_CHECKS,
      },
      enforce_admins: true,
      required_pull_request_reviews: {
        dismiss_stale_reviews: true,
        require_code_owner_reviews: false,
        required_approving_review_count: 1,
        require_last_push_approval: false,
      },
      restrictions: null,
      required_linear_history: false,
      allow_force_pushes: false,
      allow_deletions: false,
      block_creations: false,
      required_conversation_resolution: false,
      lock_branch: false,
      allow_fork_syncing: false,
    });

    // GitHub now holds exactly the workspace, modes included.
    const repo = github.repo('acme', 'payments')!;
    const pushed = github.filesAt(repo, 'main')!;
    expect(treeSha(pushed)).toBe(
      treeSha(await readContentFiles(ctx.workspacePath)),
    );
    expect(pushed.find(f => f.path === 'scripts/check.sh')!.mode).toBe(
      '100755',
    );

    const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    expect(outputs).toEqual({
      remoteUrl: 'https://github.com/acme/payments.git',
      repoContentsUrl: 'https://github.com/acme/payments/blob/main',
      catalogInfoPath: '/catalog-info.yaml',
      ownerEntityRef: 'group:default/payments-team',
      created: true,
      commitHash: repo.refs.get('heads/main'),
      stagingBranch: 'staging/getting-started',
    });
  });

  it('pins each check to its configured app and reads the pin back', async () => {
    const requiredChecks = CHECKS.map((context, i) => ({
      name: `Gate ${i} / ${context}`,
      ...(i < 3 && { appId: 15368, appSlug: 'github-actions' }),
    }));
    await makeAction({ dualLane: { gates: { requiredChecks } } }).handler(
      makeContext(),
    );
    expect(
      body('PUT', `${REPO}/branches/main/protection`).required_status_checks
        .checks,
    ).toEqual([
      { context: CHECKS[0], app_id: 15368 },
      { context: CHECKS[1], app_id: 15368 },
      { context: CHECKS[2], app_id: 15368 },
      { context: CHECKS[3] },
      DRIFT_CHECK,
    ]);
  });

  it('makes no write on a second run over the finished repository', async () => {
    await makeAction().handler(makeContext());
    github.clearRequests();
    // A new task over the repository adopts it, which takes the user's token.
    const ctx = makeContext({ token: USER_TOKEN });
    await makeAction().handler(ctx);

    expect(github.writes()).toEqual([]);
    expect(github.repos.size).toBe(1);
    expect(github.repo('acme', 'payments')!.labels).toHaveLength(
      LANE_STATES.length,
    );
    expect(ctx.output).toHaveBeenCalledWith('created', false);
  });

  it('fails closed when GitHub refuses protection, and a retry resumes without duplicates', async () => {
    github.failNext('PUT', `${REPO}/branches/main/protection`, 403, upgrade);
    await expect(makeAction().handler(makeContext())).rejects.toThrow(
      /Protecting main of acme\/payments failed: GitHub answered 403: Upgrade to GitHub Pro.*NOT protected/s,
    );
    const repo = github.repo('acme', 'payments')!;
    expect(repo.protection.size).toBe(0);

    // A new task (no checkpoints) sees a repository it did not create:
    // adopting it takes the user's token and converges all the same.
    github.clearRequests();
    await makeAction().handler(makeContext({ token: USER_TOKEN }));
    expect(github.writes().map(r => `${r.method} ${r.path}`)).toEqual([
      `PUT ${REPO}/branches/main/protection`,
    ]);
    expect(repo.labels).toHaveLength(LANE_STATES.length);
    expect([...repo.refs.keys()].sort()).toEqual([
      'heads/main',
      'heads/staging/getting-started',
    ]);
    expect(repo.protection.get('main')).toBeDefined();
  });

  it('resumes from the scaffolder checkpoints without repeating creation or the push', async () => {
    const store = new Map<string, unknown>();
    const checkpoint = async ({
      key,
      fn,
    }: {
      key: string;
      fn: () => unknown;
    }) => {
      if (store.has(key)) return store.get(key);
      const value = await fn();
      store.set(key, value);
      return value;
    };
    github.failNext('PUT', `${REPO}/branches/main/protection`, 403, upgrade);
    await expect(
      makeAction().handler(makeContext({}, undefined, { checkpoint })),
    ).rejects.toThrow(/403/);
    expect([...store.keys()]).toEqual([
      'dual-lane.repository.acme/payments',
      expect.stringMatching(
        /^dual-lane\.content\.acme\/payments\.main\.[0-9a-f]{40}$/,
      ),
    ]);

    github.clearRequests();
    await makeAction().handler(makeContext({}, undefined, { checkpoint }));
    expect(github.lines()).not.toContain(
      `GET ${REPO}/git/commits/${github
        .repo('acme', 'payments')!
        .refs.get('heads/main')}`,
    );
    expect(github.lines().slice(0, 2)).toEqual([
      `GET ${REPO}/topics`,
      `GET ${REPO}`,
    ]);
    expect(github.writes().map(r => r.method)).toEqual(['PUT']);
  });

  it('treats 422 "already exists" as an existing repository and adopts it when empty', async () => {
    github.addRepo('acme', 'payments', { description: 'Payments service' });
    github.failNext('GET', REPO, 404, { message: 'Not Found', status: '404' });
    await makeAction().handler(makeContext());

    expect(github.lines().slice(0, 7)).toEqual([
      `GET ${REPO}`,
      'GET /users/acme',
      'POST /orgs/acme/repos',
      `GET ${REPO}`,
      `GET ${REPO}/git/ref/heads/main`,
      `GET ${REPO}/topics`,
      `PUT ${REPO}/topics`,
    ]);
    expect(github.repos.size).toBe(1);
    expect(
      github.repo('acme', 'payments')!.protection.get('main'),
    ).toBeDefined();
  });

  it('retries branch protection a bounded number of times while the branch is not visible', async () => {
    const notFound = { message: 'Branch not found', status: '404' };
    github.failNext(
      'PUT',
      `${REPO}/branches/main/protection`,
      404,
      notFound,
      2,
    );
    await makeAction().handler(makeContext());
    expect(
      github.lines().filter(l => l === `PUT ${REPO}/branches/main/protection`),
    ).toHaveLength(3);
    expect(harness.sleeps).toEqual([5, 10]);

    const other = new FakeGithub({ organizations: ['acme'] });
    harness.server.use(...other.handlers());
    other.failNext('PUT', `${REPO}/branches/main/protection`, 404, notFound, 3);
    await expect(makeAction().handler(makeContext())).rejects.toThrow(
      /still not visible after 3 attempts/,
    );
  });

  it('makes no request in a dry run and reports the plan', async () => {
    const logger = mockServices.logger.mock();
    // No credentials are configured: a dry run must not even look them up.
    const ctx = makeContext({}, undefined, { isDryRun: true, logger });
    await makeAction({}, {}).handler(ctx);
    expect(github.requests).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith(
      'remoteUrl',
      'https://github.com/acme/payments.git',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'repoContentsUrl',
      'https://github.com/acme/payments/blob/main',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'catalogInfoPath',
      '/catalog-info.yaml',
    );
    expect(ctx.output).not.toHaveBeenCalledWith(
      'commitHash',
      expect.anything(),
    );
    const plan = logger.info.mock.calls
      .map(call => String(call[0]))
      .find(m => m.startsWith('Dry run'))!;
    expect(plan).toContain(
      '1. create the private repository acme/payments on github.com',
    );
    expect(plan).toMatch(
      /push 7 files \(1 executable, tree [0-9a-f]{40}\) to main/,
    );
    expect(plan).toContain('create the branch staging/getting-started');
    expect(plan).toContain(
      "protect main with branch protection: required checks 'Run Gate 3 for PRD-*', 'Check Story Release Gate', 'Verify SLSA Provenance', 'Validate Policy Bundle'",
    );
  });

  it.each([
    [
      'a name outside GitHub rules',
      { repoUrl: 'github.com?owner=acme&repo=pay%20ments' },
      {},
      /not a valid GitHub repository name/,
    ],
    [
      'a name ending in .git',
      { repoUrl: 'github.com?owner=acme&repo=payments.git' },
      {},
      /no '.git' suffix/,
    ],
    [
      'an owner outside the allow list',
      {},
      { dualLane: { scaffolder: { allowedOwners: ['Platform'] } } },
      /not allowed; dualLane.scaffolder.allowedOwners lists platform/,
    ],
    [
      'an unknown host',
      { repoUrl: 'gitlab.com?owner=acme&repo=payments' },
      {},
      /No GitHub integration for host 'gitlab.com'|Invalid repoUrl/,
    ],
    [
      'a bad staging slug',
      { stagingSlug: 'Not Valid' },
      {},
      /not a valid lane slug/,
    ],
    [
      'a bad default branch',
      { defaultBranch: 'main..x' },
      {},
      /not a valid git default branch name/,
    ],
    [
      'an owner differing from catalog-info',
      { entityOwner: 'group:default/other' },
      {},
      /records the owner group:default\/payments-team but the template asked for group:default\/other/,
    ],
  ])('refuses %s before any request', async (_what, input, config, message) => {
    await expect(
      makeAction(config).handler(makeContext(input)),
    ).rejects.toThrow(message);
    expect(github.requests).toEqual([]);
  });

  it('refuses content that is not a dual-lane repository, listing every problem', async () => {
    const files = dualLaneFiles();
    delete files['CLAUDE.md'];
    files['.github/workflows/gates.yml'] = String(
      files['.github/workflows/gates.yml'],
    ).replace('Validate Policy Bundle', 'Validate');
    await expect(makeAction().handler(makeContext({}, files))).rejects.toThrow(
      /CLAUDE.md is missing[\s\S]*required check 'Validate Policy Bundle'/,
    );
    expect(github.requests).toEqual([]);
  });

  it('refuses an existing repository that is not a dual-lane repository, without writing', async () => {
    github.addRepo('acme', 'payments', {
      files: [{ path: 'index.js', content: Buffer.from('x'), mode: '100644' }],
    });
    await expect(makeAction().handler(makeContext())).rejects.toThrow(
      /acme\/payments already exists and is not a dual-lane repository: it has content but not the topic 'dual-lane'/,
    );
    expect(github.writes()).toEqual([]);
  });

  it('refuses to change the visibility of an existing repository', async () => {
    github.addRepo('acme', 'payments', {
      visibility: 'public',
      topics: ['dual-lane'],
    });
    await expect(makeAction().handler(makeContext())).rejects.toThrow(
      /visibility 'public' but 'private' was asked/,
    );
    expect(github.writes()).toEqual([]);
  });

  it('keeps the history of an existing dual-lane repository instead of pushing over it', async () => {
    const history = [
      { path: 'AGENTS.md', content: Buffer.from('a'), mode: '100644' as const },
      { path: 'CLAUDE.md', content: Buffer.from('c'), mode: '100644' as const },
    ];
    const repo = github.addRepo('acme', 'payments', {
      topics: ['dual-lane'],
      files: history,
      description: 'Payments service',
    });
    const head = repo.refs.get('heads/main');
    await makeAction().handler(makeContext({ token: USER_TOKEN }));
    expect(repo.refs.get('heads/main')).toBe(head);
    expect(github.lines()).not.toContain(`POST ${REPO}/git/trees`);
    expect(repo.refs.get('heads/staging/getting-started')).toBe(head);
  });

  it('fails when the protection read back differs from what was asked', async () => {
    const requiredChecks = CHECKS.map(context => ({
      name: `W / ${context}`,
      appId: 15368,
    }));
    github.failNext('GET', `${REPO}/branches/main/protection`, 404, {
      message: 'Branch not protected',
    });
    // GitHub accepted the body but reports the checks without the app pin.
    github.failNext('GET', `${REPO}/branches/main/protection`, 200, {
      required_status_checks: {
        strict: true,
        checks: CHECKS.map(context => ({ context, app_id: null })),
      },
      enforce_admins: { enabled: true },
      required_pull_request_reviews: {
        required_approving_review_count: 1,
        dismiss_stale_reviews: true,
      },
      allow_force_pushes: { enabled: false },
      allow_deletions: { enabled: false },
      required_conversation_resolution: { enabled: false },
    });
    await expect(
      makeAction({ dualLane: { gates: { requiredChecks } } }).handler(
        makeContext(),
      ),
    ).rejects.toThrow(
      /differs from what was asked[\s\S]*'Run Gate 3 for PRD-\*' is pinned to app any instead of 15368/,
    );
  });

  it('uses the token passed by the template over the configured credentials', async () => {
    await makeAction({}, {}).handler(makeContext({ token: 'user-token' }));
    expect(new Set(github.requests.map(r => r.authorization))).toEqual(
      new Set(['token user-token']),
    );
  });

  it('refuses to run without credentials instead of calling GitHub anonymously', async () => {
    await expect(makeAction({}, {}).handler(makeContext())).rejects.toThrow(
      /No GitHub credentials for github.com\/acme/,
    );
    expect(github.requests).toEqual([]);
  });

  it('creates a user repository when the token belongs to that user', async () => {
    github.authenticatedLogin = 'alice';
    await makeAction().handler(
      makeContext(
        { repoUrl: 'github.com?owner=alice&repo=payments' },
        dualLaneFiles('alice'),
      ),
    );
    expect(github.lines().slice(0, 4)).toEqual([
      'GET /repos/alice/payments',
      'GET /users/alice',
      'GET /user',
      'POST /user/repos',
    ]);
    expect(body('POST', '/user/repos')).toEqual({
      name: 'payments',
      description: 'Payments service',
      private: true,
      auto_init: false,
    });
    expect(
      github.repo('alice', 'payments')!.protection.get('main'),
    ).toBeDefined();
  });

  it('refuses a user owner other than the one the token belongs to', async () => {
    github.authenticatedLogin = 'bob';
    await expect(
      makeAction().handler(
        makeContext(
          { repoUrl: 'github.com?owner=alice&repo=payments' },
          dualLaneFiles('alice'),
        ),
      ),
    ).rejects.toThrow(
      /'alice' is a user account but the credentials belong to 'bob'/,
    );
    expect(github.writes()).toEqual([]);
  });

  it('protects with a ruleset where configured, and converges on it', async () => {
    const config = {
      dualLane: {
        scaffolder: {
          protection: 'ruleset',
          reviews: { requiredApprovingReviewCount: 2 },
        },
      },
    };
    await makeAction(config).handler(makeContext());
    expect(body('POST', `${REPO}/rulesets`)).toEqual({
      name: 'dual-lane-gates',
      target: 'branch',
      enforcement: 'active',
      bypass_actors: [],
      conditions: { ref_name: { include: ['~DEFAULT_BRANCH'], exclude: [] } },
      rules: [
        { type: 'deletion' },
        { type: 'non_fast_forward' },
        {
          type: 'pull_request',
          parameters: {
            required_approving_review_count: 2,
            dismiss_stale_reviews_on_push: true,
            require_code_owner_review: false,
            require_last_push_approval: false,
            required_review_thread_resolution: false,
          },
        },
        {
          type: 'required_status_checks',
          parameters: {
            strict_required_status_checks_policy: true,
            required_status_checks: RULESET_CHECKS,
          },
        },
      ],
    });
    expect(github.lines()).not.toContain(
      `PUT ${REPO}/branches/main/protection`,
    );
    github.clearRequests();
    await makeAction(config).handler(makeContext({ token: USER_TOKEN }));
    expect(github.writes()).toEqual([]);
  });
});
