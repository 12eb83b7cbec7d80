import { Knex } from 'knex';
import { DEFAULT_REQUIRED_CHECKS } from '@dual-lane/plugin-dual-lane-common';

/** The size of a synthetic organisation. */
export interface OrgSize {
  entities: number;
  pullRequestsPerRepository: number;
  artifactsPerRepository: number;
  /** Teams owning the entities, under departments under one org group. */
  teams: number;
  departments: number;
  systems: number;
  /** Days of history the facts are spread over. */
  historyDays: number;
}

export const SIZES: Record<'small' | 'full', OrgSize> = {
  // 1,000 entities, 100,000 gate runs, 20,000 artifacts
  small: {
    entities: 1_000,
    pullRequestsPerRepository: 20,
    artifactsPerRepository: 20,
    teams: 40,
    departments: 8,
    systems: 100,
    historyDays: 90,
  },
  // 10,000 entities, 1,000,000 gate runs, 200,000 artifacts
  full: {
    entities: 10_000,
    pullRequestsPerRepository: 20,
    artifactsPerRepository: 20,
    teams: 200,
    departments: 20,
    systems: 500,
    historyDays: 90,
  },
};

/** Gate runs per pull request: the four gates and one re-run of the first. */
export const GATE_RUNS_PER_PULL_REQUEST = 5;

