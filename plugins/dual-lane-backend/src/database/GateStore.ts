import { Knex } from 'knex';
import {
  GateRun,
  LaneEvent,
  NegativeTestResult,
  Page,
  PullRequest,
  ReworkCycle,
  Verdict,
} from '@dual-lane/plugin-dual-lane-common';
import {
  batchUpsert,
  chunkRows,
  dedupeByKey,
  keepStoredWhenNull,
} from './batch';
import {
  fromDbBool,
  fromDbCount,
  fromDbJson,
  fromDbNumber,
  fromDbString,
  fromDbTime,
  fromDbTimeRequired,
  toDbJson,
  toDbTime,
  toOptionalDbTime,
} from './conversions';
import { decodeCursor, encodeCursor } from './pagination';
import { RepositoryChanges } from './RepositoryChanges';

export type PullRequestInput = Omit<PullRequest, 'id' | 'labels'> & {
  /** When given, replaces the labels the pull request carries. */
  labels?: string[];
};
export type GateRunInput = Omit<GateRun, 'id' | 'updatedAt'>;
export type LaneEventInput = Omit<LaneEvent, 'id'>;
export type VerdictInput = Omit<Verdict, 'id'>;
export type NegativeTestInput = Omit<NegativeTestResult, 'id'>;

/** Enough of a pull request to find and refresh it. */
export interface PullRequestKey {
  id: number;
  number: number;
  headSha: string;
  updatedAt: string;
}

function toKey(row: any): PullRequestKey {
  return {
    id: fromDbNumber(row.id)!,
    number: fromDbNumber(row.number)!,
    headSha: row.head_sha,
    updatedAt: fromDbTimeRequired(row.updated_at),
  };
}

const IN_CHUNK = 500;

function prKey(repositoryId: number, number: number) {
  return `${repositoryId}#${number}`;
}

function toPullRequest(row: any, labels: string[]): PullRequest {
  return {
    id: fromDbNumber(row.id)!,
    repositoryId: fromDbNumber(row.repository_id)!,
    number: fromDbNumber(row.number)!,
    externalId: fromDbNumber(row.external_id),
    title: row.title,
    state: row.state,
    draft: fromDbBool(row.draft),
    author: fromDbString(row.author),
    headRef: row.head_ref,
    headSha: row.head_sha,
    baseRef: row.base_ref,
    laneSlug: fromDbString(row.lane_slug),
    mergeCommitSha: fromDbString(row.merge_commit_sha),
    mergedBy: fromDbString(row.merged_by),
    createdAt: fromDbTimeRequired(row.created_at),
    updatedAt: fromDbTimeRequired(row.updated_at),
    closedAt: fromDbTime(row.closed_at),
    mergedAt: fromDbTime(row.merged_at),
    expectedLabel: fromDbString(row.expected_label),
    labels,
    conformance: fromDbJson(row.conformance),
  };
}

function toGateRun(row: any): GateRun {
  return {
    id: fromDbNumber(row.id)!,
    repositoryId: fromDbNumber(row.repository_id)!,
    pullRequestId: fromDbNumber(row.pull_request_id),
    source: row.source,
    externalId: String(row.external_id),
    gateName: row.gate_name,
    checkName: row.check_name,
    headSha: row.head_sha,
    status: row.status,
    conclusion: fromDbString(row.conclusion),
    appId: fromDbNumber(row.app_id),
    appSlug: fromDbString(row.app_slug),
    detailsUrl: fromDbString(row.details_url),
    policyDigest: fromDbString(row.policy_digest),
    startedAt: fromDbTime(row.started_at),
    completedAt: fromDbTime(row.completed_at),
    updatedAt: fromDbTimeRequired(row.updated_at),
  };
}

function toLaneEvent(row: any): LaneEvent {
  return {
    id: fromDbNumber(row.id)!,
    repositoryId: fromDbNumber(row.repository_id)!,
    pullRequestId: fromDbNumber(row.pull_request_id),
    kind: row.kind,
    slug: row.slug,
    branch: fromDbString(row.branch),
    commitSha: row.commit_sha,
    occurredAt: fromDbTimeRequired(row.occurred_at),
  };
}

