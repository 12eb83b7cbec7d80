import { Knex } from 'knex';
import { VerdictSource } from '@dual-lane/plugin-dual-lane-common';

/*
 * Lookups and one delete the gates area needs that GateStore does not offer
 * yet (finding pull requests by head commit or lane slug without paging
 * through all of them, removing a verdict whose review was dismissed).
 * Kept to plain, indexed statements on the foundation's schema; candidates
 * to move into GateStore.
 */

export interface PullRequestKey {
  id: number;
  number: number;
  headSha: string;
  updatedAt: string;
}

function toKey(row: any): PullRequestKey {
  return {
    id: Number(row.id),
    number: Number(row.number),
    headSha: row.head_sha,
    updatedAt:
      row.updated_at instanceof Date
        ? row.updated_at.toISOString()
        : new Date(row.updated_at).toISOString(),
  };
}

export class GateQueries {
  constructor(private readonly db: Knex) {}

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
  ): Promise<Array<PullRequestKey & { state: string }>> {
    const rows = await this.db('pull_requests')
      .where({ repository_id: repositoryId, lane_slug: slug })
      .select('id', 'number', 'head_sha', 'updated_at', 'state')
      .orderBy('number', 'desc');
    return rows
      .map(r => ({ ...toKey(r), state: r.state as string }))
      .sort((a, b) => Number(b.state === 'open') - Number(a.state === 'open'));
  }

  /** The open pull requests of a repository (id, number, head). */
  async openPullRequests(repositoryId: number): Promise<PullRequestKey[]> {
    const rows = await this.db('pull_requests')
      .where({ repository_id: repositoryId, state: 'open' })
      .select('id', 'number', 'head_sha', 'updated_at')
      .orderBy('number');
    return rows.map(toKey);
  }

  /** Repositories at least one catalog entity points at. */
  async repositoryIdsWithEntities(): Promise<number[]> {
    const rows = await this.db('entities')
      .whereNotNull('repository_id')
      .distinct('repository_id');
    return rows.map(r => Number(r.repository_id)).sort((a, b) => a - b);
  }

  /**
   * Removes a pull request's verdicts from one source, except the given
   * external ids: a dismissed review, or one edited to drop its marker,
   * no longer carries a verdict.
   */
  async deleteVerdictsExcept(
    pullRequestId: number,
    source: VerdictSource,
    keepExternalIds: string[],
  ): Promise<number> {
    const q = this.db('verdicts').where({
      pull_request_id: pullRequestId,
      source,
    });
    if (keepExternalIds.length > 0) {
      q.whereNotIn('external_id', keepExternalIds);
    }
    return q.delete();
  }

  async deleteVerdict(
    pullRequestId: number,
    source: VerdictSource,
    externalId: string,
  ): Promise<number> {
    return this.db('verdicts')
      .where({ pull_request_id: pullRequestId, source, external_id: externalId })
      .delete();
  }
}
