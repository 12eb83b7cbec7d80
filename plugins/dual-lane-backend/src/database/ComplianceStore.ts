import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import {
  ComplianceKpis,
  ComplianceResult,
  ComplianceVerdict,
  CriterionResult,
  CriterionSummary,
  DriftDifference,
  DriftIncident,
  GoNoGoCriterionId,
  GoNoGoThresholds,
  KpiSnapshot,
  ThresholdSource,
  Waiver,
} from '@dual-lane/plugin-dual-lane-common';
import { batchUpsert } from './batch';
import {
  fromDbJson,
  fromDbNumber,
  fromDbString,
  fromDbTime,
  fromDbTimeRequired,
  toDbJson,
  toDbTime,
} from './conversions';

export type DriftIncidentInput = Omit<DriftIncident, 'id' | 'resolvedAt'>;
export type WaiverInput = Omit<Waiver, 'id' | 'revokedBy' | 'revokedAt'>;

/** The thresholds an evaluation applied, and where they came from. */
export interface AppliedThresholds {
  values: GoNoGoThresholds;
  sources: Record<GoNoGoCriterionId, ThresholdSource>;
  annotationErrors: string[];
}

/** One entity's evaluation as the compliance engine stores it. */
export interface StoredEvaluation {
  entityRef: string;
  repositoryId?: number;
  verdict: ComplianceVerdict;
  failingCount: number;
  /** Sort key: verdict rank (no-go 2, no-data 1, go 0) × 16 + failing count. */
  severity: number;
  failingMask: number;
  noDataMask: number;
  waivedMask: number;
  criteria: CriterionResult[];
  criteriaSummary: CriterionSummary[];
  reasons: string[];
  kpis: ComplianceKpis;
  thresholds: AppliedThresholds;
  /** The entity's stored annotations JSON, as it was evaluated. */
  annotations: string;
  nextChangeAt?: string;
  evaluatedAt: string;
}

/** A repository announced as changed, as one incremental pass read it. */
export interface PendingMark {
  repositoryId: number;
  /** Undefined for marks set before marks had ids. */
  markId?: string;
}

/** The drift check's state for one repository. */
export interface DriftCheckState {
  repositoryId: number;
  defaultBranch?: string;
  branchEtag?: string;
  commitSha?: string;
  agentsEtag?: string;
  agentsSha?: string;
  agentsText?: string;
  claudeEtag?: string;
  claudeSha?: string;
  claudeText?: string;
  differences?: number;
  checkedAt?: string;
  comparedAt?: string;
  lastError?: string;
}

/** A catalog group and its parent, and the transitive closure of the hierarchy. */
export interface GroupHierarchy {
  groups: Array<{ groupRef: string; parentRef?: string }>;
  closure: Array<{ ancestorRef: string; descendantRef: string; depth: number }>;
}

function toStoredEvaluation(row: any): StoredEvaluation {
  return {
    entityRef: row.entity_ref,
    repositoryId: fromDbNumber(row.repository_id),
    verdict: row.verdict,
    failingCount: fromDbNumber(row.failing_count) ?? 0,
    severity: fromDbNumber(row.severity) ?? 0,
    failingMask: fromDbNumber(row.failing_mask) ?? 0,
    noDataMask: fromDbNumber(row.no_data_mask) ?? 0,
    waivedMask: fromDbNumber(row.waived_mask) ?? 0,
    criteria: fromDbJson(row.criteria) ?? [],
    criteriaSummary: fromDbJson(row.criteria_summary) ?? [],
    reasons: fromDbJson(row.reasons) ?? [],
    kpis: fromDbJson(row.kpis)!,
    thresholds: fromDbJson(row.thresholds)!,
    annotations: row.annotations ?? '{}',
    nextChangeAt: fromDbTime(row.next_change_at),
    evaluatedAt: fromDbTimeRequired(row.evaluated_at),
  };
}

function toDriftCheck(row: any): DriftCheckState {
  return {
    repositoryId: fromDbNumber(row.repository_id)!,
    defaultBranch: fromDbString(row.default_branch),
    branchEtag: fromDbString(row.branch_etag),
    commitSha: fromDbString(row.commit_sha),
    agentsEtag: fromDbString(row.agents_etag),
    agentsSha: fromDbString(row.agents_sha),
    agentsText: fromDbString(row.agents_text),
    claudeEtag: fromDbString(row.claude_etag),
    claudeSha: fromDbString(row.claude_sha),
    claudeText: fromDbString(row.claude_text),
    differences: fromDbNumber(row.differences),
    checkedAt: fromDbTime(row.checked_at),
    comparedAt: fromDbTime(row.compared_at),
    lastError: fromDbString(row.last_error),
  };
}

