import { mockServices } from '@backstage/backend-test-utils';
import {
  CHECKS,
  PROTECTED_CHECKS,
  REPO,
  RULESET_CHECKS,
  useActionHarness,
  USER_TOKEN,
} from '../__testUtils__/actionHarness';
import { ContentFile } from '../services/content/gitObjects';

const harness = useActionHarness();
const { makeAction, makeContext, body } = harness;

const HISTORY: ContentFile[] = [
  { path: 'AGENTS.md', content: Buffer.from('a'), mode: '100644' },
  { path: 'CLAUDE.md', content: Buffer.from('c'), mode: '100644' },
];

/** An organisation's existing protection, as the PUT body that made it. */
const EXISTING_PROTECTION = {
  required_status_checks: {
    strict: false,
    checks: [{ context: 'CodeQL', app_id: 57789 }, { context: CHECKS[0] }],
  },
  enforce_admins: false,
  required_pull_request_reviews: {
    dismiss_stale_reviews: false,
    require_code_owner_reviews: true,
    required_approving_review_count: 3,
    require_last_push_approval: false,
    dismissal_restrictions: { users: ['lead'], teams: ['security'], apps: [] },
    bypass_pull_request_allowances: {
      users: [],
      teams: ['release'],
      apps: ['renovate'],
    },
  },
  restrictions: {
    users: ['release-bot'],
    teams: ['maintainers'],
    apps: ['deployer'],
  },
  required_linear_history: true,
  allow_force_pushes: true,
  allow_deletions: false,
  block_creations: true,
  required_conversation_resolution: true,
  lock_branch: false,
  allow_fork_syncing: true,
};

function existingDualLaneRepo(
  options: { description?: string; defaultBranch?: string } = {},
) {
  return harness.github.addRepo('acme', 'payments', {
    topics: ['dual-lane'],
    files: HISTORY,
    description: options.description ?? 'Payments service',
    defaultBranch: options.defaultBranch,
  });
}

