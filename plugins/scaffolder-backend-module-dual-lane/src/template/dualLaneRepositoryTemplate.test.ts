import {
  componentEntityV1alpha1Validator,
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
} from '@backstage/catalog-model';
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { compareAgentInstructions } from '@dual-lane/plugin-dual-lane-common';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { createDualLaneRepoAction } from '../actions/createDualLaneRepoAction';
import { readContentFiles } from '../services/content/initialContent';
import { checkWorkflow } from '../services/content/workflowRules';
import { officialWorkflowErrors } from '../__testUtils__/officialWorkflowParser';
import {
  cleanUpTemp,
  PARAMETERS,
  renderInput,
  renderSkeleton,
  step,
  template,
  tmp,
} from '../__testUtils__/renderSkeleton';

afterAll(cleanUpTemp);

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
          '.github/dual-lane/drift-check.cjs',
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
          'scripts/backstage-ingest.sh',
          'scripts/build-artifact-bundle.sh',
          'scripts/build-policy-bundle.sh',
          'scripts/check-artifact-bundle.sh',
          'scripts/check-sigstore-bundle.sh',
          'scripts/lane-config.sh',
          'scripts/leo-gate.sh',
          'scripts/pack-artifact-bundle.sh',
          'scripts/publish-artifact-bundle.sh',
          'scripts/record-policy-gate.sh',
          'scripts/story-release-gate.sh',
          'scripts/verify-org-policy-bundle.sh',
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

    it('renders workflows GitHub Actions would accept', async () => {
      const workflows = files.filter(f => f.startsWith('.github/workflows/'));
      expect(workflows).toHaveLength(7);
      for (const file of workflows) {
        expect({
          file,
          errors: checkWorkflow(read(file)).errors,
          official: await officialWorkflowErrors(file, read(file)),
        }).toEqual({ file, errors: [], official: [] });
      }
    });

    it("is checked by GitHub's own workflow parser, which finds what the hand-written rules miss", async () => {
      // A job-level `if` cannot read `env`: only GitHub's parser knows
      // which contexts each key allows.
      const broken = read('.github/workflows/leo-gate.yml').replace(
        'runs-on: ubuntu-latest',
        "if: env.X != ''\n    needs: build\n    runs-on: ubuntu-latest",
      );
      expect(checkWorkflow(broken).errors).toEqual([
        expect.stringMatching(/needs unknown job 'build'/),
      ]);
      expect(await officialWorkflowErrors('leo-gate.yml', broken)).toEqual([
        expect.stringMatching(/Unrecognized named-value: 'env'/),
        expect.stringMatching(
          /must contain at least one job with no dependencies/,
        ),
      ]);
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
        '.github/workflows/leo-drift-check.yml': [
          'LEO Drift Check',
          'Check AGENTS.md vs CLAUDE.md',
        ],
      };
      for (const [file, [workflow, job]] of Object.entries(expected)) {
        expect(byFile[file].name).toBe(workflow);
        expect(byFile[file].jobs.map(j => j.checkName)).toContain(job);
      }
      const autoLabels = parse(read('.github/workflows/auto-labels.yml'));
      expect(autoLabels.on.workflow_run.workflows).toEqual(
        Object.values(expected)
          .slice(0, 4)
          .map(([w]) => w),
      );
      const drift = parse(read('.github/workflows/leo-drift-check.yml'));
      expect(drift.on.schedule).toEqual([{ cron: '0 0 * * 0' }]);
      // Required checks must report on every pull request: no path filter.
      expect(drift.on.pull_request).toBeNull();
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

    it('gives AGENTS.md and CLAUDE.md the same gates and thresholds', () => {
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
      expect(compareAgentInstructions(agents, claude)).toEqual([]);
      // The claim that drift blocks merges holds: the check is required.
      expect(agents).toContain(
        '`Check AGENTS.md vs CLAUDE.md` is a required check: failures block merges.',
      );
    });

    describe('drift check (.github/dual-lane/drift-check.cjs)', () => {
      let dir: string;
      beforeAll(() => {
        dir = tmp();
        fs.cpSync(ws.workspacePath, dir, { recursive: true });
      });
      const check = (agents: string, claude: string) => {
        fs.writeFileSync(path.join(dir, 'AGENTS.md'), agents);
        fs.writeFileSync(path.join(dir, 'CLAUDE.md'), claude);
        return spawnSync(
          process.execPath,
          ['.github/dual-lane/drift-check.cjs', 'AGENTS.md', 'CLAUDE.md'],
          { cwd: dir, encoding: 'utf8' },
        );
      };
      /** The backend's verdict on the same two files. */
      const backendDrifts = (agents: string, claude: string) =>
        compareAgentInstructions(agents, claude).length > 0;

      it('agrees with the backend on the rendered files and on changed thresholds', () => {
        const agents = read('AGENTS.md');
        const claude = read('CLAUDE.md');
        expect(check(agents, claude)).toMatchObject({
          status: 0,
          stdout: expect.stringContaining('No drift detected'),
        });
        const rework = claude.replace('≤2 rework cycles', '≤3 rework cycles');
        expect(backendDrifts(agents, rework)).toBe(true);
        expect(check(agents, rework)).toMatchObject({
          status: 1,
          stdout: expect.stringMatching(
            /::error file=CLAUDE.md,line=\d+,title=AGENTS.md\/CLAUDE.md drift::threshold-mismatch: rework-cycles[\s\S]*DRIFT DETECTED/,
          ),
        });
      });

      it('fails on a threshold stated outside the gates block, as the backend does', () => {
        const agents = read('AGENTS.md');
        const claude = `${read(
          'CLAUDE.md',
        )}\nNote: we aim for ≥90% PRs with PLAN verdict.\n`;
        expect(backendDrifts(agents, claude)).toBe(true);
        expect(check(agents, claude)).toMatchObject({
          status: 1,
          stdout: expect.stringContaining(
            'threshold-mismatch: verdict-coverage',
          ),
        });
      });

      it('passes two gate lines swapped inside the block, as the backend does', () => {
        const agents = read('AGENTS.md');
        const leo = '- `LEO Gate Validation / Run Gate 3 for PRD-*`';
        const story = '- `Story Release Gate Check / Check Story Release Gate`';
        const claude = read('CLAUDE.md')
          .replace(leo, '@@LEO@@')
          .replace(story, leo)
          .replace('@@LEO@@', story);
        expect(claude).not.toBe(read('CLAUDE.md'));
        expect(backendDrifts(agents, claude)).toBe(false);
        expect(check(agents, claude)).toMatchObject({ status: 0 });
      });

      it('fails when a file is missing or a gate is named in one file only', () => {
        const agents = read('AGENTS.md');
        fs.rmSync(path.join(dir, 'CLAUDE.md'), { force: true });
        fs.writeFileSync(path.join(dir, 'AGENTS.md'), agents);
        expect(
          spawnSync(process.execPath, ['.github/dual-lane/drift-check.cjs'], {
            cwd: dir,
            encoding: 'utf8',
          }),
        ).toMatchObject({
          status: 1,
          stdout: expect.stringContaining('file-missing: CLAUDE.md'),
        });
        const claude = read('CLAUDE.md').replace(
          'SLSA Verification / Verify SLSA Provenance',
          'SLSA Verification / Verify Provenance',
        );
        expect(check(agents, claude)).toMatchObject({
          status: 1,
          stdout: expect.stringContaining(
            'gate-missing: SLSA Verification / Verify SLSA Provenance',
          ),
        });
      });
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
      for (const bundle of ['auto-label.cjs', 'drift-check.cjs']) {
        expect(
          spawnSync(
            process.execPath,
            ['--check', `.github/dual-lane/${bundle}`],
            { cwd: ws.workspacePath },
          ).status,
        ).toBe(0);
      }
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

    describe('auto-label (.github/dual-lane/auto-label.cjs)', () => {
      const load = () =>
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require(path.join(
          ws.workspacePath,
          '.github/dual-lane/auto-label.cjs',
        ));
      const laneConfig = () =>
        JSON.parse(read('.github/dual-lane/lane-config.json'));
      const HEAD = 'a'.repeat(40);
      const OLD = 'b'.repeat(40);
      const commit = (sha: string, message: string, date: string) => ({
        sha,
        commit: { message, committer: { date } },
      });
      const contexts = [
        'Run Gate 3 for PRD-*',
        'Check Story Release Gate',
        'Verify SLSA Provenance',
        'Validate Policy Bundle',
        'Check AGENTS.md vs CLAUDE.md',
      ];
      const green = contexts.map((name, i) => ({
        id: i + 1,
        name,
        head_sha: HEAD,
        status: 'completed',
        conclusion: 'success',
        started_at: '2025-01-19T10:00:00Z',
        app: { id: 15368, slug: 'github-actions' },
      }));
      const review = (
        state: string,
        login = 'plan',
        body = '',
        commitId = HEAD,
      ) => ({
        state,
        body,
        commit_id: commitId,
        submitted_at: '2025-01-19T12:00:00Z',
        user: { login },
      });
      const pr = (overrides: object = {}) => ({
        headRef: 'feature/add-search',
        headSha: HEAD,
        commits: [
          commit(OLD, 'x [CODEX-READY:add-search]', '2025-01-19T09:00:00Z'),
          commit(HEAD, 'y [CLAUDE-APPLIED:add-search]', '2025-01-19T09:30:00Z'),
        ],
        checkRuns: green,
        reviews: [],
        comments: [],
        ...overrides,
      });

      it('walks the lane states as the backend computes them', () => {
        const { laneStateOf } = load();
        const config = laneConfig();
        const state = (o: object = {}, c = config) => laneStateOf(pr(o), c);
        expect(
          state({
            commits: [
              commit(
                HEAD,
                'x [CODEX-READY:add-search]',
                '2025-01-19T09:00:00Z',
              ),
            ],
          }),
        ).toBe('codex-ready');
        expect(
          state({
            commits: [],
            stagingCommits: [
              commit(OLD, 'x [CODEX-READY:add-search]', '2025-01-19T09:00:00Z'),
            ],
          }),
        ).toBe('codex-ready');
        expect(
          state({
            commits: [
              commit(HEAD, '[CODEX-READY:other]', '2025-01-19T09:00:00Z'),
            ],
          }),
        ).toBeUndefined();
        expect(state({ headRef: 'main' })).toBeUndefined();
        expect(state({ checkRuns: green.slice(1) })).toBe('claude-enforcing');
        // A check of a gate's name from another app does not count where the
        // gate is pinned; an unpinned gate takes any app.
        const pinned = {
          ...config,
          requiredChecks: config.requiredChecks.map((c: object) => ({
            ...c,
            appId: 15368,
          })),
        };
        const foreign = green.map(r => ({ ...r, app: { id: 1, slug: 'x' } }));
        expect(state({ checkRuns: foreign }, pinned)).toBe('claude-enforcing');
        expect(state({ checkRuns: foreign })).toBe('plan-review');
        expect(state()).toBe('plan-review');
        expect(state({ reviews: [review('APPROVED')] })).toBe('plan-approved');
        expect(state({ reviews: [review('APPROVED', 'plan', '', OLD)] })).toBe(
          'plan-review',
        );
        // One supervisor's objection is not outweighed by another's approval.
        expect(
          state({
            reviews: [review('APPROVED'), review('CHANGES_REQUESTED', 'other')],
          }),
        ).toBe('rework-requested');
      });

      it('reads [PLAN-VERDICT:...] markers in reviews and comments, rejected included', () => {
        const { laneStateOf } = load();
        const config = laneConfig();
        expect(
          laneStateOf(
            pr({
              reviews: [
                review('COMMENTED', 'plan', 'No. [PLAN-VERDICT:rejected]'),
              ],
            }),
            config,
          ),
        ).toBe('rework-requested');
        const comment = (body: string, at = '2025-01-19T13:00:00Z') => ({
          body,
          created_at: at,
          user: { login: 'plan' },
        });
        expect(
          laneStateOf(
            pr({ comments: [comment('[PLAN-VERDICT:approved]')] }),
            config,
          ),
        ).toBe('plan-approved');
        // Written before the head commit: a verdict on older work.
        expect(
          laneStateOf(
            pr({
              comments: [
                comment('[PLAN-VERDICT:approved]', '2025-01-19T09:10:00Z'),
              ],
            }),
            config,
          ),
        ).toBe('plan-review');
        expect(
          laneStateOf(pr({ comments: [comment('[PLAN-VERDICT:approved]')] }), {
            ...config,
            verdicts: { ...config.verdicts, comments: false },
          }),
        ).toBe('plan-review');
      });

      it('counts only supervisors and, when told, only markers', () => {
        const { laneStateOf } = load();
        const config = laneConfig();
        const supervised = {
          ...config,
          verdicts: { ...config.verdicts, supervisors: ['Plan-Bot'] },
        };
        expect(
          laneStateOf(
            pr({ reviews: [review('APPROVED', 'someone')] }),
            supervised,
          ),
        ).toBe('plan-review');
        expect(
          laneStateOf(
            pr({ reviews: [review('APPROVED', 'plan-bot')] }),
            supervised,
          ),
        ).toBe('plan-approved');
        // Without supervisors, anyone but the pull request's author counts.
        expect(
          laneStateOf(
            pr({ author: 'plan', reviews: [review('APPROVED', 'plan')] }),
            config,
          ),
        ).toBe('plan-review');
        expect(
          laneStateOf(
            pr({ author: 'builder', reviews: [review('APPROVED', 'plan')] }),
            config,
          ),
        ).toBe('plan-approved');
        const markersOnly = {
          ...config,
          verdicts: { ...config.verdicts, reviewStates: false },
        };
        expect(
          laneStateOf(pr({ reviews: [review('APPROVED')] }), markersOnly),
        ).toBe('plan-review');
      });

      it('keeps exactly one lane label through the GitHub API and leaves other labels alone', async () => {
        const mod = load();
        const config = laneConfig();
        expect(
          mod.labelChanges(
            ['bug', 'claude-enforcing', 'codex-ready'],
            'plan-review',
            config,
          ),
        ).toEqual({
          add: ['plan-review'],
          remove: ['claude-enforcing', 'codex-ready'],
        });
        expect(
          mod.labelChanges(['plan-review'], 'plan-review', config),
        ).toEqual({ add: [], remove: [] });
        expect(
          mod.labelChanges(['plan-review', 'bug'], undefined, config),
        ).toEqual({ add: [], remove: ['plan-review'] });

        const calls: string[] = [];
        const facts = pr({
          commits: [
            commit(
              HEAD,
              'y [CLAUDE-APPLIED:add-search]',
              '2025-01-19T09:30:00Z',
            ),
          ],
        });
        const rest = {
          pulls: {
            get: async () => ({
              data: {
                state: 'open',
                head: { ref: 'feature/add-search', sha: HEAD },
                labels: [{ name: 'codex-ready' }, { name: 'bug' }],
              },
            }),
            list: 'list',
            listCommits: 'listCommits',
            listReviews: 'listReviews',
          },
          checks: { listForRef: 'listForRef' },
          repos: {
            // The ready marker is on the builder's staging branch only.
            listCommits: async ({ sha }: any) => {
              calls.push(`staging ${sha}`);
              return {
                data: [
                  commit(
                    OLD,
                    'x [CODEX-READY:add-search]',
                    '2025-01-19T09:00:00Z',
                  ),
                ],
              };
            },
          },
          issues: {
            listComments: 'listComments',
            removeLabel: async ({ name }: any) =>
              void calls.push(`remove ${name}`),
            addLabels: async ({ labels }: any) =>
              void calls.push(`add ${labels.join(',')}`),
          },
        };
        const pages: Record<string, unknown[]> = {
          listCommits: facts.commits,
          listForRef: green,
          listReviews: [],
          listComments: [
            {
              body: '[PLAN-VERDICT:approved]',
              created_at: '2025-01-19T13:00:00Z',
              user: { login: 'plan' },
            },
          ],
        };
        await mod.run({
          github: { rest, paginate: async (method: string) => pages[method] },
          context: {
            repo: { owner: 'acme', repo: 'payments' },
            payload: { issue: { number: 5, pull_request: {} } },
          },
          core: { info: () => undefined },
        });
        expect(calls).toEqual([
          'staging staging/add-search',
          'remove codex-ready',
          'add plan-approved',
        ]);
      });
    });

    it('ships the label and drift bundles built from the current dual-lane-common rules', () => {
      const script = path.resolve(
        __dirname,
        '../../scripts/build-skeleton-bundles.mjs',
      );
      const result = spawnSync(process.execPath, [script, '--check'], {
        encoding: 'utf8',
      });
      expect(result).toMatchObject({
        status: 0,
        stdout: expect.stringContaining('skeleton bundles are up to date'),
      });
      // The check does notice a bundle that differs from a fresh build.
      const root = tmp();
      const bundleDir = path.join(
        root,
        'templates/dual-lane-repository/skeleton/.github/dual-lane',
      );
      fs.mkdirSync(bundleDir, { recursive: true });
      for (const name of ['auto-label.cjs', 'drift-check.cjs']) {
        fs.copyFileSync(
          path.resolve(
            __dirname,
            '../../templates/dual-lane-repository/skeleton/.github/dual-lane',
            name,
          ),
          path.join(bundleDir, name),
        );
      }
      fs.appendFileSync(path.join(bundleDir, 'drift-check.cjs'), '// edited\n');
      expect(
        spawnSync(process.execPath, [script, '--check', '--root', root], {
          encoding: 'utf8',
        }),
      ).toMatchObject({
        status: 1,
        stdout: expect.stringContaining('drift-check.cjs is stale'),
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