const IN_CHUNK = 500;

function chunks<T>(items: T[], size = IN_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(items.slice(i, i + size));
  return out;
}

function toDriftIncident(row: any): DriftIncident {
  return {
    id: fromDbNumber(row.id)!,
    repositoryId: fromDbNumber(row.repository_id)!,
    commitSha: row.commit_sha,
    agentsSha: fromDbString(row.agents_sha),
    claudeSha: fromDbString(row.claude_sha),
    differences: fromDbJson(row.differences) ?? [],
    detectedAt: fromDbTimeRequired(row.detected_at),
    resolvedAt: fromDbTime(row.resolved_at),
  };
}

function toComplianceResult(row: any): ComplianceResult {
  return {
    entityRef: row.entity_ref,
    verdict: row.verdict,
    failingCount: fromDbNumber(row.failing_count) ?? 0,
    criteria: fromDbJson(row.criteria),
    kpis: fromDbJson(row.kpis),
    evaluatedAt: fromDbTimeRequired(row.evaluated_at),
  };
}

function toKpiSnapshot(row: any): KpiSnapshot {
  return {
    entityRef: row.entity_ref,
    day: row.day,
    verdict: row.verdict,
    kpis: fromDbJson(row.kpis),
    createdAt: fromDbTimeRequired(row.created_at),
  };
}

function toWaiver(row: any): Waiver {
  return {
    id: fromDbNumber(row.id)!,
    entityRef: row.entity_ref,
    criterion: row.criterion,
    reason: row.reason,
    createdBy: row.created_by,
    createdAt: fromDbTimeRequired(row.created_at),
    expiresAt: fromDbTimeRequired(row.expires_at),
    revokedBy: fromDbString(row.revoked_by),
    revokedAt: fromDbTime(row.revoked_at),
  };
}

/** Drift incidents, go/no-go results, KPI history and waivers. */
export class ComplianceStore {
  constructor(private readonly db: Knex) {}

  /**
   * Records drift between two file versions once; seeing the same pair
   * again keeps the first detection time.
   */
  async upsertDriftIncidents(inputs: DriftIncidentInput[]): Promise<void> {
    await batchUpsert(
      this.db,
      'drift_incidents',
      inputs.map(d => ({
        repository_id: d.repositoryId,
        commit_sha: d.commitSha,
        agents_sha: d.agentsSha ?? null,
        claude_sha: d.claudeSha ?? null,
        differences: toDbJson(d.differences),
        detected_at: toDbTime(d.detectedAt),
      })),
      {
        conflict: ['repository_id', 'agents_sha', 'claude_sha'],
        merge: ['differences'],
      },
    );
  }

  /** Marks every open incident of a repository resolved. */
  async resolveDriftIncidents(repositoryId: number, at: Date = new Date()) {
    return this.db('drift_incidents')
      .where({ repository_id: repositoryId })
      .whereNull('resolved_at')
      .update({ resolved_at: toDbTime(at) });
  }

  async listDriftIncidents(options: {
    repositoryIds: number[];
    openOnly?: boolean;
  }): Promise<DriftIncident[]> {
    const q = this.db('drift_incidents')
      .whereIn('repository_id', options.repositoryIds)
      .orderBy([{ column: 'detected_at' }, { column: 'id' }]);
    if (options.openOnly) q.whereNull('resolved_at');
    return (await q).map(toDriftIncident);
  }

  async upsertComplianceResults(results: ComplianceResult[]): Promise<void> {
    await batchUpsert(
      this.db,
      'compliance_results',
      results.map(r => ({
        entity_ref: r.entityRef.toLowerCase(),
        verdict: r.verdict,
        failing_count: r.failingCount,
        criteria: toDbJson(r.criteria ?? []),
        kpis: toDbJson(r.kpis ?? {}),
        evaluated_at: toDbTime(r.evaluatedAt),
      })),
      { conflict: ['entity_ref'] },
    );
  }