function toVerdict(row: any): Verdict {
  return {
    id: fromDbNumber(row.id)!,
    pullRequestId: fromDbNumber(row.pull_request_id)!,
    source: row.source,
    externalId: row.external_id,
    verdict: row.verdict,
    author: fromDbString(row.author),
    body: fromDbString(row.body),
    commitSha: fromDbString(row.commit_sha),
    recordedAt: fromDbTimeRequired(row.recorded_at),
  };
}

function toReworkCycle(row: any): ReworkCycle {
  return {
    pullRequestId: fromDbNumber(row.pull_request_id)!,
    cycle: fromDbNumber(row.cycle)!,
    startedAt: fromDbTimeRequired(row.started_at),
    endedAt: fromDbTime(row.ended_at),
    verdict: fromDbString(row.verdict),
  };
}

function toNegativeTest(row: any): NegativeTestResult {
  return {
    id: fromDbNumber(row.id)!,
    repositoryId: fromDbNumber(row.repository_id)!,
    pullRequestId: fromDbNumber(row.pull_request_id),
    testName: row.test_name,
    environment: row.environment,
    commitSha: row.commit_sha,
    blocked: fromDbBool(row.blocked),
    evidenceUrl: fromDbString(row.evidence_url),
    observedAt: fromDbTimeRequired(row.observed_at),
  };
}

/** Runs `fn` over `ids` in chunks small enough for every engine's IN list. */
async function inChunks<T>(
  ids: number[],
  fn: (chunk: number[]) => Promise<T[]>,
): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += IN_CHUNK) {
    out.push(...(await fn(ids.slice(i, i + IN_CHUNK))));
  }
  return out;
}

/**
 * Pull requests and everything that happens on them: gate runs, lane
 * events, verdicts, rework cycles, labels and negative tests.
 *
 * Upserts are idempotent on natural keys and never move a row backwards:
 * an older copy of a pull request (by the host's `updated_at`) or a
 * not-yet-completed copy of a completed gate run is ignored, so a webhook
 * and a scheduled sync racing on the same pull request leave the same rows
 * whatever order they land in.
 */
export class GateStore {
  constructor(
    private readonly db: Knex,
    private readonly changes: RepositoryChanges = new RepositoryChanges(),
  ) {}

  private async repositoriesOfPullRequests(ids: number[]): Promise<number[]> {
    const rows = await inChunks([...new Set(ids)], chunk =>
      this.db('pull_requests').whereIn('id', chunk).distinct('repository_id'),
    );
    return rows.map(r => fromDbNumber(r.repository_id)!);
  }

  private async pullRequestsChanged(ids: number[]) {
    if (ids.length > 0) {
      await this.changes.notify(await this.repositoriesOfPullRequests(ids));
    }
  }

  /** Returns the ids of the given pull requests keyed by `repositoryId#number`. */
  async upsertPullRequests(
    inputs: PullRequestInput[],
  ): Promise<Map<string, number>> {
    if (inputs.length === 0) {
      return new Map();
    }
    const written = await this.db.transaction(async tx => {
      const mapped = inputs.map(pr => ({
        repository_id: pr.repositoryId,
        number: pr.number,
        external_id: pr.externalId ?? null,
        title: pr.title,
        state: pr.state,
        draft: pr.draft,
        author: pr.author ?? null,
        head_ref: pr.headRef,
        head_sha: pr.headSha,
        base_ref: pr.baseRef,
        lane_slug: pr.laneSlug ?? null,
        merge_commit_sha: pr.mergeCommitSha ?? null,
        merged_by: pr.mergedBy ?? null,
        created_at: toDbTime(pr.createdAt),
        updated_at: toDbTime(pr.updatedAt),
        closed_at: toOptionalDbTime(pr.closedAt),
        merged_at: toOptionalDbTime(pr.mergedAt),
        expected_label: pr.expectedLabel ?? null,
        conformance: toDbJson(pr.conformance),
      }));
      const conflict = ['repository_id', 'number'];
      const rows = dedupeByKey(mapped, conflict);
      const kept = ['merged_by', 'expected_label', 'conformance'];
      const merge = {
        ...Object.fromEntries(
          Object.keys(rows[0])
            .filter(c => !conflict.includes(c) && !kept.includes(c))
            .map(c => [c, tx.raw('excluded.??', [c])]),
        ),
        // Derived later, or only in some reads: an input without them keeps them.
        ...keepStoredWhenNull(tx, 'pull_requests', kept),
      };
      for (const chunk of chunkRows(tx, rows)) {
        await tx('pull_requests')
          .insert(chunk)
          .onConflict(conflict)
          .merge(merge)
          .where(
            'pull_requests.updated_at',
            '<=',
            tx.raw('excluded.updated_at'),
          );
      }
      const ids = await this.pullRequestIds(
        tx,
        inputs.map(i => ({ repositoryId: i.repositoryId, number: i.number })),
      );
      const withLabels = inputs.filter(i => i.labels !== undefined);
      if (withLabels.length > 0) {
        await this.replaceLabels(
          tx,
          withLabels.map(i => ({
            pullRequestId: ids.get(prKey(i.repositoryId, i.number))!,
            labels: i.labels!,
            updatedAt: toDbTime(i.updatedAt),
          })),
        );
      }
      return ids;
    });
    await this.changes.notify(inputs.map(i => i.repositoryId));
    return written;
  }

