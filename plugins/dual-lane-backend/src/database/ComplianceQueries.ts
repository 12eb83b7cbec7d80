import { Knex } from 'knex';
import {
  ArtifactCulprit,
  DriftFacts,
  emptyRepositoryFacts,
  KpiWindow,
  NegativeTestFacts,
  PullRequestFacts,
  RepositoryFacts,
  RevertCandidate,
} from '@dual-lane/plugin-dual-lane-common';
import {
  fromDbBool,
  fromDbJson,
  fromDbNumber,
  fromDbString,
  fromDbTime,
  fromDbTimeRequired,
  toDbTime,
} from './conversions';

/** A required gate as the KPI queries match gate runs to it. */
export interface RequiredGateFilter {
  /** `gate_runs.gate_name`. */
  name: string;
  appId?: number;
  appSlug?: string;
}

export interface FactsOptions {
  window: KpiWindow;
  requiredGates: RequiredGateFilter[];
  /** Names of the lane-state labels (the other labels are ignored). */
  laneLabels: string[];
  culpritLimit: number;
}

/** An entity as the evaluator needs it. */
export interface EvaluableEntity {
  entityRef: string;
  kind: string;
  namespace: string;
  name: string;
  title?: string;
  ownerRef?: string;
  repositoryId?: number;
  /** The stored annotations JSON text. */
  annotationsJson: string;
  annotations: Record<string, string>;
}

const IN_CHUNK = 500;