  async getComplianceResult(
    entityRef: string,
  ): Promise<ComplianceResult | undefined> {
    const row = await this.db('compliance_results')
      .where({ entity_ref: entityRef.toLowerCase() })
      .first();
    return row ? toComplianceResult(row) : undefined;
  }

  async upsertKpiSnapshots(
    snapshots: Omit<KpiSnapshot, 'createdAt'>[],
    now: Date = new Date(),
  ): Promise<void> {
    await batchUpsert(
      this.db,
      'kpi_snapshots',
      snapshots.map(s => ({
        entity_ref: s.entityRef.toLowerCase(),
        day: s.day,
        verdict: s.verdict,
        kpis: toDbJson(s.kpis ?? {}),
        created_at: toDbTime(now),
      })),
      { conflict: ['entity_ref', 'day'] },
    );
  }

  async listKpiSnapshots(entityRef: string, sinceDay?: string) {
    const q = this.db('kpi_snapshots')
      .where({ entity_ref: entityRef.toLowerCase() })
      .orderBy('day');
    if (sinceDay) q.where('day', '>=', sinceDay);
    return (await q).map(toKpiSnapshot);
  }

  /** Deletes snapshots older than `beforeDay` (YYYY-MM-DD); returns how many. */
  async pruneKpiSnapshots(beforeDay: string): Promise<number> {
    return this.db('kpi_snapshots').where('day', '<', beforeDay).delete();
  }

  async createWaiver(input: WaiverInput): Promise<Waiver> {
    const [row] = await this.db('waivers')
      .insert({
        entity_ref: input.entityRef.toLowerCase(),
        criterion: input.criterion,
        reason: input.reason,
        created_by: input.createdBy,
        created_at: toDbTime(input.createdAt),
        expires_at: toDbTime(input.expiresAt),
      })
      .returning('*');
    return toWaiver(row);
  }

  async revokeWaiver(
    id: number,
    revokedBy: string,
    at: Date = new Date(),
  ): Promise<Waiver | undefined> {
    await this.db('waivers')
      .where({ id })
      .whereNull('revoked_at')
      .update({ revoked_by: revokedBy, revoked_at: toDbTime(at) });
    const row = await this.db('waivers').where({ id }).first();
    return row ? toWaiver(row) : undefined;
  }

  /** Every waiver of an entity, active or not: the audit trail. */
  async listWaivers(entityRef: string): Promise<Waiver[]> {
    const rows = await this.db('waivers')
      .where({ entity_ref: entityRef.toLowerCase() })
      .orderBy('id');
    return rows.map(toWaiver);
  }

  /** Waivers neither revoked nor expired at `at`. */
  async listActiveWaivers(
    entityRefs: string[],
    at: Date = new Date(),
  ): Promise<Waiver[]> {
    const rows = await this.db('waivers')
      .whereIn(
        'entity_ref',
        entityRefs.map(r => r.toLowerCase()),
      )
      .whereNull('revoked_at')
      .where('expires_at', '>', toDbTime(at))
      .orderBy('id');
    return rows.map(toWaiver);
  }

  /**
   * Writes evaluations and today's KPI snapshot of each entity in one
   * transaction, so the list and the history never disagree.
   */
  async writeEvaluations(
    evaluations: StoredEvaluation[],
    snapshots: Array<Omit<KpiSnapshot, 'createdAt'>>,
    now: Date = new Date(),
    options: {
      /** Pending marks these results answer, removed in the same transaction. */
      settle?: PendingMark[];
    } = {},
  ): Promise<void> {
    await this.db.transaction(async tx => {
      await batchUpsert(
        tx,
        'compliance_results',
        evaluations.map(e => ({
          entity_ref: e.entityRef.toLowerCase(),
          repository_id: e.repositoryId ?? null,
          verdict: e.verdict,
          failing_count: e.failingCount,
          severity: e.severity,
          failing_mask: e.failingMask,
          no_data_mask: e.noDataMask,
          waived_mask: e.waivedMask,
          criteria: toDbJson(e.criteria),
          criteria_summary: toDbJson(e.criteriaSummary),
          reasons: toDbJson(e.reasons),
          kpis: toDbJson(e.kpis),
          thresholds: toDbJson(e.thresholds),
          annotations: e.annotations,
          next_change_at: e.nextChangeAt ? toDbTime(e.nextChangeAt) : null,
          evaluated_at: toDbTime(e.evaluatedAt),
        })),
        { conflict: ['entity_ref'] },
      );
      await batchUpsert(
        tx,
        'kpi_snapshots',
        snapshots.map(s => ({
          entity_ref: s.entityRef.toLowerCase(),
          day: s.day,
          verdict: s.verdict,
          kpis: toDbJson(s.kpis ?? {}),
          created_at: toDbTime(now),
        })),
        { conflict: ['entity_ref', 'day'] },
      );
      if (options.settle?.length) {
        await this.clearPending(options.settle, tx);
      }
    });
  }

