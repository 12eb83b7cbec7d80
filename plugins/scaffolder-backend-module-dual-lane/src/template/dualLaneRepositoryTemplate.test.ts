import { mockServices } from '@backstage/backend-test-utils';
import {
  componentEntityV1alpha1Validator,
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
} from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createFetchTemplateAction } from '@backstage/plugin-scaffolder-backend';
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';
import { parseRepoUrl } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTemplateRenderer } from 'nunjitsu';
import { parse, parseAllDocuments } from 'yaml';
import { createDualLaneConfigReadAction } from '../actions/createDualLaneConfigReadAction';
import { createDualLaneRepoAction } from '../actions/createDualLaneRepoAction';
import { readContentFiles } from '../services/content/initialContent';
import { checkWorkflow } from '../services/content/workflowRules';

const TEMPLATE = path.resolve(
  __dirname,
  '../../templates/dual-lane-repository/template.yaml',
);
const PARAMETERS = {
  name: 'payments',
  description: 'Payments: "quoted" & #1',
  owner: 'group:default/payments-team',
  repoUrl: 'github.com?owner=acme&repo=payments',
  visibility: 'private',
  defaultBranch: 'main',
  stagingSlug: 'getting-started',
};

const tmpDirs: string[] = [];
function tmp() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dual-lane-template-'));
  tmpDirs.push(dir);
  return dir;
}
afterAll(() =>
  tmpDirs.forEach(dir => fs.rmSync(dir, { recursive: true, force: true })),
);

const template = parse(fs.readFileSync(TEMPLATE, 'utf8'));
const step = (id: string) => template.spec.steps.find((s: any) => s.id === id);

/**
 * Renders a step's input the way the scaffolder's workflow runner does:
 * every string goes through nunjitsu's renderValue, so a sole `${{ x }}`
 * keeps its type (arrays, objects).
 */
function renderInput(
  input: unknown,
  context: Record<string, any>,
  integrations: ScmIntegrations,
) {
  const renderer = createTemplateRenderer({
    filters: {
      parseRepoUrl: url => parseRepoUrl(String(url), integrations) as any,
    },
  });
  const prepared = renderer.prepareContext(context);
  return JSON.parse(JSON.stringify(input), (_key, value) =>
    typeof value === 'string' ? renderer.renderValue(value, prepared) : value,
  );
}

/** Runs config:read and fetch:template of the template; returns the workspace. */
async function renderSkeleton(appConfig: object = {}) {
  const config = new ConfigReader({
    integrations: { github: [{ host: 'github.com', token: 't' }] },
    ...appConfig,
  });
  const integrations = ScmIntegrations.fromConfig(config);

  const configCtx = createMockActionContext();
  await createDualLaneConfigReadAction({ config }).handler(configCtx);
  const configOutput = Object.fromEntries(
    (configCtx.output as jest.Mock).mock.calls,
  );
  const context = {
    parameters: PARAMETERS,
    steps: { config: { output: configOutput } },
    secrets: {},
  };

  const workspacePath = tmp();
  const scratch = tmp();
  const fetchCtx = {
    ...createMockActionContext({
      input: renderInput(step('fetch').input, context, integrations),
      workspacePath,
      templateInfo: {
        baseUrl: `file://${TEMPLATE}`,
        entityRef: 'template:default/dual-lane-repository',
      },
    }),
    createTemporaryDirectory: async () =>
      fs.mkdtempSync(path.join(scratch, 'fetch-')),
  };
  await createFetchTemplateAction({
    reader: mockServices.urlReader.mock(),
    integrations,
  }).handler(fetchCtx as any);
  return { workspacePath, config, integrations, context };
}

function walk(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full, base) : [path.relative(base, full)];
  });
}

const gatesBlock = (text: string) =>
  text.slice(
    text.indexOf('<!-- dual-lane:gates:begin -->'),
    text.indexOf('<!-- dual-lane:gates:end -->'),
  );