  private async pullRequestIds(
    db: Knex | Knex.Transaction,
    keys: Array<{ repositoryId: number; number: number }>,
  ): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    const byRepo = new Map<number, number[]>();
    for (const k of keys) {
      byRepo.set(k.repositoryId, [
        ...(byRepo.get(k.repositoryId) ?? []),
        k.number,
      ]);
    }
    for (const [repositoryId, numbers] of byRepo) {
      const rows = await inChunks(numbers, chunk =>
        db('pull_requests')
          .where({ repository_id: repositoryId })
          .whereIn('number', chunk)
          .select('id', 'number'),
      );
      for (const row of rows) {
        ids.set(
          prKey(repositoryId, fromDbNumber(row.number)!),
          fromDbNumber(row.id)!,
        );
      }
    }
    return ids;
  }

  /**
   * Replaces labels, but only where the stored pull request is still the
   * copy the labels came with (an older delivery must not undo a newer one).
   */
  private async replaceLabels(
    tx: Knex.Transaction,
    sets: Array<{ pullRequestId: number; labels: string[]; updatedAt: string }>,
  ) {
    const current = new Map<number, string>();
    const rows = await inChunks(
      sets.map(s => s.pullRequestId),
      chunk =>
        tx('pull_requests').whereIn('id', chunk).select('id', 'updated_at'),
    );
    for (const row of rows) {
      current.set(fromDbNumber(row.id)!, fromDbTimeRequired(row.updated_at));
    }
    const applicable = sets.filter(
      s => current.get(s.pullRequestId) === s.updatedAt,
    );
    await inChunks(
      applicable.map(s => s.pullRequestId),
      async chunk => {
        await tx('pull_request_labels')
          .whereIn('pull_request_id', chunk)
          .delete();
        return [];
      },
    );
    await batchUpsert(
      tx,
      'pull_request_labels',
      applicable.flatMap(s =>
        s.labels.map(name => ({ pull_request_id: s.pullRequestId, name })),
      ),
      { conflict: ['pull_request_id', 'name'], merge: [] },
    );
  }

  /** Sets derived fields computed after the facts were stored. */
  async updateDerived(
    pullRequestId: number,
    derived: { expectedLabel?: string | null; conformance?: unknown },
  ): Promise<void> {
    const patch: Record<string, unknown> = {};
    if (derived.expectedLabel !== undefined) {
      patch.expected_label = derived.expectedLabel;
    }
    if (derived.conformance !== undefined) {
      patch.conformance = toDbJson(derived.conformance);
    }
    if (Object.keys(patch).length > 0) {
      await this.db('pull_requests').where({ id: pullRequestId }).update(patch);
      await this.pullRequestsChanged([pullRequestId]);
    }
  }

  async getPullRequest(
    repositoryId: number,
    number: number,
  ): Promise<PullRequest | undefined> {
    const row = await this.db('pull_requests')
      .where({ repository_id: repositoryId, number })
      .first();
    if (!row) {
      return undefined;
    }
    const labels = await this.labelsOf([fromDbNumber(row.id)!]);
    return toPullRequest(row, labels.get(fromDbNumber(row.id)!) ?? []);
  }

  /**
   * Pull requests of the given repositories, newest update first, paged by
   * an opaque cursor.
   */
  async listPullRequests(options: {
    repositoryIds: number[];
    state?: PullRequest['state'];
    updatedSince?: string;
    limit: number;
    cursor?: string;
  }): Promise<Page<PullRequest>> {
    const base = () => {
      const q = this.db('pull_requests').whereIn(
        'repository_id',
        options.repositoryIds,
      );
      if (options.state) q.where('state', options.state);
      if (options.updatedSince)
        q.where('updated_at', '>=', toDbTime(options.updatedSince));
      return q;
    };
    const [{ count }] = await base().count({ count: '*' });
    const page = base()
      .orderBy([
        { column: 'updated_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit + 1);
    if (options.cursor) {
      const { value, id } = decodeCursor(options.cursor);
      const at = toDbTime(value);
      page.where(q =>
        q
          .where('updated_at', '<', at)
          .orWhere(q2 => q2.where('updated_at', at).andWhere('id', '<', id)),
      );
    }
    const rows = await page;
    const more = rows.length > options.limit;
    const pageRows = rows.slice(0, options.limit);
    const labels = await this.labelsOf(pageRows.map(r => fromDbNumber(r.id)!));
    const items = pageRows.map(r =>
      toPullRequest(r, labels.get(fromDbNumber(r.id)!) ?? []),
    );
    const last = items[items.length - 1];
    return {
      items,
      totalCount: fromDbCount(count),
      nextCursor:
        more && last
          ? encodeCursor({ value: last.updatedAt, id: last.id })
          : undefined,
    };
  }

  private async labelsOf(ids: number[]): Promise<Map<number, string[]>> {
    const rows = await inChunks(ids, chunk =>
      this.db('pull_request_labels')
        .whereIn('pull_request_id', chunk)
        .orderBy('name'),
    );
    const out = new Map<number, string[]>();
    for (const row of rows) {
      const id = fromDbNumber(row.pull_request_id)!;
      out.set(id, [...(out.get(id) ?? []), row.name]);
    }
    return out;
  }

  /** Pull requests of a repository whose head (or merge) commit is `sha`. */
  async pullRequestsAtCommit(
    repositoryId: number,
    sha: string,
  ): Promise<PullRequestKey[]> {
    const rows = await this.db('pull_requests')
      .where({ repository_id: repositoryId })
      .where(q => q.where('head_sha', sha).orWhere('merge_commit_sha', sha))
      .select('id', 'number', 'head_sha', 'updated_at')
      .orderBy('number');
    return rows.map(toKey);
  }

  /** Pull requests of a repository on the lane `<slug>`, open ones first. */
  async pullRequestsOfLane(
    repositoryId: number,
    slug: string,
  ): Promise<Array<PullRequestKey & { state: PullRequest['state'] }>> {
    const rows = await this.db('pull_requests')
      .where({ repository_id: repositoryId, lane_slug: slug })
      .select('id', 'number', 'head_sha', 'updated_at', 'state')
      .orderBy('number', 'desc');
    return rows
      .map(r => ({ ...toKey(r), state: r.state }))
      .sort((a, b) => Number(b.state === 'open') - Number(a.state === 'open'));
  }

  /** The open pull requests of a repository. */
  async openPullRequests(repositoryId: number): Promise<PullRequestKey[]> {
    const rows = await this.db('pull_requests')
      .where({ repository_id: repositoryId, state: 'open' })
      .select('id', 'number', 'head_sha', 'updated_at')
      .orderBy('number');
    return rows.map(toKey);
  }

  async upsertGateRuns(inputs: GateRunInput[], now: Date = new Date()) {
    const at = toDbTime(now);
    const mapped = inputs.map(r => ({
      repository_id: r.repositoryId,
      pull_request_id: r.pullRequestId ?? null,
      source: r.source,
      external_id: r.externalId,
      gate_name: r.gateName,
      check_name: r.checkName,
      head_sha: r.headSha,
      status: r.status,
      conclusion: r.conclusion ?? null,
      app_id: r.appId ?? null,
      app_slug: r.appSlug ?? null,
      details_url: r.detailsUrl ?? null,
      policy_digest: r.policyDigest ?? null,
      started_at: toOptionalDbTime(r.startedAt),
      completed_at: toOptionalDbTime(r.completedAt),
      updated_at: at,
    }));
    const conflict = ['repository_id', 'source', 'external_id'];
    const rows = dedupeByKey(mapped, conflict);
    if (rows.length === 0) {
      return;
    }
    const columns = Object.keys(rows[0]).filter(c => !conflict.includes(c));
    for (const chunk of chunkRows(this.db, rows)) {
      await this.db('gate_runs')
        .insert(chunk)
        .onConflict(conflict)
        .merge({
          ...Object.fromEntries(
            columns.map(c => [c, this.db.raw('excluded.??', [c])]),
          ),
          ...keepStoredWhenNull(this.db, 'gate_runs', [
            'pull_request_id',
            'policy_digest',
          ]),
        })
        // A completed run never goes back to queued/in_progress.
        .where(q =>
          q
            .whereNot('gate_runs.status', 'completed')
            .orWhereRaw('excluded.status = ?', ['completed']),
        );
    }
    await this.changes.notify(inputs.map(r => r.repositoryId));
  }

  async listGateRuns(options: {
    pullRequestIds?: number[];
    repositoryId?: number;
    headSha?: string;
  }): Promise<GateRun[]> {
    if (options.pullRequestIds) {
      const rows = await inChunks(options.pullRequestIds, chunk =>
        this.db('gate_runs').whereIn('pull_request_id', chunk).orderBy('id'),
      );
      return rows.map(toGateRun);
    }
    const q = this.db('gate_runs').orderBy('id');
    if (options.repositoryId !== undefined)
      q.where('repository_id', options.repositoryId);
    if (options.headSha) q.where('head_sha', options.headSha);
    return (await q).map(toGateRun);
  }

  async upsertLaneEvents(inputs: LaneEventInput[]): Promise<void> {
    await batchUpsert(
      this.db,
      'lane_events',
      inputs.map(e => ({
        repository_id: e.repositoryId,
        pull_request_id: e.pullRequestId ?? null,
        kind: e.kind,
        slug: e.slug,
        branch: e.branch ?? null,
        commit_sha: e.commitSha,
        occurred_at: toDbTime(e.occurredAt),
      })),
      {
        conflict: ['repository_id', 'commit_sha', 'kind', 'slug'],
        merge: keepStoredWhenNull(this.db, 'lane_events', [
          'pull_request_id',
          'branch',
        ]),
      },
    );
    await this.changes.notify(inputs.map(e => e.repositoryId));
  }

  async listLaneEvents(options: {
    pullRequestIds?: number[];
    repositoryId?: number;
  }): Promise<LaneEvent[]> {
    if (options.pullRequestIds) {
      const rows = await inChunks(options.pullRequestIds, chunk =>
        this.db('lane_events')
          .whereIn('pull_request_id', chunk)
          .orderBy([{ column: 'occurred_at' }, { column: 'id' }]),
      );
      return rows.map(toLaneEvent);
    }
    const q = this.db('lane_events').orderBy([
      { column: 'occurred_at' },
      { column: 'id' },
    ]);
    if (options.repositoryId !== undefined)
      q.where('repository_id', options.repositoryId);
    return (await q).map(toLaneEvent);
  }

  async upsertVerdicts(inputs: VerdictInput[]): Promise<void> {
    await batchUpsert(
      this.db,
      'verdicts',
      inputs.map(v => ({
        pull_request_id: v.pullRequestId,
        source: v.source,
        external_id: v.externalId,
        verdict: v.verdict,
        author: v.author ?? null,
        body: v.body ?? null,
        commit_sha: v.commitSha ?? null,
        recorded_at: toDbTime(v.recordedAt),
      })),
      { conflict: ['pull_request_id', 'source', 'external_id'] },
    );
    await this.pullRequestsChanged(inputs.map(v => v.pullRequestId));
  }

  /**
   * Removes a pull request's verdicts from one source except the given
   * external ids: a dismissed review, or one edited to drop its marker, no
   * longer carries a verdict.
   */
  async deleteVerdictsExcept(
    pullRequestId: number,
    source: Verdict['source'],
    keepExternalIds: string[],
  ): Promise<number> {
    const q = this.db('verdicts').where({
      pull_request_id: pullRequestId,
      source,
    });
    if (keepExternalIds.length > 0) {
      q.whereNotIn('external_id', keepExternalIds);
    }
    const deleted = await q.delete();
    if (deleted > 0) await this.pullRequestsChanged([pullRequestId]);
    return deleted;
  }

  async deleteVerdict(
    pullRequestId: number,
    source: Verdict['source'],
    externalId: string,
  ): Promise<number> {
    const deleted = await this.db('verdicts')
      .where({
        pull_request_id: pullRequestId,
        source,
        external_id: externalId,
      })
      .delete();
    if (deleted > 0) await this.pullRequestsChanged([pullRequestId]);
    return deleted;
  }

  /**
   * Removes stored verdicts the verdict settings do not count (they were
   * recorded under other settings): with `supervisors`, those by anyone
   * else; without, those by the pull request's own author. Verdicts of an
   * unknown author go in both cases. Returns the pull requests touched.
   */
  async deleteUncountedVerdicts(
    supervisors: string[],
  ): Promise<Array<{ repositoryId: number; number: number }>> {
    const uncounted = this.db('verdicts as v')
      .join('pull_requests as pr', 'pr.id', 'v.pull_request_id')
      .where(q => {
        q.whereNull('v.author');
        if (supervisors.length > 0) {
          q.orWhereRaw(
            `lower(v.author) NOT IN (${supervisors.map(() => '?').join(', ')})`,
            supervisors.map(s => s.toLowerCase()),
          );
        } else {
          q.orWhereRaw('lower(v.author) = lower(pr.author)');
        }
      });
    const rows = await uncounted
      .clone()
      .distinct('pr.id', 'pr.repository_id', 'pr.number');
    if (rows.length === 0) return [];
    const ids = rows.map(r => fromDbNumber(r.id)!);
    await this.db('verdicts')
      .whereIn('id', uncounted.clone().clearSelect().select('v.id'))
      .delete();
    await this.pullRequestsChanged(ids);
    return rows.map(r => ({
      repositoryId: fromDbNumber(r.repository_id)!,
      number: fromDbNumber(r.number)!,
    }));
  }

  async listVerdicts(pullRequestIds: number[]): Promise<Verdict[]> {
    const rows = await inChunks(pullRequestIds, chunk =>
      this.db('verdicts')
        .whereIn('pull_request_id', chunk)
        .orderBy([{ column: 'recorded_at' }, { column: 'id' }]),
    );
    return rows.map(toVerdict);
  }

  /** Rework cycles are derived: each call replaces a pull request's cycles. */
  async replaceReworkCycles(
    pullRequestId: number,
    cycles: Omit<ReworkCycle, 'pullRequestId'>[],
  ): Promise<void> {
    await this.db.transaction(async tx => {
      await tx('rework_cycles')
        .where({ pull_request_id: pullRequestId })
        .delete();
      await batchUpsert(
        tx,
        'rework_cycles',
        cycles.map(c => ({
          pull_request_id: pullRequestId,
          cycle: c.cycle,
          started_at: toDbTime(c.startedAt),
          ended_at: toOptionalDbTime(c.endedAt),
          verdict: c.verdict ?? null,
        })),
        { conflict: ['pull_request_id', 'cycle'] },
      );
    });
    await this.pullRequestsChanged([pullRequestId]);
  }

  async listReworkCycles(pullRequestIds: number[]): Promise<ReworkCycle[]> {
    const rows = await inChunks(pullRequestIds, chunk =>
      this.db('rework_cycles')
        .whereIn('pull_request_id', chunk)
        .orderBy([{ column: 'pull_request_id' }, { column: 'cycle' }]),
    );
    return rows.map(toReworkCycle);
  }

  async upsertNegativeTests(inputs: NegativeTestInput[]): Promise<void> {
    await batchUpsert(
      this.db,
      'negative_tests',
      inputs.map(t => ({
        repository_id: t.repositoryId,
        pull_request_id: t.pullRequestId ?? null,
        test_name: t.testName,
        environment: t.environment,
        commit_sha: t.commitSha,
        blocked: t.blocked,
        evidence_url: t.evidenceUrl ?? null,
        observed_at: toDbTime(t.observedAt),
      })),
      { conflict: ['repository_id', 'commit_sha', 'test_name', 'environment'] },
    );
    await this.changes.notify(inputs.map(t => t.repositoryId));
  }

  async listNegativeTests(repositoryId: number): Promise<NegativeTestResult[]> {
    const rows = await this.db('negative_tests')
      .where({ repository_id: repositoryId })
      .orderBy([{ column: 'observed_at' }, { column: 'id' }]);
    return rows.map(toNegativeTest);
  }
}