  async getEvaluation(
    entityRef: string,
  ): Promise<StoredEvaluation | undefined> {
    const row = await this.db('compliance_results')
      .where({ entity_ref: entityRef.toLowerCase() })
      .first();
    return row && row.thresholds ? toStoredEvaluation(row) : undefined;
  }

  /** The stored verdict of each of the entities that has one. */
  async storedVerdicts(
    entityRefs: string[],
  ): Promise<Map<string, ComplianceVerdict>> {
    const out = new Map<string, ComplianceVerdict>();
    for (const chunk of chunks(entityRefs.map(r => r.toLowerCase()))) {
      const rows = await this.db('compliance_results')
        .whereIn('entity_ref', chunk)
        .select('entity_ref', 'verdict');
      for (const row of rows) out.set(row.entity_ref, row.verdict);
    }
    return out;
  }

  /**
   * Records the drift between one pair of file versions as the open
   * incident of the repository: a pair seen before is reopened (its
   * differences refreshed), a new pair gets a new incident, and incidents of
   * other pairs are resolved because the files moved on.
   */
  async recordDriftIncident(
    input: {
      repositoryId: number;
      commitSha: string;
      agentsSha?: string;
      claudeSha?: string;
      differences: DriftDifference[];
    },
    at: Date = new Date(),
  ): Promise<{ id: number; created: boolean }> {
    return this.db.transaction(async tx => {
      const pair = (q: Knex.QueryBuilder) => {
        for (const [column, value] of [
          ['agents_sha', input.agentsSha],
          ['claude_sha', input.claudeSha],
        ] as const) {
          if (value === undefined) q.whereNull(column);
          else q.where(column, value);
        }
        return q;
      };
      const existing = await pair(
        tx('drift_incidents').where({ repository_id: input.repositoryId }),
      ).first();
      let id: number;
      let created = false;
      if (existing) {
        id = fromDbNumber(existing.id)!;
        const reopen =
          existing.resolved_at !== null && existing.resolved_at !== undefined;
        await tx('drift_incidents')
          .where({ id })
          .update({
            commit_sha: input.commitSha,
            differences: toDbJson(input.differences),
            ...(reopen ? { resolved_at: null, detected_at: toDbTime(at) } : {}),
          });
      } else {
        const [row] = await tx('drift_incidents')
          .insert({
            repository_id: input.repositoryId,
            commit_sha: input.commitSha,
            agents_sha: input.agentsSha ?? null,
            claude_sha: input.claudeSha ?? null,
            differences: toDbJson(input.differences),
            detected_at: toDbTime(at),
          })
          .returning('id');
        id = fromDbNumber(typeof row === 'object' ? row.id : row)!;
        created = true;
      }
      await tx('drift_incidents')
        .where({ repository_id: input.repositoryId })
        .whereNot({ id })
        .whereNull('resolved_at')
        .update({ resolved_at: toDbTime(at) });
      return { id, created };
    });
  }

  async getWaiver(id: number): Promise<Waiver | undefined> {
    const row = await this.db('waivers').where({ id }).first();
    return row ? toWaiver(row) : undefined;
  }

  async getDriftCheck(
    repositoryId: number,
  ): Promise<DriftCheckState | undefined> {
    const row = await this.db('compliance_drift_checks')
      .where({ repository_id: repositoryId })
      .first();
    return row ? toDriftCheck(row) : undefined;
  }

