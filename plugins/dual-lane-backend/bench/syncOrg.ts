import {
  FakeGithub,
  FakePull,
  GITHUB_ACTIONS,
  sha,
} from '../src/services/gates/__testUtils__/fakeGithub';

/*
 * A simulated organisation for the sync benchmark, generated
 * deterministically: per repository `prs` pull requests over the last 20
 * days (20% open, 70% merged, 10% closed), each on `feature/<slug>` with a
 * CLAUDE-APPLIED commit (80% also carry the CODEX-READY commit, the rest
 * have it only on `staging/<slug>`), the four gates plus a lint check on
 * the head (5% of them failing), a negative-test report on 10%, a PLAN
 * review on 80%, a verdict comment on 5%, branch protection requiring two
 * gates.
 */

export const GATES = [
  'Run Gate 3 for PRD-7',
  'Check Story Release Gate',
  'Verify SLSA Provenance',
  'Validate Policy Bundle',
  'lint',
];

/** A small deterministic PRNG (mulberry32), so runs are comparable. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function repoName(i: number) {
  return `service-${String(i).padStart(4, '0')}`;
}

export function generateOrg(fake: FakeGithub, options: { repos: number; prs: number; now: number }) {
  const random = rng(42);
  let id = 1_000_000;
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  for (let r = 0; r < options.repos; r++) {
    const repo = fake.addRepo('bench-org', repoName(r));
    repo.branches.set('main', [{ sha: sha(`main-${r}`), message: 'Initial commit', date: iso(options.now - 30 * 86_400_000) }]);
    repo.protection.set('main', {
      status: 200,
      checks: [
        { context: 'Verify SLSA Provenance', app_id: GITHUB_ACTIONS.id },
        { context: 'Validate Policy Bundle', app_id: GITHUB_ACTIONS.id },
      ],
    });
    for (let n = 1; n <= options.prs; n++) {
      const slug = `change-${r}-${n}`;
      const created = options.now - Math.floor(random() * 20 * 86_400_000) - 3_600_000;
      const t = (minutes: number) => iso(created + minutes * 60_000);
      const ready = { sha: sha(`ready-${r}-${n}`), message: `Build ${slug}\n\n[CODEX-READY:${slug}]`, date: t(-20) };
      const applied = { sha: sha(`applied-${r}-${n}`), message: `Apply ${slug}\n\n[CLAUDE-APPLIED:${slug}]`, date: t(-5) };
      repo.branches.set(`staging/${slug}`, [ready]);
      const kind = random();
      const state = kind < 0.2 ? 'open' : 'closed';
      const merged = kind >= 0.3;
      const pr: FakePull = {
        number: n,
        id: ++id,
        title: `PRD-7: ${slug}`,
        state,
        author: 'claude-exec',
        headRef: `feature/${slug}`,
        headSha: applied.sha,
        baseRef: 'main',
        createdAt: t(0),
        updatedAt: t(50),
        closedAt: state === 'closed' ? t(50) : undefined,
        mergedAt: merged ? t(50) : undefined,
        mergeCommitSha: merged ? sha(`merge-${r}-${n}`) : undefined,
        mergedBy: merged ? 'lead' : undefined,
        labels: [random() < 0.9 ? 'plan-approved' : 'claude-enforcing'],
        commits: random() < 0.8 ? [ready, applied] : [applied],
      };
      repo.pulls.set(n, pr);
      for (const name of GATES) {
        repo.checkRuns.push({
          id: ++id,
          name,
          headSha: pr.headSha,
          status: 'completed',
          conclusion: random() < 0.05 ? 'failure' : 'success',
          startedAt: t(10),
          completedAt: t(12),
          app: GITHUB_ACTIONS,
        });
      }
      if (random() < 0.1) {
        repo.checkRuns.push({
          id: ++id,
          name: 'Report Negative Tests',
          headSha: pr.headSha,
          status: 'completed',
          conclusion: 'success',
          startedAt: t(10),
          completedAt: t(14),
          app: GITHUB_ACTIONS,
          summary: '| unsigned-image | ✅ | x |\n| non-digest-image | ✅ | x |\n| provenance-replay | ✅ | x |\n| policy-tampering | ✅ | x |',
        });
      }
      if (random() < 0.8) {
        const approve = random() < 0.85;
        repo.reviews.set(n, [
          {
            id: ++id,
            author: 'plan-bot',
            body: approve ? '[PLAN-VERDICT:approved]' : '[PLAN-VERDICT:changes-requested]',
            state: approve ? 'APPROVED' : 'CHANGES_REQUESTED',
            commitId: pr.headSha,
            submittedAt: t(40),
          },
        ]);
      }
      if (random() < 0.05) {
        repo.comments.push({ id: ++id, issueNumber: n, author: 'plan-bot', body: '[PLAN-VERDICT:approved]', createdAt: t(45), updatedAt: t(45) });
      }
    }
  }
}

/** Makes `count` pull requests per repository change (a new review). */
export function touchOrg(fake: FakeGithub, count: number, now: number) {
  let id = 9_000_000;
  for (const repo of fake.repos.values()) {
    const open = [...repo.pulls.values()].slice(0, count);
    for (const pr of open) {
      pr.updatedAt = new Date(now).toISOString();
      repo.reviews.set(pr.number, [
        ...(repo.reviews.get(pr.number) ?? []),
        { id: ++id, author: 'plan-bot', body: '[PLAN-VERDICT:approved]', state: 'APPROVED', commitId: pr.headSha, submittedAt: new Date(now).toISOString() },
      ]);
    }
  }
}
