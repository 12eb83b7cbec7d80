import { Knex } from 'knex';
import { DualLaneEntity, Repository } from '@dual-lane/plugin-dual-lane-common';
import { batchUpsert, keepStoredWhenNull } from './batch';
import {
  fromDbJson,
  fromDbNumber,
  fromDbString,
  fromDbTime,
  fromDbTimeRequired,
  toDbJson,
  toDbTime,
} from './conversions';

export interface RepositoryInput {
  host: string;
  owner: string;
  name: string;
  defaultBranch?: string;
  defaultBranchSha?: string;
  externalId?: number;
}

export type EntityInput = Omit<DualLaneEntity, 'updatedAt'>;

/** The cursor and ETag of one incrementally synced resource. */
export interface SyncState {
  key: string;
  etag?: string;
  cursor?: string;
  data?: unknown;
  lastSyncedAt?: string;
  lastError?: string;
}

function toRepository(row: any): Repository {
  return {
    id: fromDbNumber(row.id)!,
    host: row.host,
    owner: row.owner,
    name: row.name,
    defaultBranch: fromDbString(row.default_branch),
    defaultBranchSha: fromDbString(row.default_branch_sha),
    externalId: fromDbNumber(row.external_id),
    createdAt: fromDbTimeRequired(row.created_at),
    updatedAt: fromDbTimeRequired(row.updated_at),
  };
}

function toEntity(row: any): DualLaneEntity {
  return {
    entityRef: row.entity_ref,
    kind: row.kind,
    namespace: row.namespace,
    name: row.name,
    title: fromDbString(row.title),
    ownerRef: fromDbString(row.owner_ref),
    systemRef: fromDbString(row.system_ref),
    repositoryId: fromDbNumber(row.repository_id),
    annotations: fromDbJson<Record<string, string>>(row.annotations) ?? {},
    updatedAt: fromDbTimeRequired(row.updated_at),
  };
}

function repoKey(r: { host: string; owner: string; name: string }) {
  return `${r.host}/${r.owner}/${r.name}`.toLowerCase();
}

/** Repositories, the entities that point at them, and sync cursors. */
export class RepositoryStore {
  constructor(private readonly db: Knex) {}

  /**
   * Upserts repositories by (host, owner, name), case-insensitively as the
   * host treats them, and returns their ids keyed by `host/owner/name` in
   * lower case. Fields left undefined keep their stored value.
   */
  async upsertRepositories(
    inputs: RepositoryInput[],
    now: Date = new Date(),
  ): Promise<Map<string, number>> {
    const at = toDbTime(now);
    const rows = inputs.map(r => ({
      host: r.host.toLowerCase(),
      owner: r.owner.toLowerCase(),
      name: r.name.toLowerCase(),
      default_branch: r.defaultBranch ?? null,
      default_branch_sha: r.defaultBranchSha ?? null,
      external_id: r.externalId ?? null,
      created_at: at,
      updated_at: at,
    }));
    const written = await batchUpsert(this.db, 'repositories', rows, {
      conflict: ['host', 'owner', 'name'],
      merge: {
        ...keepStoredWhenNull(this.db, 'repositories', [
          'default_branch',
          'default_branch_sha',
          'external_id',
        ]),
        updated_at: this.db.raw('excluded.updated_at'),
      },
      returning: ['id', 'host', 'owner', 'name'],
    });
    return new Map(
      written.map(row => [repoKey(row as any), fromDbNumber(row.id)!]),
    );
  }

  async getRepository(id: number): Promise<Repository | undefined> {
    const row = await this.db('repositories').where({ id }).first();
    return row ? toRepository(row) : undefined;
  }

  async findRepository(
    host: string,
    owner: string,
    name: string,
  ): Promise<Repository | undefined> {
    const row = await this.db('repositories')
      .where({
        host: host.toLowerCase(),
        owner: owner.toLowerCase(),
        name: name.toLowerCase(),
      })
      .first();
    return row ? toRepository(row) : undefined;
  }

  /**
   * The repository, but only while a catalog entity points at it:
   * repositories outlive their entities (their rows keep history), and
   * webhooks or ingest must not write to one that left the catalog.
   */
  async findRepositoryInUse(
    host: string,
    owner: string,
    name: string,
  ): Promise<Repository | undefined> {
    const row = await this.db('repositories as r')
      .where({
        'r.host': host.toLowerCase(),
        'r.owner': owner.toLowerCase(),
        'r.name': name.toLowerCase(),
      })
      .whereExists(this.db('entities as e').whereRaw('e.repository_id = r.id'))
      .select('r.*')
      .first();
    return row ? toRepository(row) : undefined;
  }