  async saveDriftCheck(state: DriftCheckState, now: Date = new Date()) {
    await batchUpsert(
      this.db,
      'compliance_drift_checks',
      [
        {
          repository_id: state.repositoryId,
          default_branch: state.defaultBranch ?? null,
          branch_etag: state.branchEtag ?? null,
          commit_sha: state.commitSha ?? null,
          agents_etag: state.agentsEtag ?? null,
          agents_sha: state.agentsSha ?? null,
          agents_text: state.agentsText ?? null,
          claude_etag: state.claudeEtag ?? null,
          claude_sha: state.claudeSha ?? null,
          claude_text: state.claudeText ?? null,
          differences: state.differences ?? null,
          checked_at: state.checkedAt ? toDbTime(state.checkedAt) : null,
          compared_at: state.comparedAt ? toDbTime(state.comparedAt) : null,
          last_error: state.lastError ?? null,
          updated_at: toDbTime(now),
        },
      ],
      { conflict: ['repository_id'] },
    );
  }

  /**
   * Announces repositories whose facts changed, for the next incremental
   * pass. Each mark gets a new id, so a pass that read an earlier mark of
   * the same repository leaves this one in place (see `clearPending`).
   */
  async markPending(repositoryIds: number[], at: Date = new Date()) {
    const known: number[] = [];
    for (const chunk of chunks([...new Set(repositoryIds)])) {
      known.push(
        ...(await this.db('repositories').whereIn('id', chunk).pluck('id')).map(
          id => fromDbNumber(id)!,
        ),
      );
    }
    await batchUpsert(
      this.db,
      'compliance_pending',
      known.map(id => ({
        repository_id: id,
        marked_at: toDbTime(at),
        mark_id: randomUUID(),
      })),
      { conflict: ['repository_id'] },
    );
    return known.length;
  }

  /**
   * Pending marks set at or before `until`. Reading does not remove them:
   * the pass that evaluates a repository removes its mark when it stores
   * the results (`writeEvaluations` with `settle`, or `clearPending`).
   */
  async listPending(until: Date): Promise<PendingMark[]> {
    const rows = await this.db('compliance_pending')
      .where('marked_at', '<=', toDbTime(until))
      .orderBy('repository_id')
      .select('repository_id', 'mark_id');
    return rows.map(r => ({
      repositoryId: fromDbNumber(r.repository_id)!,
      markId: fromDbString(r.mark_id),
    }));
  }

  /**
   * Removes the given marks, but not a mark set again since they were
   * read (it has a new id): that change may not be in the results stored.
   */
  async clearPending(
    marks: PendingMark[],
    db: Knex | Knex.Transaction = this.db,
  ): Promise<void> {
    const ids = marks.flatMap(m => (m.markId ? [m.markId] : []));
    for (const chunk of chunks(ids)) {
      await db('compliance_pending').whereIn('mark_id', chunk).delete();
    }
    const legacy = marks.filter(m => !m.markId).map(m => m.repositoryId);
    for (const chunk of chunks(legacy)) {
      await db('compliance_pending')
        .whereIn('repository_id', chunk)
        .whereNull('mark_id')
        .delete();
    }
  }

  /** Replaces the mirrored group hierarchy. */
  async replaceGroupHierarchy(
    hierarchy: GroupHierarchy,
    now: Date = new Date(),
  ): Promise<void> {
    await this.db.transaction(async tx => {
      await tx('compliance_group_closure').delete();
      await tx('compliance_groups').delete();
      await batchUpsert(
        tx,
        'compliance_groups',
        hierarchy.groups.map(g => ({
          group_ref: g.groupRef.toLowerCase(),
          parent_ref: g.parentRef?.toLowerCase() ?? null,
          updated_at: toDbTime(now),
        })),
        { conflict: ['group_ref'] },
      );
      await batchUpsert(
        tx,
        'compliance_group_closure',
        hierarchy.closure.map(c => ({
          ancestor_ref: c.ancestorRef.toLowerCase(),
          descendant_ref: c.descendantRef.toLowerCase(),
          depth: c.depth,
        })),
        { conflict: ['ancestor_ref', 'descendant_ref'] },
      );
    });
  }

  async getGroupHierarchy(): Promise<GroupHierarchy> {
    const groups = await this.db('compliance_groups').orderBy('group_ref');
    const closure = await this.db('compliance_group_closure').orderBy([
      'ancestor_ref',
      'descendant_ref',
    ]);
    return {
      groups: groups.map(g => ({
        groupRef: g.group_ref,
        parentRef: fromDbString(g.parent_ref),
      })),
      closure: closure.map(c => ({
        ancestorRef: c.ancestor_ref,
        descendantRef: c.descendant_ref,
        depth: fromDbNumber(c.depth)!,
      })),
    };
  }
}