const gate = (i: number) => DEFAULT_REQUIRED_CHECKS[i].replace(/'/g, "''");
const check = (i: number) =>
  DEFAULT_REQUIRED_CHECKS[i]
    .split(' / ')[1]
    .replace('*', '1')
    .replace(/'/g, "''");

/**
 * Loads a synthetic organisation straight into PostgreSQL with set-based
 * `INSERT ... SELECT generate_series` statements: repositories and their
 * entities (owned by teams in nested groups, in systems), pull requests
 * with gate runs, lane events, verdicts, rework rounds and labels,
 * artifacts with signature and provenance verifications, production
 * negative tests and drift-check state. About 1 in 25 pull requests lacks a
 * verdict, 1 in 200 carries a stray lane label, 1 in 97 artifacts fails a
 * check, 1 in 100 repositories has an open drift incident: a realistic mix
 * of go, no-go and no-data.
 */
export async function loadOrganisation(knex: Knex, size: OrgSize) {
  const days = size.historyDays;
  await knex.raw(
    `INSERT INTO repositories (host, owner, name, default_branch, created_at, updated_at)
     SELECT 'github.com', 'acme', 'repo-' || i, 'main', now(), now()
     FROM generate_series(1, ?) i`,
    [size.entities],
  );
  await knex.raw(
    `INSERT INTO entities (entity_ref, kind, namespace, name, owner_ref, system_ref, repository_id, annotations, updated_at)
     SELECT 'component:default/svc-' || r.id, 'Component', 'default', 'svc-' || r.id,
       'group:default/team-' || (r.id % ?), 'system:default/system-' || (r.id % ?), r.id,
       CASE WHEN r.id % 50 = 0 THEN '{"dual-lane/go-no-go.verdict-coverage":"90"}' ELSE '{}' END, now()
     FROM repositories r`,
    [size.teams, size.systems],
  );
  await knex.raw(
    `INSERT INTO pull_requests (repository_id, number, title, state, draft, head_ref, head_sha, base_ref,
       lane_slug, created_at, updated_at, merged_at, closed_at, expected_label)
     SELECT x.repository_id, x.p, 'Change ' || x.p,
       CASE WHEN x.p % 10 = 0 THEN 'open' WHEN x.p % 10 = 1 THEN 'closed' ELSE 'merged' END,
       false, 'feature/change-' || x.p, md5(x.repository_id || '-' || x.p) || '00000000', 'main',
       'change-' || x.p, x.created_at,
       x.created_at + interval '6 hours',
       CASE WHEN x.p % 10 > 1 THEN x.created_at + interval '6 hours' END,
       CASE WHEN x.p % 10 <> 0 THEN x.created_at + interval '6 hours' END,
       CASE WHEN x.p % 10 = 0 THEN 'plan-review' ELSE 'plan-approved' END
     FROM (
       SELECT r.id AS repository_id, p,
         now() - ((p * 97 + r.id * 13) % (? * 24)) * interval '1 hour' - interval '7 hours' AS created_at
       FROM repositories r CROSS JOIN generate_series(1, ?) p
     ) x`,
    [days, size.pullRequestsPerRepository],
  );
  await knex.raw(
    `INSERT INTO gate_runs (repository_id, pull_request_id, source, external_id, gate_name, check_name,
       head_sha, status, conclusion, app_id, app_slug, started_at, completed_at, updated_at)
     SELECT pr.repository_id, pr.id, 'github', pr.id || '-' || g.i, g.name, g.check_name, pr.head_sha,
       'completed',
       CASE WHEN g.i = 0 AND pr.id % 40 = 0 THEN 'failure'
            WHEN g.i = 4 AND pr.id % 400 = 0 THEN 'failure' ELSE 'success' END,
       15368, 'github-actions',
       pr.created_at + (g.i * 10 + 60) * interval '1 minute',
       pr.created_at + (g.i * 10 + 70) * interval '1 minute',
       pr.created_at + (g.i * 10 + 70) * interval '1 minute'
     FROM pull_requests pr
     CROSS JOIN (VALUES
       (0, '${gate(0)}', '${check(0)}'),
       (1, '${gate(1)}', '${check(1)}'),
       (2, '${gate(2)}', '${check(2)}'),
       (3, '${gate(3)}', '${check(3)}'),
       (4, '${gate(0)}', '${check(0)}')
     ) AS g(i, name, check_name)`,
  );
  await knex.raw(
    `INSERT INTO lane_events (repository_id, pull_request_id, kind, slug, branch, commit_sha, occurred_at)
     SELECT pr.repository_id, pr.id, 'codex-ready', pr.lane_slug, 'staging/' || pr.lane_slug,
       md5('ready-' || pr.id) || '00000000', pr.created_at - (pr.id % 45) * interval '1 minute'
     FROM pull_requests pr`,
  );
  await knex.raw(
    `INSERT INTO verdicts (pull_request_id, source, external_id, verdict, author, recorded_at)
     SELECT pr.id, 'review', 'r' || pr.id, 'approved', 'plan-bot', pr.created_at + interval '5 hours'
     FROM pull_requests pr WHERE pr.state <> 'open' AND pr.id % 25 <> 0`,
  );
  await knex.raw(
    `INSERT INTO rework_cycles (pull_request_id, cycle, started_at, ended_at, verdict)
     SELECT pr.id, c, pr.created_at, pr.created_at + interval '5 hours', 'approved'
     FROM pull_requests pr
     CROSS JOIN LATERAL generate_series(1, CASE WHEN pr.id % 97 = 0 THEN 4 ELSE 1 + pr.id % 3 END) c`,
  );
  await knex.raw(
    `INSERT INTO pull_request_labels (pull_request_id, name)
     SELECT pr.id, pr.expected_label FROM pull_requests pr
     UNION ALL
     SELECT pr.id, 'codex-ready' FROM pull_requests pr WHERE pr.id % 200 = 0`,
  );
  await knex.raw(
    `INSERT INTO artifacts (repository_id, digest, name, kind, source, status, contents, created_at, updated_at)
     SELECT r.id, 'sha256:' || md5(r.id || 'a' || a) || md5(a || 'b' || r.id), 'artifact-' || a || '.tar.gz',
       'artifact-bundle', 'ingest', 'verified',
       CASE WHEN a % 10 = 0 THEN '{"entries":[{"name":"rollback.sql","sizeBytes":10,"digest":"sha256:0"}]}' END,
       now() - ((a * 107 + r.id * 7) % (? * 24)) * interval '1 hour' - interval '7 hours',
       now() - ((a * 107 + r.id * 7) % (? * 24)) * interval '1 hour' - interval '7 hours'
     FROM repositories r CROSS JOIN generate_series(1, ?) a`,
    [days, days, size.artifactsPerRepository],
  );
  await knex.raw(
    `INSERT INTO verifications (artifact_id, "check", outcome, reason, current, verified_at)
     SELECT a.id, c.name,
       CASE WHEN (a.id + c.n) % 97 = 0 THEN 'failed' ELSE 'verified' END,
       CASE WHEN (a.id + c.n) % 97 = 0 THEN c.name || ' did not verify' END,
       true, a.created_at
     FROM artifacts a CROSS JOIN (VALUES (0, 'signature'), (1, 'provenance')) AS c(n, name)`,
  );
  await knex.raw(
    `INSERT INTO negative_tests (repository_id, test_name, environment, commit_sha, blocked, observed_at)
     SELECT r.id, t.name, 'production', md5('nt-' || r.id) || '00000000', r.id % 101 <> 0,
       now() - (r.id % 20) * interval '1 day' - interval '1 hour'
     FROM repositories r
     CROSS JOIN (VALUES ('unsigned-image'), ('provenance-replay')) AS t(name)
     WHERE r.id % 20 <> 0`,
  );
  await knex.raw(
    `INSERT INTO compliance_drift_checks (repository_id, default_branch, commit_sha, agents_sha, claude_sha,
       differences, checked_at, compared_at, updated_at)
     SELECT r.id, 'main', md5('head-' || r.id) || '00000000', md5('agents-' || r.id) || '00000000',
       md5('claude-' || r.id) || '00000000', CASE WHEN r.id % 100 = 0 THEN 1 ELSE 0 END,
       now() - interval '1 hour', now() - interval '1 hour', now() - interval '1 hour'
     FROM repositories r`,
  );
  await knex.raw(
    `INSERT INTO drift_incidents (repository_id, commit_sha, agents_sha, claude_sha, differences, detected_at)
     SELECT r.id, md5('head-' || r.id) || '00000000', md5('agents-' || r.id) || '00000000',
       md5('claude-' || r.id) || '00000000',
       '[{"kind":"threshold-mismatch","subject":"verdict-coverage","agents":"L11: ≥95%","claude":"L11: ≥90%"}]',
       now() - interval '3 days'
     FROM repositories r WHERE r.id % 100 = 0`,
  );
  await knex.raw('ANALYZE');
}

/** The group hierarchy of the synthetic organisation: org → departments → teams. */
export function groupParents(size: OrgSize): Map<string, string | undefined> {
  const parents = new Map<string, string | undefined>([
    ['group:default/org', undefined],
  ]);
  for (let d = 0; d < size.departments; d++) {
    parents.set(`group:default/dept-${d}`, 'group:default/org');
  }
  for (let t = 0; t < size.teams; t++) {
    parents.set(
      `group:default/team-${t}`,
      `group:default/dept-${t % size.departments}`,
    );
  }
  return parents;
}

/**
 * One day of new facts: a pull request with its five gate runs, lane
 * event, verdict and labels, and an artifact with its verifications, on
 * every fifth repository, all written now.
 */
export async function loadOneDay(knex: Knex, size: OrgSize) {
  const p = size.pullRequestsPerRepository + 1;
  await knex.raw(
    `INSERT INTO pull_requests (repository_id, number, title, state, draft, head_ref, head_sha, base_ref,
       lane_slug, created_at, updated_at, merged_at, closed_at, expected_label)
     SELECT r.id, ?, 'Change ' || ?, 'merged', false, 'feature/change-' || ?,
       md5(r.id || '-' || ?) || '00000000', 'main', 'change-' || ?, now() - interval '3 hours',
       now(), now() - interval '1 hour', now() - interval '1 hour', 'plan-approved'
     FROM repositories r WHERE r.id % 5 = 0`,
    [p, p, p, p, p],
  );
  await knex.raw(
    `INSERT INTO gate_runs (repository_id, pull_request_id, source, external_id, gate_name, check_name,
       head_sha, status, conclusion, app_id, app_slug, started_at, completed_at, updated_at)
     SELECT pr.repository_id, pr.id, 'github', pr.id || '-' || g.i, g.name, g.check_name, pr.head_sha,
       'completed', 'success', 15368, 'github-actions', now() - interval '2 hours', now() - interval '90 minutes', now()
     FROM pull_requests pr
     CROSS JOIN (VALUES
       (0, '${gate(0)}', '${check(0)}'),
       (1, '${gate(1)}', '${check(1)}'),
       (2, '${gate(2)}', '${check(2)}'),
       (3, '${gate(3)}', '${check(3)}'),
       (4, '${gate(0)}', '${check(0)}')
     ) AS g(i, name, check_name)
     WHERE pr.number = ?`,
    [p],
  );
  await knex.raw(
    `INSERT INTO lane_events (repository_id, pull_request_id, kind, slug, branch, commit_sha, occurred_at)
     SELECT pr.repository_id, pr.id, 'codex-ready', pr.lane_slug, 'staging/' || pr.lane_slug,
       md5('ready-' || pr.id) || '00000000', pr.created_at - interval '20 minutes'
     FROM pull_requests pr WHERE pr.number = ?`,
    [p],
  );
  await knex.raw(
    `INSERT INTO verdicts (pull_request_id, source, external_id, verdict, author, recorded_at)
     SELECT pr.id, 'review', 'r' || pr.id, 'approved', 'plan-bot', now() - interval '70 minutes'
     FROM pull_requests pr WHERE pr.number = ?`,
    [p],
  );
  await knex.raw(
    `INSERT INTO pull_request_labels (pull_request_id, name)
     SELECT pr.id, 'plan-approved' FROM pull_requests pr WHERE pr.number = ?`,
    [p],
  );
  await knex.raw(
    `INSERT INTO artifacts (repository_id, digest, name, kind, source, status, created_at, updated_at)
     SELECT r.id, 'sha256:' || md5(r.id || 'day') || md5('day' || r.id), 'artifact-day.tar.gz',
       'artifact-bundle', 'ingest', 'verified', now(), now()
     FROM repositories r WHERE r.id % 5 = 0`,
  );
  await knex.raw(
    `INSERT INTO verifications (artifact_id, "check", outcome, current, verified_at)
     SELECT a.id, c.name, 'verified', true, now()
     FROM artifacts a CROSS JOIN (VALUES ('signature'), ('provenance')) AS c(name)
     WHERE a.name = 'artifact-day.tar.gz'`,
  );
  await knex.raw('ANALYZE');
}