  /** The refs of the entities pointing at each repository (lower case, sorted). */
  async entityRefsOfRepositories(
    repositoryIds: number[],
  ): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>();
    const ids = [...new Set(repositoryIds)];
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db('entities')
        .whereIn('repository_id', ids.slice(i, i + 500))
        .select('repository_id', 'entity_ref')
        .orderBy('entity_ref');
      for (const row of rows) {
        const id = fromDbNumber(row.repository_id)!;
        out.set(id, [...(out.get(id) ?? []), row.entity_ref]);
      }
    }
    return out;
  }

  async listRepositories(): Promise<Repository[]> {
    const rows = await this.db('repositories').orderBy('id');
    return rows.map(toRepository);
  }

  /** Upserts catalog entities by entity ref. */
  async upsertEntities(
    inputs: EntityInput[],
    now: Date = new Date(),
  ): Promise<void> {
    const at = toDbTime(now);
    await batchUpsert(
      this.db,
      'entities',
      inputs.map(e => ({
        entity_ref: e.entityRef.toLowerCase(),
        kind: e.kind,
        namespace: e.namespace,
        name: e.name,
        title: e.title ?? null,
        owner_ref: e.ownerRef?.toLowerCase() ?? null,
        system_ref: e.systemRef?.toLowerCase() ?? null,
        repository_id: e.repositoryId ?? null,
        annotations: toDbJson(e.annotations ?? {}),
        updated_at: at,
      })),
      { conflict: ['entity_ref'] },
    );
  }

  /** Removes entities that are no longer in the catalog; returns how many. */
  async deleteEntitiesExcept(keep: string[]): Promise<number> {
    const keepSet = new Set(keep.map(k => k.toLowerCase()));
    const stored: string[] = await this.db('entities').pluck('entity_ref');
    const gone = stored.filter(ref => !keepSet.has(ref));
    let deleted = 0;
    for (let i = 0; i < gone.length; i += 500) {
      deleted += await this.db('entities')
        .whereIn('entity_ref', gone.slice(i, i + 500))
        .delete();
    }
    return deleted;
  }

  async getEntity(entityRef: string): Promise<DualLaneEntity | undefined> {
    const row = await this.db('entities')
      .where({ entity_ref: entityRef.toLowerCase() })
      .first();
    return row ? toEntity(row) : undefined;
  }

  async listEntities(): Promise<DualLaneEntity[]> {
    const rows = await this.db('entities').orderBy('entity_ref');
    return rows.map(toEntity);
  }

  async getEntitiesByRefs(
    refs: string[],
  ): Promise<Array<DualLaneEntity | undefined>> {
    const wanted = refs.map(r => r.toLowerCase());
    const found = new Map<string, DualLaneEntity>();
    for (let i = 0; i < wanted.length; i += 500) {
      const rows = await this.db('entities').whereIn(
        'entity_ref',
        wanted.slice(i, i + 500),
      );
      for (const row of rows) found.set(row.entity_ref, toEntity(row));
    }
    return wanted.map(r => found.get(r));
  }

  /** Entities pointing at a repository (a monorepo may have several). */
  async listEntitiesOfRepository(
    repositoryId: number,
  ): Promise<DualLaneEntity[]> {
    const rows = await this.db('entities')
      .where({ repository_id: repositoryId })
      .orderBy('entity_ref');
    return rows.map(toEntity);
  }

  /** Repositories at least one catalog entity points at. */
  async repositoryIdsWithEntities(): Promise<number[]> {
    const rows = await this.db('entities')
      .whereNotNull('repository_id')
      .distinct('repository_id');
    return rows.map(r => fromDbNumber(r.repository_id)!).sort((a, b) => a - b);
  }

  async getSyncState(key: string): Promise<SyncState | undefined> {
    const row = await this.db('sync_state').where({ key }).first();
    if (!row) {
      return undefined;
    }
    return {
      key: row.key,
      etag: fromDbString(row.etag),
      cursor: fromDbString(row.cursor),
      data: fromDbJson(row.data),
      lastSyncedAt: fromDbTime(row.last_synced_at),
      lastError: fromDbString(row.last_error),
    };
  }

  async setSyncState(state: SyncState, now: Date = new Date()): Promise<void> {
    await batchUpsert(
      this.db,
      'sync_state',
      [
        {
          key: state.key,
          etag: state.etag ?? null,
          cursor: state.cursor ?? null,
          data: toDbJson(state.data),
          last_synced_at: state.lastSyncedAt
            ? toDbTime(state.lastSyncedAt)
            : null,
          last_error: state.lastError ?? null,
          updated_at: toDbTime(now),
        },
      ],
      { conflict: ['key'] },
    );
  }
}