function chunks<T>(items: T[], size = IN_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function placeholders(n: number) {
  return Array(n).fill('?').join(', ');
}

function rowsOf(result: any): any[] {
  return Array.isArray(result) ? result : result.rows;
}

/**
 * The set-based queries of the compliance engine: the facts the KPIs of a
 * batch of repositories are computed from (one query per kind of fact for
 * the whole batch, never one per pull request), and what changed since the
 * last evaluation.
 */
export class ComplianceQueries {
  constructor(private readonly db: Knex) {}

  private async raw(sql: string, bindings: unknown[]): Promise<any[]> {
    return rowsOf(await this.db.raw(sql, bindings as any));
  }

  /** Facts of each repository, for at most a few hundred repositories per call. */
  async loadRepositoryFacts(
    repositoryIds: number[],
    options: FactsOptions,
  ): Promise<Map<number, RepositoryFacts>> {
    const facts = new Map<number, RepositoryFacts>();
    for (const chunk of chunks([...new Set(repositoryIds)])) {
      for (const id of chunk) facts.set(id, emptyRepositoryFacts());
      await this.loadChunk(chunk, options, facts);
    }
    return facts;
  }

  private async loadChunk(
    ids: number[],
    options: FactsOptions,
    facts: Map<number, RepositoryFacts>,
  ) {
    const start = toDbTime(options.window.start);
    const end = toDbTime(options.window.end);
    const inIds = placeholders(ids.length);
    const population = `pr.repository_id IN (${inIds}) AND pr.draft = ? AND pr.created_at <= ?
      AND (pr.state = 'open' OR pr.created_at >= ? OR pr.merged_at >= ? OR pr.closed_at >= ?)`;
    const populationBindings = [...ids, false, end, start, start, start];

    const prRows = await this.raw(
      `SELECT pr.id, pr.repository_id, pr.number, pr.title, pr.state, pr.head_ref, pr.lane_slug,
         pr.created_at, pr.merged_at, pr.closed_at, pr.expected_label,
         CASE WHEN pr.merged_at >= ? THEN pr.conformance END AS conformance,
         (SELECT count(*) FROM verdicts v WHERE v.pull_request_id = pr.id) AS verdict_count,
         (SELECT max(rc.cycle) FROM rework_cycles rc WHERE rc.pull_request_id = pr.id) AS rounds,
         (SELECT min(le.occurred_at) FROM lane_events le
            WHERE le.repository_id = pr.repository_id AND le.slug = pr.lane_slug
              AND le.kind = 'codex-ready' AND le.occurred_at <= pr.created_at
              AND NOT EXISTS (
                SELECT 1 FROM pull_requests p2
                WHERE p2.repository_id = pr.repository_id AND p2.lane_slug = pr.lane_slug
                  AND p2.created_at < pr.created_at AND p2.created_at >= le.occurred_at)
         ) AS codex_ready_at
       FROM pull_requests pr
       WHERE ${population}`,
      [start, ...populationBindings],
    );
    const byId = new Map<number, { repositoryId: number; pr: PullRequestFacts; merged: boolean }>();
    for (const row of prRows) {
      const repositoryId = fromDbNumber(row.repository_id)!;
      const mergedAt = fromDbTime(row.merged_at);
      const pr: PullRequestFacts = {
        number: fromDbNumber(row.number)!,
        title: row.title,
        state: row.state,
        headRef: row.head_ref,
        laneSlug: fromDbString(row.lane_slug),
        createdAt: fromDbTimeRequired(row.created_at),
        mergedAt,
        closedAt: fromDbTime(row.closed_at),
        verdicts: fromDbNumber(row.verdict_count) ?? 0,
        rounds: fromDbNumber(row.rounds) ?? 0,
        codexReadyAt: fromDbTime(row.codex_ready_at),
        expectedLabel: fromDbString(row.expected_label),
        laneLabels: [],
      };
      const conformance = conformanceCounts(fromDbJson(row.conformance));
      if (conformance) pr.requiredChecks = conformance;
      byId.set(fromDbNumber(row.id)!, {
        repositoryId,
        pr,
        merged:
          mergedAt !== undefined &&
          Date.parse(mergedAt) >= Date.parse(options.window.start),
      });
      facts.get(repositoryId)!.pullRequests.push(pr);
    }

    if (options.laneLabels.length > 0 && byId.size > 0) {
      const labelRows = await this.raw(
        `SELECT l.pull_request_id, l.name FROM pull_request_labels l
         JOIN pull_requests pr ON pr.id = l.pull_request_id
         WHERE ${population} AND l.name IN (${placeholders(options.laneLabels.length)})
         ORDER BY l.name`,
        [...populationBindings, ...options.laneLabels],
      );
      for (const row of labelRows) {
        byId.get(fromDbNumber(row.pull_request_id)!)?.pr.laneLabels.push(row.name);
      }
    }

    await this.loadRequiredChecks(ids, start, options, byId);
    await this.loadReverts(ids, start, facts);
    await this.loadArtifacts(ids, start, end, options.culpritLimit, facts);
    await this.loadNegativeTests(ids, start, end, facts);
    await this.loadDrift(ids, start, end, facts);
  }

  /**
   * Required gates passing on the head of each pull request merged in the
   * window, where the gates area left no conformance record: per gate, the
   * latest run per check name (and app) on the head commit, from the app
   * the gate is pinned to; a gate passes when all of those concluded
   * `success` (the gates rule `computeGateStatus`).
   */
  private async loadRequiredChecks(
    ids: number[],
    start: string,
    options: FactsOptions,
    byId: Map<number, { pr: PullRequestFacts; merged: boolean }>,
  ) {
    const required = options.requiredGates.length;
    const missing = [...byId.entries()].filter(
      ([, v]) => v.merged && v.pr.state === 'merged' && !v.pr.requiredChecks,
    );
    if (missing.length === 0 || required === 0) {
      for (const [, v] of missing) v.pr.requiredChecks = { required, passing: 0 };
      return;
    }
    const gateClauses: string[] = [];
    const gateBindings: unknown[] = [];
    for (const gate of options.requiredGates) {
      if (gate.appId !== undefined) {
        gateClauses.push('(gr.gate_name = ? AND gr.app_id = ?)');
        gateBindings.push(gate.name, gate.appId);
      } else if (gate.appSlug !== undefined) {
        gateClauses.push('(gr.gate_name = ? AND gr.app_slug = ?)');
        gateBindings.push(gate.name, gate.appSlug);
      } else {
        gateClauses.push('gr.gate_name = ?');
        gateBindings.push(gate.name);
      }
    }
    const rows = await this.raw(
      `SELECT g.pull_request_id, count(*) AS passing FROM (
         SELECT l.pull_request_id, l.gate_name
         FROM (
           SELECT gr.pull_request_id, gr.gate_name, gr.status, gr.conclusion,
             row_number() OVER (
               PARTITION BY gr.pull_request_id, gr.gate_name, gr.check_name, coalesce(gr.app_id, -1), coalesce(gr.app_slug, '')
               ORDER BY coalesce(gr.started_at, gr.completed_at) DESC NULLS LAST, gr.id DESC
             ) AS rn
           FROM gate_runs gr
           JOIN pull_requests pr ON pr.id = gr.pull_request_id AND pr.head_sha = gr.head_sha
           WHERE pr.repository_id IN (${placeholders(ids.length)}) AND pr.state = 'merged'
             AND pr.merged_at >= ? AND (${gateClauses.join(' OR ')})
         ) l
         WHERE l.rn = 1
         GROUP BY l.pull_request_id, l.gate_name
         HAVING min(CASE WHEN l.status = 'completed' AND l.conclusion = 'success' THEN 1 ELSE 0 END) = 1
       ) g
       GROUP BY g.pull_request_id`,
      [...ids, start, ...gateBindings],
    );
    const passing = new Map(
      rows.map(r => [fromDbNumber(r.pull_request_id)!, fromDbNumber(r.passing)!]),
    );
    for (const [id, v] of missing) {
      v.pr.requiredChecks = { required, passing: passing.get(id) ?? 0 };
    }
  }

  private async loadReverts(
    ids: number[],
    start: string,
    facts: Map<number, RepositoryFacts>,
  ) {
    const rows = await this.raw(
      `SELECT repository_id, number, title, head_ref, merged_at FROM pull_requests
       WHERE repository_id IN (${placeholders(ids.length)}) AND state = 'merged'
         AND merged_at >= ? AND (head_ref LIKE 'revert-%' OR title LIKE 'Revert "%')`,
      [...ids, start],
    );
    for (const row of rows) {
      const candidate: RevertCandidate = {
        number: fromDbNumber(row.number)!,
        title: row.title,
        headRef: row.head_ref,
        mergedAt: fromDbTimeRequired(row.merged_at),
      };
      facts.get(fromDbNumber(row.repository_id)!)!.reverts.push(candidate);
    }
  }

  private async loadArtifacts(
    ids: number[],
    start: string,
    end: string,
    limit: number,
    facts: Map<number, RepositoryFacts>,
  ) {
    const inIds = placeholders(ids.length);
    const verified = (check: string) =>
      `EXISTS (SELECT 1 FROM verifications v WHERE v.artifact_id = a.id AND v."check" = '${check}' AND v.current = ? AND v.outcome = 'verified')`;
    const counts = await this.raw(
      `SELECT a.repository_id, count(*) AS total,
         sum(CASE WHEN ${verified('signature')} THEN 1 ELSE 0 END) AS signed,
         sum(CASE WHEN ${verified('provenance')} THEN 1 ELSE 0 END) AS provenance,
         sum(CASE WHEN a.contents LIKE '%"rollback.sql"%' THEN 1 ELSE 0 END) AS rollback
       FROM artifacts a
       WHERE a.repository_id IN (${inIds}) AND a.created_at >= ? AND a.created_at <= ?
       GROUP BY a.repository_id`,
      [true, true, ...ids, start, end],
    );
    for (const row of counts) {
      const a = facts.get(fromDbNumber(row.repository_id)!)!.artifacts;
      a.total = fromDbNumber(row.total) ?? 0;
      a.signed = fromDbNumber(row.signed) ?? 0;
      a.provenanceVerified = fromDbNumber(row.provenance) ?? 0;
      a.withRollbackScript = fromDbNumber(row.rollback) ?? 0;
    }
    for (const [check, field] of [
      ['signature', 'unsigned'],
      ['provenance', 'provenanceUnverified'],
    ] as const) {
      const rows = await this.raw(
        `SELECT x.repository_id, x.digest, x.name, x.outcome, x.reason FROM (
           SELECT a.repository_id, a.digest, a.name, v.outcome, v.reason,
             row_number() OVER (PARTITION BY a.repository_id ORDER BY a.created_at DESC, a.id DESC) AS rn
           FROM artifacts a
           LEFT JOIN verifications v ON v.artifact_id = a.id AND v."check" = ? AND v.current = ?
           WHERE a.repository_id IN (${inIds}) AND a.created_at >= ? AND a.created_at <= ?
             AND (v.outcome IS NULL OR v.outcome <> 'verified')
         ) x WHERE x.rn <= ? ORDER BY x.repository_id, x.rn`,
        [check, true, ...ids, start, end, limit],
      );
      for (const row of rows) {
        const culprit: ArtifactCulprit = {
          digest: row.digest,
          name: row.name,
          outcome: fromDbString(row.outcome) ?? 'unverified',
          ...(row.reason ? { reason: row.reason } : {}),
        };
        facts.get(fromDbNumber(row.repository_id)!)!.artifacts[field].push(culprit);
      }
    }
  }

  private async loadNegativeTests(
    ids: number[],
    start: string,
    end: string,
    facts: Map<number, RepositoryFacts>,
  ) {
    const rows = await this.raw(
      `SELECT x.* FROM (
         SELECT nt.repository_id, nt.test_name, nt.environment, nt.blocked, nt.commit_sha,
           nt.observed_at, nt.evidence_url,
           row_number() OVER (
             PARTITION BY nt.repository_id, nt.test_name, nt.environment
             ORDER BY nt.observed_at DESC, nt.id DESC) AS rn
         FROM negative_tests nt
         WHERE nt.repository_id IN (${placeholders(ids.length)})
           AND nt.observed_at >= ? AND nt.observed_at <= ?
       ) x WHERE x.rn = 1`,
      [...ids, start, end],
    );
    for (const row of rows) {
      const test: NegativeTestFacts = {
        testName: row.test_name,
        environment: row.environment,
        blocked: fromDbBool(row.blocked),
        commitSha: row.commit_sha,
        observedAt: fromDbTimeRequired(row.observed_at),
        ...(row.evidence_url ? { evidenceUrl: row.evidence_url } : {}),
      };
      facts.get(fromDbNumber(row.repository_id)!)!.negativeTests.push(test);
    }
  }

  private async loadDrift(
    ids: number[],
    start: string,
    end: string,
    facts: Map<number, RepositoryFacts>,
  ) {
    const inIds = placeholders(ids.length);
    const checks = await this.raw(
      `SELECT repository_id, default_branch, checked_at, commit_sha, agents_sha, claude_sha, last_error
       FROM compliance_drift_checks WHERE repository_id IN (${inIds})`,
      ids,
    );
    for (const row of checks) {
      const drift: DriftFacts = facts.get(fromDbNumber(row.repository_id)!)!.drift;
      const checkedAt = fromDbTime(row.checked_at);
      const agentsPresent = row.agents_sha !== null && row.agents_sha !== undefined;
      const claudePresent = row.claude_sha !== null && row.claude_sha !== undefined;
      if (checkedAt && !agentsPresent && !claudePresent) {
        drift.lastError = `neither AGENTS.md nor CLAUDE.md exists on ${
          row.default_branch ?? 'the default branch'
        }`;
      } else if (checkedAt) {
        drift.checkedAt = checkedAt;
        drift.commitSha = fromDbString(row.commit_sha);
        drift.agentsPresent = agentsPresent;
        drift.claudePresent = claudePresent;
      }
      if (row.last_error) drift.lastError = row.last_error;
    }
    const incidents = await this.raw(
      `SELECT id, repository_id, commit_sha, differences, detected_at, resolved_at
       FROM drift_incidents
       WHERE repository_id IN (${inIds}) AND detected_at <= ?
         AND (resolved_at IS NULL OR resolved_at >= ?)`,
      [...ids, end, start],
    );
    for (const row of incidents) {
      const differences = fromDbJson<unknown[]>(row.differences);
      facts.get(fromDbNumber(row.repository_id)!)!.drift.incidents.push({
        id: fromDbNumber(row.id)!,
        commitSha: row.commit_sha,
        detectedAt: fromDbTimeRequired(row.detected_at),
        resolvedAt: fromDbTime(row.resolved_at),
        differences: Array.isArray(differences) ? differences.length : 0,
      });
    }
  }

  /** Repositories at least one entity points at. */
  async repositoriesInUse(): Promise<
    Array<{ id: number; host: string; owner: string; name: string; defaultBranch?: string }>
  > {
    const rows = await this.db('repositories as r')
      .whereExists(this.db('entities as e').whereRaw('e.repository_id = r.id'))
      .select('r.id', 'r.host', 'r.owner', 'r.name', 'r.default_branch')
      .orderBy('r.id');
    return rows.map(r => ({
      id: fromDbNumber(r.id)!,
      host: r.host,
      owner: r.owner,
      name: r.name,
      defaultBranch: fromDbString(r.default_branch),
    }));
  }

  /** Entities to evaluate: all, those on some repositories, or by ref. */
  async listEntities(
    scope:
      | { all: true }
      | { repositoryIds: number[] }
      | { entityRefs: string[] },
  ): Promise<EvaluableEntity[]> {
    const columns = [
      'entity_ref',
      'kind',
      'namespace',
      'name',
      'title',
      'owner_ref',
      'repository_id',
      'annotations',
    ];
    let rows: any[] = [];
    if ('all' in scope) {
      rows = await this.db('entities').select(columns).orderBy('repository_id');
    } else if ('repositoryIds' in scope) {
      for (const chunk of chunks([...new Set(scope.repositoryIds)])) {
        rows.push(
          ...(await this.db('entities').select(columns).whereIn('repository_id', chunk)),
        );
      }
    } else {
      for (const chunk of chunks([...new Set(scope.entityRefs.map(r => r.toLowerCase()))])) {
        rows.push(
          ...(await this.db('entities').select(columns).whereIn('entity_ref', chunk)),
        );
      }
    }
    return rows.map(row => ({
      entityRef: row.entity_ref,
      kind: row.kind,
      namespace: row.namespace,
      name: row.name,
      title: fromDbString(row.title),
      ownerRef: fromDbString(row.owner_ref),
      repositoryId: fromDbNumber(row.repository_id),
      annotationsJson: row.annotations ?? '{}',
      annotations: fromDbJson<Record<string, string>>(row.annotations) ?? {},
    }));
  }

  /**
   * What needs evaluating after `since`: repositories with facts written
   * since then (pull requests, gate runs, artifacts, verifications, lane
   * events, verdicts, negative tests, drift incidents), and entities that
   * have no result, moved repository, changed annotations, or whose
   * waivers were created, revoked or ran out.
   */
  async changedSince(
    since: Date,
    now: Date,
  ): Promise<{ repositoryIds: number[]; entityRefs: string[] }> {
    const at = toDbTime(since);
    const repoRows = await this.raw(
      `SELECT repository_id FROM pull_requests WHERE updated_at > ?
       UNION SELECT repository_id FROM gate_runs WHERE updated_at > ?
       UNION SELECT repository_id FROM artifacts WHERE updated_at > ?
       UNION SELECT a.repository_id FROM verifications v JOIN artifacts a ON a.id = v.artifact_id WHERE v.verified_at > ?
       UNION SELECT repository_id FROM lane_events WHERE occurred_at > ?
       UNION SELECT pr.repository_id FROM verdicts v JOIN pull_requests pr ON pr.id = v.pull_request_id WHERE v.recorded_at > ?
       UNION SELECT repository_id FROM negative_tests WHERE observed_at > ?
       UNION SELECT repository_id FROM drift_incidents WHERE detected_at > ? OR resolved_at > ?`,
      Array(9).fill(at),
    );
    const entityRows = await this.raw(
      `SELECT e.entity_ref FROM entities e
       LEFT JOIN compliance_results r ON r.entity_ref = e.entity_ref
       WHERE r.entity_ref IS NULL
          OR r.thresholds IS NULL
          OR (r.repository_id IS NULL) <> (e.repository_id IS NULL)
          OR r.repository_id <> e.repository_id
          OR r.annotations IS NULL OR r.annotations <> e.annotations
          OR r.next_change_at <= ?
       UNION SELECT w.entity_ref FROM waivers w
       WHERE w.created_at > ? OR w.revoked_at > ? OR (w.expires_at > ? AND w.expires_at <= ?)`,
      [toDbTime(now), at, at, at, toDbTime(now)],
    );
    return {
      repositoryIds: repoRows.map(r => fromDbNumber(r.repository_id)!),
      entityRefs: entityRows.map(r => r.entity_ref),
    };
  }
}

/** Passing/required of the gates area's merge conformance record, if usable. */
export function conformanceCounts(
  conformance: unknown,
): { required: number; passing: number } | undefined {
  const gates = (conformance as { gates?: unknown })?.gates;
  if (!Array.isArray(gates)) return undefined;
  const configured = gates.filter(
    (g: any) => g && typeof g === 'object' && g.configured !== false,
  );
  if (configured.length === 0) return undefined;
  return {
    required: configured.length,
    passing: configured.filter((g: any) => g.state === 'passing').length,
  };
}
