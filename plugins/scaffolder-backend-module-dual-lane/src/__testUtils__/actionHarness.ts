import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { setupServer } from 'msw/node';
import fs from 'node:fs';
import { createDualLaneRepoAction } from '../actions/createDualLaneRepoAction';
import { FakeGithub } from './fakeGithub';
import { dualLaneFiles, writeWorkspace } from './workspace';

export const REPO = '/repos/acme/payments';
/** A user's own token: what adopting an existing repository needs. */
export const USER_TOKEN = 'user-token';
/** The seed's four gate contexts. */
export const CHECKS = [
  'Run Gate 3 for PRD-*',
  'Check Story Release Gate',
  'Verify SLSA Provenance',
  'Validate Policy Bundle',
];
/** The drift check branch protection also requires, pinned to GitHub Actions. */
export const DRIFT_CHECK = {
  context: 'Check AGENTS.md vs CLAUDE.md',
  app_id: 15368,
};
/** What branch protection requires by default: the gates and the drift check. */
export const PROTECTED_CHECKS = [
  ...CHECKS.map(context => ({ context })),
  DRIFT_CHECK,
];
/** The same in a ruleset's terms. */
export const RULESET_CHECKS = [
  ...CHECKS.map(context => ({ context })),
  { context: DRIFT_CHECK.context, integration_id: DRIFT_CHECK.app_id },
];
/** The owners the tests create repositories in (deny by default otherwise). */
export const OWNERS = {
  dualLane: { scaffolder: { allowedOwners: ['acme', 'alice'] } },
};

function merge(a: any, b: any): any {
  if (
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    a === null ||
    b === null ||
    Array.isArray(b)
  ) {
    return b;
  }
  const out = { ...a };
  for (const [key, value] of Object.entries(b)) out[key] = merge(a[key], value);
  return out;
}

/**
 * The `dual-lane:repo:create` action against a fresh in-memory GitHub (MSW)
 * per test: registers the server and clean-up hooks of the calling test
 * file.
 */
export function useActionHarness() {
  const server = setupServer();
  const state = {
    github: new FakeGithub(),
    sleeps: [] as number[],
    workspaces: [] as string[],
  };
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  beforeEach(() => {
    state.github = new FakeGithub({
      organizations: ['acme'],
      users: ['alice'],
    });
    server.use(...state.github.handlers());
    state.sleeps = [];
  });
  afterEach(() => {
    server.resetHandlers();
    for (const dir of state.workspaces)
      fs.rmSync(dir, { recursive: true, force: true });
    state.workspaces = [];
  });
  afterAll(() => server.close());

  return {
    server,
    get github() {
      return state.github;
    },
    get sleeps() {
      return state.sleeps;
    },
    makeAction(
      extraConfig: object = {},
      github: object = { token: 'config-token' },
      owners: object = OWNERS,
    ) {
      const config = new ConfigReader({
        integrations: { github: [{ host: 'github.com', ...github }] },
        ...merge(owners, extraConfig),
      });
      return createDualLaneRepoAction({
        config,
        integrations: ScmIntegrations.fromConfig(config),
        clientOptions: {
          throttle: { enabled: false },
          retry: { enabled: false },
        },
        branchRetry: {
          attempts: 3,
          delayMs: 5,
          sleep: async ms => void state.sleeps.push(ms),
        },
      });
    },
    makeContext(
      input: Record<string, unknown> = {},
      files = dualLaneFiles(),
      extra: object = {},
    ) {
      const workspacePath = writeWorkspace(files);
      state.workspaces.push(workspacePath);
      const ctx = createMockActionContext({
        input: {
          repoUrl: 'github.com?owner=acme&repo=payments',
          description: 'Payments service',
          visibility: 'private',
          defaultBranch: 'main',
          catalogInfoPath: '/catalog-info.yaml',
          entityOwner: 'group:default/payments-team',
          stagingSlug: 'getting-started',
          ...input,
        } as any,
        workspacePath,
      });
      return { ...ctx, ...extra } as typeof ctx;
    },
    /** The body of the first request with this method and path. */
    body(method: string, path: string) {
      return state.github.requests.find(
        r => r.method === method && r.path === path,
      )?.body;
    },
  };
}