describe('adopting an existing dual-lane repository', () => {
  it('adds the gates to its branch protection and removes or weakens nothing', async () => {
    const repo = existingDualLaneRepo();
    repo.protection.set('main', EXISTING_PROTECTION);
    repo.signedBranches.add('main');

    await makeAction().handler(makeContext({ token: USER_TOKEN }));

    expect(body('PUT', `${REPO}/branches/main/protection`)).toEqual({
      required_status_checks: {
        // Stricter of the two; CodeQL stays with its app pin.
        strict: true,
        checks: [{ context: 'CodeQL', app_id: 57789 }, ...PROTECTED_CHECKS],
      },
      enforce_admins: true,
      required_pull_request_reviews: {
        dismiss_stale_reviews: true,
        require_code_owner_reviews: true,
        required_approving_review_count: 3,
        require_last_push_approval: false,
        dismissal_restrictions: {
          users: ['lead'],
          teams: ['security'],
          apps: [],
        },
        bypass_pull_request_allowances: {
          users: [],
          teams: ['release'],
          apps: ['renovate'],
        },
      },
      restrictions: {
        users: ['release-bot'],
        teams: ['maintainers'],
        apps: ['deployer'],
      },
      required_linear_history: true,
      allow_force_pushes: false,
      allow_deletions: false,
      block_creations: true,
      required_conversation_resolution: true,
      lock_branch: false,
      allow_fork_syncing: true,
    });
    // Signed commits have their own endpoint; they stay required.
    expect(harness.github.lines()).toContain(
      `POST ${REPO}/branches/main/protection/required_signatures`,
    );
    expect(repo.signedBranches.has('main')).toBe(true);
    expect(
      harness.github.requests.every(
        r => r.authorization === `token ${USER_TOKEN}`,
      ),
    ).toBe(true);

    // A second adoption finds nothing to add and writes nothing.
    harness.github.clearRequests();
    await makeAction().handler(makeContext({ token: USER_TOKEN }));
    expect(harness.github.writes()).toEqual([]);
  });

  it("refuses to adopt with the integration's credentials, before any write", async () => {
    const repo = existingDualLaneRepo();
    repo.protection.set('main', EXISTING_PROTECTION);
    await expect(makeAction().handler(makeContext())).rejects.toThrow(
      /already exists with content and this task did not create it.*needs the user's own GitHub token/,
    );
    expect(harness.github.writes()).toEqual([]);
    expect(repo.protection.get('main')).toBe(EXISTING_PROTECTION);
  });

  it('lets the integration adopt only where the config says so', async () => {
    existingDualLaneRepo();
    await makeAction({
      dualLane: { scaffolder: { adoption: 'anyCredentials' } },
    }).handler(makeContext());
    expect(harness.github.lines()).toContain(
      `PUT ${REPO}/branches/main/protection`,
    );

    await expect(
      makeAction({ dualLane: { scaffolder: { adoption: 'never' } } }).handler(
        makeContext({ token: USER_TOKEN }),
      ),
    ).rejects.toThrow(/adopting existing repositories is turned off/);
  });

  it('refuses, without writing anything, when a gate is pinned to another app', async () => {
    const repo = existingDualLaneRepo();
    repo.protection.set('main', {
      ...EXISTING_PROTECTION,
      required_status_checks: {
        strict: true,
        checks: [{ context: CHECKS[2], app_id: 999 }],
      },
    });
    const requiredChecks = CHECKS.map(context => ({
      name: `W / ${context}`,
      appId: 15368,
    }));
    await expect(
      makeAction({ dualLane: { gates: { requiredChecks } } }).handler(
        makeContext({ token: USER_TOKEN }),
      ),
    ).rejects.toThrow(
      /cannot be added to without weakening it, so nothing was changed:\n- the required check 'Verify SLSA Provenance' is pinned to app 999 but the gate must be reported by app 15368/,
    );
    expect(harness.github.writes()).toEqual([]);
  });

  it('refuses a protection it cannot read completely', async () => {
    const repo = existingDualLaneRepo();
    repo.protection.set('main', EXISTING_PROTECTION);
    const { allow_deletions: _omitted, ...partial } = {
      ...EXISTING_PROTECTION,
      enforce_admins: { enabled: false },
      required_linear_history: { enabled: true },
      allow_force_pushes: { enabled: true },
      block_creations: { enabled: true },
      required_conversation_resolution: { enabled: true },
      lock_branch: { enabled: false },
      allow_fork_syncing: { enabled: true },
      required_signatures: { enabled: false },
    };
    harness.github.failNext(
      'GET',
      `${REPO}/branches/main/protection`,
      200,
      partial,
    );
    await expect(
      makeAction().handler(makeContext({ token: USER_TOKEN })),
    ).rejects.toThrow(
      /cannot be read completely, so it is not rewritten: GitHub did not report 'allow deletions'/,
    );
    expect(harness.github.writes()).toEqual([]);
  });

  it('keeps its description and refuses to move its default branch', async () => {
    existingDualLaneRepo({ description: 'Legacy payments' });
    const ctx = makeContext({ token: USER_TOKEN });
    await makeAction().handler(ctx);
    expect(harness.github.lines()).not.toContain(`PATCH ${REPO}`);
    expect(harness.github.repo('acme', 'payments')!.description).toBe(
      'Legacy payments',
    );

    harness.github.repos.clear();
    harness.github.clearRequests();
    existingDualLaneRepo({ defaultBranch: 'master' });
    await expect(
      makeAction().handler(makeContext({ token: USER_TOKEN })),
    ).rejects.toThrow(
      /already exists with the default branch 'master'; the action does not change the default branch of an existing repository/,
    );
    expect(harness.github.writes()).toEqual([]);
  });

  it('merges into its ruleset: other rules and parameters stay, the gates are added', async () => {
    const repo = existingDualLaneRepo();
    repo.rulesets.push({
      id: 77,
      body: {
        name: 'dual-lane-gates',
        target: 'branch',
        enforcement: 'evaluate',
        bypass_actors: [
          { actor_id: 1, actor_type: 'Integration', bypass_mode: 'always' },
        ],
        conditions: {
          ref_name: { include: ['refs/heads/release'], exclude: [] },
        },
        rules: [
          { type: 'required_signatures' },
          {
            type: 'pull_request',
            parameters: {
              required_approving_review_count: 2,
              dismiss_stale_reviews_on_push: false,
              require_code_owner_review: true,
              require_last_push_approval: false,
              required_review_thread_resolution: false,
              allowed_merge_methods: ['squash'],
            },
          },
        ],
      },
    });
    const config = { dualLane: { scaffolder: { protection: 'ruleset' } } };
    // The default enforceAdmins forbids bypass actors: refused untouched.
    await expect(
      makeAction(config).handler(makeContext({ token: USER_TOKEN })),
    ).rejects.toThrow(
      /the ruleset 'dual-lane-gates' lets Integration:1:always bypass it/,
    );
    expect(harness.github.writes()).toEqual([]);

    const lenient = {
      dualLane: { scaffolder: { protection: 'ruleset', enforceAdmins: false } },
    };
    await makeAction(lenient).handler(makeContext({ token: USER_TOKEN }));
    expect(body('PUT', `${REPO}/rulesets/77`)).toEqual({
      name: 'dual-lane-gates',
      target: 'branch',
      enforcement: 'active',
      bypass_actors: [
        { actor_id: 1, actor_type: 'Integration', bypass_mode: 'always' },
        { actor_id: 5, actor_type: 'RepositoryRole', bypass_mode: 'always' },
      ],
      conditions: {
        ref_name: {
          include: ['refs/heads/release', '~DEFAULT_BRANCH'],
          exclude: [],
        },
      },
      rules: [
        { type: 'required_signatures' },
        {
          type: 'pull_request',
          parameters: {
            required_approving_review_count: 2,
            dismiss_stale_reviews_on_push: true,
            require_code_owner_review: true,
            require_last_push_approval: false,
            required_review_thread_resolution: false,
            allowed_merge_methods: ['squash'],
          },
        },
        { type: 'deletion' },
        { type: 'non_fast_forward' },
        {
          type: 'required_status_checks',
          parameters: {
            strict_required_status_checks_policy: true,
            required_status_checks: RULESET_CHECKS,
          },
        },
      ],
    });
    expect(harness.github.lines()).not.toContain(`POST ${REPO}/rulesets`);
  });
});

