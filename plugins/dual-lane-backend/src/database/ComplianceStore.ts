import { Knex } from 'knex';
import {
  ComplianceResult,
  DriftIncident,
  KpiSnapshot,
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
}