describe('the dual-lane-repository template', () => {
  it('is a valid v1beta3 template whose steps use the dual-lane actions', async () => {
    const policies = EntityPolicies.allOf([
      new DefaultNamespaceEntityPolicy(),
      new FieldFormatEntityPolicy(),
      new NoForeignRootFieldsEntityPolicy(),
      new SchemaValidEntityPolicy(),
    ]);
    await expect(policies.enforce(template)).resolves.toBeDefined();
    expect(await templateEntityV1beta3Validator.check(template)).toBe(true);
    expect(template.metadata.name).toBe('dual-lane-repository');
    expect(template.spec.steps.map((s: any) => s.action)).toEqual([
      'dual-lane:config:read',
      'fetch:template',
      'dual-lane:repo:create',
      'catalog:register',
    ]);
  });

  describe('rendered with the default config', () => {
    let ws: Awaited<ReturnType<typeof renderSkeleton>>;
    let files: string[];
    const read = (name: string) =>
      fs.readFileSync(path.join(ws.workspacePath, name), 'utf8');
    beforeAll(async () => {
      ws = await renderSkeleton();
      files = walk(ws.workspacePath);
    });

    it('holds everything a dual-lane repository needs', () => {
      expect(files.sort()).toEqual(
        [
          '.github/dependabot.yml',
          '.github/dual-lane/auto-label.cjs',
          '.github/dual-lane/lane-config.json',
          '.github/workflows/auto-labels.yml',
          '.github/workflows/leo-drift-check.yml',
          '.github/workflows/leo-gate.yml',
          '.github/workflows/negative-tests.yml',
          '.github/workflows/policy-verification.yml',
          '.github/workflows/slsa-verification.yml',
          '.github/workflows/story-release-gate.yml',
          '.gitignore',
          'AGENTS.md',
          'CLAUDE.md',
          'README.md',
          'catalog-info.yaml',
          'policies/require-digest.yaml',
          'policies/require-signed-images.yaml',
          'policies/require-slsa.yaml',
          'scripts/build-artifact-bundle.sh',
          'scripts/build-policy-bundle.sh',
          'scripts/lane-config.sh',
          'scripts/leo-drift-check.sh',
          'scripts/leo-gate.sh',
          'scripts/story-release-gate.sh',
          'scripts/verify-policy-bundle.sh',
          'scripts/verify-provenance.sh',
          'tests/negative/fixtures/digest-pod.yaml',
          'tests/negative/fixtures/non-digest-pod.yaml',
          'tests/negative/fixtures/unsigned-image-pod.yaml',
          'tests/negative/run-negative-tests.sh',
          'tests/policies/kyverno-test.yaml',
        ].sort(),
      );
    });

    it('leaves no template syntax behind', () => {
      for (const file of files) {
        const text = read(file);
        expect({
          file,
          leftover: /\$\{\{\s*values\.|\{%|%\}/.test(text),
        }).toEqual({ file, leftover: false });
      }
    });

    it('renders every YAML file as valid YAML', () => {
      for (const file of files.filter(f => /\.ya?ml$/.test(f))) {
        const docs = parseAllDocuments(read(file));
        const errors = (Array.isArray(docs) ? docs : [docs]).flatMap(d =>
          d.errors.map(e => e.message),
        );
        expect({ file, errors }).toEqual({ file, errors: [] });
      }
    });

    it('renders workflows GitHub Actions would accept', () => {
      const workflows = files.filter(f => f.startsWith('.github/workflows/'));
      expect(workflows).toHaveLength(7);
      for (const file of workflows) {
        expect({ file, errors: checkWorkflow(read(file)).errors }).toEqual({
          file,
          errors: [],
        });
      }
    });

    it('names each gate job after the check branch protection requires', () => {
      const byFile = Object.fromEntries(
        files
          .filter(f => f.startsWith('.github/workflows/'))
          .map(f => [f, checkWorkflow(read(f))]),
      );
      const expected: Record<string, [string, string]> = {
        '.github/workflows/leo-gate.yml': [
          'LEO Gate Validation',
          'Run Gate 3 for PRD-*',
        ],
        '.github/workflows/story-release-gate.yml': [
          'Story Release Gate Check',
          'Check Story Release Gate',
        ],
        '.github/workflows/slsa-verification.yml': [
          'SLSA Verification',
          'Verify SLSA Provenance',
        ],
        '.github/workflows/policy-verification.yml': [
          'Policy Verification',
          'Validate Policy Bundle',
        ],
      };
      for (const [file, [workflow, job]] of Object.entries(expected)) {
        expect(byFile[file].name).toBe(workflow);
        expect(byFile[file].jobs.map(j => j.checkName)).toContain(job);
      }
      const autoLabels = parse(read('.github/workflows/auto-labels.yml'));
      expect(autoLabels.on.workflow_run.workflows).toEqual(
        Object.values(expected).map(([w]) => w),
      );
      expect(
        parse(read('.github/workflows/leo-drift-check.yml')).on.schedule,
      ).toEqual([{ cron: '0 0 * * 0' }]);
    });

    it('renders a valid catalog entity with the annotations the dual-lane plugin reads', async () => {
      const entity = parse(read('catalog-info.yaml'));
      expect(await componentEntityV1alpha1Validator.check(entity)).toBe(true);
      await expect(
        EntityPolicies.allOf([
          new FieldFormatEntityPolicy(),
          new NoForeignRootFieldsEntityPolicy(),
          new SchemaValidEntityPolicy(),
        ]).enforce(entity),
      ).resolves.toBeDefined();
      expect(entity.metadata.description).toBe(PARAMETERS.description);
      expect(entity.metadata.annotations).toEqual({
        'github.com/project-slug': 'acme/payments',
        'backstage.io/source-location':
          'url:https://github.com/acme/payments/tree/main/',
      });
      expect(entity.spec.owner).toBe('group:default/payments-team');
    });

    it('gives AGENTS.md and CLAUDE.md the same gates and thresholds, and the drift check agrees', () => {
      const agents = read('AGENTS.md');
      const claude = read('CLAUDE.md');
      expect(gatesBlock(agents)).toBe(gatesBlock(claude));
      for (const gate of [
        'LEO Gate Validation / Run Gate 3 for PRD-*',
        'Story Release Gate Check / Check Story Release Gate',
        'SLSA Verification / Verify SLSA Provenance',
        'Policy Verification / Validate Policy Bundle',
      ]) {
        expect(gatesBlock(agents).split('\n')).toContain(`- \`${gate}\``);
      }
      const thresholds = gatesBlock(agents)
        .split('\n')
        .filter(line => line.startsWith('- **'));
      expect(
        thresholds.map(line => line.match(/^- \*\*([≥≤]?\d+%?)/)![1]),
      ).toEqual(['≥95%', '≤2', '100%', '100%', '≥1', '0', '100%']);
      expect(gatesBlock(agents)).toContain(
        'A gate must block each of: `unsigned-image`, `non-digest-image`, `provenance-replay`, `policy-tampering`.',
      );
      expect(agents.match(/≥([0-9]+)(?=%)/)![1]).toBe('95');

      const run = () =>
        spawnSync(
          path.join(ws.workspacePath, 'scripts/leo-drift-check.sh'),
          ['AGENTS.md', 'CLAUDE.md'],
          { cwd: ws.workspacePath, encoding: 'utf8' },
        );
      expect(run()).toMatchObject({
        status: 0,
        stdout: expect.stringContaining('No drift detected'),
      });

      const original = claude;
      try {
        fs.writeFileSync(
          path.join(ws.workspacePath, 'CLAUDE.md'),
          claude.replace('≤2 rework cycles', '≤3 rework cycles'),
        );
        expect(run()).toMatchObject({
          status: 1,
          stdout: expect.stringContaining('DRIFT DETECTED'),
        });
        fs.writeFileSync(
          path.join(ws.workspacePath, 'CLAUDE.md'),
          claude.replace('≥95%', '≥90%'),
        );
        expect(run()).toMatchObject({
          status: 1,
          stdout: expect.stringContaining("Gate thresholds don't match"),
        });
      } finally {
        fs.writeFileSync(path.join(ws.workspacePath, 'CLAUDE.md'), original);
      }
    });

    it('keeps the scripts executable and syntactically valid', async () => {
      const content = await readContentFiles(ws.workspacePath);
      const executables = content
        .filter(f => f.mode === '100755')
        .map(f => f.path);
      expect(executables).toEqual(files.filter(f => f.endsWith('.sh')).sort());
      for (const script of executables) {
        expect(
          spawnSync('bash', ['-n', script], { cwd: ws.workspacePath }).status,
        ).toBe(0);
      }
      expect(
        spawnSync(
          process.execPath,
          ['--check', '.github/dual-lane/auto-label.cjs'],
          { cwd: ws.workspacePath },
        ).status,
      ).toBe(0);
    });

    it('writes lane-config.json from the same config branch protection uses', () => {
      const laneConfig = JSON.parse(read('.github/dual-lane/lane-config.json'));
      expect(laneConfig.requiredChecks.map((c: any) => c.context)).toEqual([
        'Run Gate 3 for PRD-*',
        'Check Story Release Gate',
        'Verify SLSA Provenance',
        'Validate Policy Bundle',
      ]);
      expect(laneConfig.labels['plan-approved'].name).toBe('plan-approved');
      expect(laneConfig.markers).toEqual({
        ready: 'CODEX-READY',
        applied: 'CLAUDE-APPLIED',
      });
      expect(laneConfig.defaultBranch).toBe('main');
      expect(laneConfig.verdicts).toEqual({
        marker: 'PLAN-VERDICT',
        supervisors: [],
        reviewStates: true,
        comments: true,
      });
    });

    it('points the kyverno test at files that exist', () => {
      const test = parse(read('tests/policies/kyverno-test.yaml'));
      for (const ref of [...test.policies, ...test.resources]) {
        expect(
          fs.existsSync(path.join(ws.workspacePath, 'tests/policies', ref)),
        ).toBe(true);
      }
      const names = test.resources.map(
        (r: string) =>
          parse(read(path.join('tests/policies', r))).metadata.name,
      );
      expect(test.results.flatMap((r: any) => r.resources)).toEqual(names);
    });

    it('builds the policy bundle reproducibly', () => {
      const build = (out: string) =>
        execFileSync(
          path.join(ws.workspacePath, 'scripts/build-policy-bundle.sh'),
          ['policies', out],
          { cwd: ws.workspacePath },
        )
          .toString()
          .trim();
      const first = build(path.join(tmp(), 'a.tar.gz'));
      const second = build(path.join(tmp(), 'b.tar.gz'));
      expect(first).toMatch(/^[0-9a-f]{64}$/);
      expect(second).toBe(first);
    });

    describe('gate scripts', () => {
      let repo: string;
      const git = (...args: string[]) =>
        execFileSync('git', args, { cwd: repo }).toString().trim();
      const commit = (message: string) => {
        fs.appendFileSync(path.join(repo, 'change.txt'), `${message}\n`);
        git('add', '.');
        git(
          '-c',
          'user.name=t',
          '-c',
          'user.email=t@example.com',
          'commit',
          '-q',
          '-m',
          message,
        );
        return git('rev-parse', 'HEAD');
      };
      let base: string;
      beforeAll(() => {
        repo = tmp();
        fs.cpSync(ws.workspacePath, repo, { recursive: true });
        git('init', '-q', '-b', 'main');
        base = commit('initial');
        git('checkout', '-q', '-b', 'feature/add-search');
      });
      const leoGate = (env: Record<string, string>) =>
        spawnSync('./scripts/leo-gate.sh', [], {
          cwd: repo,
          encoding: 'utf8',
          env: { PATH: process.env.PATH!, ...env },
        });

      it('LEO gate passes with a PRD and both lane markers, and names what is missing otherwise', () => {
        commit('search index [CODEX-READY:add-search]');
        const onlyBuilder = git('rev-parse', 'HEAD');
        const env = {
          HEAD_REF: 'feature/add-search',
          BASE_SHA: base,
          PR_TITLE: 'PRD-12: search',
        };
        expect(leoGate({ ...env, HEAD_SHA: onlyBuilder })).toMatchObject({
          status: 1,
          stdout: expect.stringContaining(
            'no commit of the pull request carries [CLAUDE-APPLIED:add-search]',
          ),
        });
        const head = commit('apply search [CLAUDE-APPLIED:add-search]');
        expect(leoGate({ ...env, HEAD_SHA: head })).toMatchObject({
          status: 0,
          stdout: expect.stringContaining('Gate 3 passed for PRD-12'),
        });
        expect(
          leoGate({ ...env, HEAD_SHA: head, PR_TITLE: 'search' }),
        ).toMatchObject({
          status: 1,
          stdout: expect.stringContaining('names no PRD'),
        });
        expect(
          leoGate({ ...env, HEAD_SHA: head, HEAD_REF: 'staging/add-search' }),
        ).toMatchObject({
          status: 1,
          stdout: expect.stringContaining('is not feature/<slug>'),
        });
        expect(
          leoGate({ ...env, HEAD_SHA: head, HEAD_REF: 'feature/other' }),
        ).toMatchObject({ status: 1 });
      });

      it('story release gate needs named stories, checked criteria and no rework label', () => {
        const gate = (body: string, labels = '') =>
          spawnSync('./scripts/story-release-gate.sh', [], {
            cwd: repo,
            encoding: 'utf8',
            env: { PATH: process.env.PATH!, PR_BODY: body, PR_LABELS: labels },
          });
        const good =
          'Releases STORY-7 and STORY-9\n\n- [x] search works\n- [X] results ranked\n';
        expect(gate(good)).toMatchObject({
          status: 0,
          stdout: expect.stringContaining('passed for STORY-7 STORY-9'),
        });
        expect(gate('no stories\n- [x] done')).toMatchObject({
          status: 1,
          stdout: expect.stringContaining('names no story'),
        });
        expect(gate(`${good}- [ ] pagination\n`)).toMatchObject({
          status: 1,
          stdout: expect.stringContaining('not all checked: - [ ] pagination'),
        });
        expect(gate('STORY-7 without criteria')).toMatchObject({
          status: 1,
          stdout: expect.stringContaining('no checked acceptance criteria'),
        });
        expect(gate(good, 'bug,rework-requested')).toMatchObject({
          status: 1,
          stdout: expect.stringContaining("label 'rework-requested'"),
        });
      });

      it('builds the artifact bundle contents from the merge base', () => {
        const out = path.join(tmp(), 'out');
        execFileSync('./scripts/build-artifact-bundle.sh', [base, out], {
          cwd: repo,
        });
        expect(
          fs.readFileSync(path.join(out, 'merge-base.sha'), 'utf8').trim(),
        ).toBe(base);
        expect(
          fs.readFileSync(path.join(out, 'changes.patch'), 'utf8'),
        ).toContain('+apply search [CLAUDE-APPLIED:add-search]');
      });
    });

    describe('auto-label state machine', () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const load = () =>
        require(path.join(
          ws.workspacePath,
          '.github/dual-lane/auto-label.cjs',
        ));
      const contexts = [
        'Run Gate 3 for PRD-*',
        'Check Story Release Gate',
        'Verify SLSA Provenance',
        'Validate Policy Bundle',
      ];
      const green = contexts.map(name => ({
        name,
        status: 'completed',
        conclusion: 'success',
        started_at: '2025-01-19T10:00:00Z',
        app: { id: 15368 },
      }));
      const pr = (overrides: object = {}) => ({
        headRef: 'feature/add-search',
        headSha: 'head',
        commitMessages: [
          'x [CODEX-READY:add-search]',
          'y [CLAUDE-APPLIED:add-search]',
        ],
        checkRuns: green,
        reviews: [],
        ...overrides,
      });

      it('walks the lane states', () => {
        const { laneState } = load();
        expect(
          laneState(pr({ commitMessages: ['x [CODEX-READY:add-search]'] })),
        ).toBe('codex-ready');
        expect(
          laneState(pr({ commitMessages: ['x [CODEX-READY:other]'] })),
        ).toBeUndefined();
        expect(laneState(pr({ checkRuns: green.slice(1) }))).toBe(
          'claude-enforcing',
        );
        const failedAgain = {
          ...green[0],
          conclusion: 'failure',
          started_at: '2025-01-19T11:00:00Z',
        };
        expect(laneState(pr({ checkRuns: [...green, failedAgain] }))).toBe(
          'claude-enforcing',
        );
        expect(laneState(pr())).toBe('plan-review');
        const review = (state: string, commit_id = 'head', login = 'plan') => ({
          state,
          commit_id,
          user: { login },
        });
        expect(laneState(pr({ reviews: [review('APPROVED')] }))).toBe(
          'plan-approved',
        );
        expect(laneState(pr({ reviews: [review('APPROVED', 'older')] }))).toBe(
          'plan-review',
        );
        expect(
          laneState(
            pr({
              reviews: [
                review('APPROVED'),
                review('CHANGES_REQUESTED', 'head', 'other'),
              ],
            }),
          ),
        ).toBe('rework-requested');
        expect(
          laneState(
            pr({ reviews: [review('CHANGES_REQUESTED'), review('APPROVED')] }),
          ),
        ).toBe('plan-approved');
        expect(
          laneState(pr({ reviews: [review('CHANGES_REQUESTED', 'older')] })),
        ).toBe('plan-review');
        expect(laneState(pr({ headRef: 'main' }))).toBeUndefined();
      });

      it('keeps exactly one lane label and leaves other labels alone', async () => {
        const mod = load();
        expect(
          mod.labelChanges(
            ['bug', 'claude-enforcing', 'codex-ready'],
            'plan-review',
          ),
        ).toEqual({
          add: ['plan-review'],
          remove: ['claude-enforcing', 'codex-ready'],
        });
        expect(mod.labelChanges(['plan-review'], 'plan-review')).toEqual({
          add: [],
          remove: [],
        });
        expect(mod.labelChanges(['plan-review', 'bug'], undefined)).toEqual({
          add: [],
          remove: ['plan-review'],
        });

        const calls: string[] = [];
        const rest = {
          pulls: {
            get: async () => ({
              data: {
                state: 'open',
                head: { ref: 'feature/add-search', sha: 'head' },
                labels: [{ name: 'codex-ready' }, { name: 'bug' }],
              },
            }),
            listCommits: 'listCommits',
            listReviews: 'listReviews',
          },
          checks: { listForRef: 'listForRef' },
          issues: {
            removeLabel: async ({ name }: any) =>
              void calls.push(`remove ${name}`),
            addLabels: async ({ labels }: any) =>
              void calls.push(`add ${labels.join(',')}`),
          },
        };
        const pages: Record<string, unknown[]> = {
          listCommits: pr().commitMessages.map(message => ({
            commit: { message },
          })),
          listForRef: green,
          listReviews: [],
        };
        await mod({
          github: { rest, paginate: async (method: string) => pages[method] },
          context: {
            repo: { owner: 'acme', repo: 'payments' },
            payload: { pull_request: { number: 5 } },
          },
          core: { info: () => undefined },
        });
        expect(calls).toEqual(['remove codex-ready', 'add plan-review']);
      });
    });

    it('passes the content checks of dual-lane:repo:create (dry run)', async () => {
      const input = renderInput(
        step('create').input,
        ws.context,
        ws.integrations,
      );
      expect(input.token).toBeUndefined();
      const ctx = {
        ...createMockActionContext({ input, workspacePath: ws.workspacePath }),
        isDryRun: true,
      };
      await createDualLaneRepoAction({
        config: ws.config,
        integrations: ws.integrations,
      }).handler(ctx as any);
      expect(ctx.output).toHaveBeenCalledWith(
        'ownerEntityRef',
        'group:default/payments-team',
      );
      expect(ctx.output).toHaveBeenCalledWith(
        'catalogInfoPath',
        '/catalog-info.yaml',
      );
    });
  });

  it('follows configured gates and labels', async () => {
    const { workspacePath } = await renderSkeleton({
      dualLane: {
        gates: {
          // Not in the seed's order: the template maps them by name.
          requiredChecks: [
            { name: 'Policies / Policy check' },
            { name: 'Provenance / SLSA check' },
            {
              name: 'LEO / Gate three',
              appId: 15368,
              appSlug: 'github-actions',
            },
            { name: 'Stories / Story gate' },
          ],
        },
        negativeTests: { checkNames: ['Negative Tests Report'] },
        labels: { 'plan-review': { name: 'lane: plan review' } },
        scaffolder: {
          templateGates: {
            leo: 'LEO / Gate three',
            storyRelease: 'Stories / Story gate',
            slsa: 'Provenance / SLSA check',
            policy: 'Policies / Policy check',
          },
        },
      },
    });
    const leo = checkWorkflow(
      fs.readFileSync(
        path.join(workspacePath, '.github/workflows/leo-gate.yml'),
        'utf8',
      ),
    );
    expect(leo.name).toBe('LEO');
    expect(leo.jobs.map(j => j.checkName)).toEqual(['Gate three']);
    const workflow = (name: string) =>
      checkWorkflow(
        fs.readFileSync(
          path.join(workspacePath, '.github/workflows', name),
          'utf8',
        ),
      );
    expect(workflow('policy-verification.yml').name).toBe('Policies');
    expect(
      workflow('policy-verification.yml').jobs.map(j => j.checkName),
    ).toContain('Policy check');
    expect(
      workflow('slsa-verification.yml').jobs.map(j => j.checkName),
    ).toContain('SLSA check');
    expect(workflow('negative-tests.yml').jobs.map(j => j.checkName)).toEqual([
      'Negative Tests Report',
    ]);
    const agents = fs.readFileSync(
      path.join(workspacePath, 'AGENTS.md'),
      'utf8',
    );
    const lines = gatesBlock(agents).split('\n');
    expect(lines).toContain(
      '- `LEO / Gate three` (reported by `github-actions`)',
    );
    expect(lines).toContain('- `Stories / Story gate`');
    expect(agents.split('\n')).toContain(
      '- `lane: plan review`: All required gates pass; waiting for the PLAN verdict',
    );
  });
});