describe('owners allowed by default', () => {
  it("refuses the integration's credentials when allowedOwners is not configured", async () => {
    await expect(
      makeAction({}, { token: 'config-token' }, {}).handler(makeContext()),
    ).rejects.toThrow(
      /dualLane.scaffolder.allowedOwners is not configured, so the integration's credentials may not create repositories in 'acme'/,
    );
    expect(harness.github.requests).toEqual([]);
  });

  it("lets a user's own token create in any owner GitHub lets the user create in", async () => {
    await makeAction({}, { token: 'config-token' }, {}).handler(
      makeContext({ token: USER_TOKEN }),
    );
    expect(harness.github.repo('acme', 'payments')).toBeDefined();
  });

  it('only warns in a dry run, which uses no credentials', async () => {
    const logger = mockServices.logger.mock();
    await makeAction({}, {}, {}).handler(
      makeContext({}, undefined, { isDryRun: true, logger }),
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/^The real run would be refused: .*allowedOwners/),
    );
    expect(harness.github.requests).toEqual([]);
  });
});

describe('fail-closed read-back', () => {
  it('compares ruleset bypass actors one by one, not by count', async () => {
    const config = {
      dualLane: { scaffolder: { protection: 'ruleset', enforceAdmins: false } },
    };
    // GitHub answers with one bypass actor, but not the admin role asked for.
    harness.github.failNext(
      'GET',
      /^\/repos\/acme\/payments\/rulesets\/\d+$/,
      200,
      {
        id: 1000,
        name: 'dual-lane-gates',
        target: 'branch',
        enforcement: 'active',
        bypass_actors: [
          { actor_id: 42, actor_type: 'Team', bypass_mode: 'always' },
        ],
        conditions: { ref_name: { include: ['~DEFAULT_BRANCH'], exclude: [] } },
        rules: [
          { type: 'deletion' },
          { type: 'non_fast_forward' },
          {
            type: 'pull_request',
            parameters: {
              required_approving_review_count: 1,
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
      },
    );
    await expect(makeAction(config).handler(makeContext())).rejects.toThrow(
      /reading it back shows it differs[\s\S]*ruleset bypass actor RepositoryRole:5:always is missing[\s\S]*unexpected ruleset bypass actor Team:42:always/,
    );
  });

  it('treats a force-push or deletion setting GitHub did not report as a difference', async () => {
    harness.github.failNext('GET', `${REPO}/branches/main/protection`, 404, {
      message: 'Branch not protected',
    });
    harness.github.failNext('GET', `${REPO}/branches/main/protection`, 200, {
      required_status_checks: {
        strict: true,
        checks: CHECKS.map(context => ({ context, app_id: null })),
      },
      enforce_admins: { enabled: true },
      required_pull_request_reviews: {
        required_approving_review_count: 1,
        dismiss_stale_reviews: true,
      },
      required_linear_history: { enabled: false },
      block_creations: { enabled: false },
      required_conversation_resolution: { enabled: false },
      lock_branch: { enabled: false },
      allow_fork_syncing: { enabled: false },
      required_signatures: { enabled: false },
    });
    await expect(makeAction().handler(makeContext())).rejects.toThrow(
      /differs from what was asked[\s\S]*GitHub did not report 'allow force pushes'[\s\S]*GitHub did not report 'allow deletions'/,
    );
  });
});
