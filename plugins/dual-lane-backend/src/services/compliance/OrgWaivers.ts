import { InputError } from '@backstage/errors';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  ComplianceWaiverItem,
  GoNoGoCriterionId,
  isWaiverActive,
  Page,
} from '@dual-lane/plugin-dual-lane-common';
import { Knex } from 'knex';
import {
  fromDbNumber,
  fromDbString,
  fromDbTime,
  fromDbTimeRequired,
  toDbTime,
} from '../../database/conversions';
import { isRowId, parseCursorJson } from '../../database/pagination';
import { applyEntityFilter, EntityFilter } from '../../permissions';

/** Filters of the organisation's waiver list. */
export interface OrgWaiverFilters {
  /** The caller's conditional permission, as SQL filters on `entities`. */
  permission?: PermissionCriteria<EntityFilter>;
  /** Only waivers neither revoked nor expired at `now`. */
  active?: boolean;
  criterion?: GoNoGoCriterionId;
}

function encodeCursor(id: number): string {
  return Buffer.from(JSON.stringify(['waiver', id])).toString('base64url');
}

function decodeCursor(text: string): number {
  const parsed = parseCursorJson(text);
  if (parsed?.length === 2 && parsed[0] === 'waiver' && isRowId(parsed[1])) {
    return parsed[1];
  }
  throw new InputError(`Invalid cursor '${text}'`);
}

function toItem(row: any, now: Date): ComplianceWaiverItem {
  const waiver = {
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
  return {
    ...waiver,
    active: isWaiverActive(waiver, now),
    entity: {
      kind: row.kind,
      namespace: row.namespace,
      name: row.name,
      title: fromDbString(row.title),
      ownerRef: fromDbString(row.owner_ref),
      systemRef: fromDbString(row.system_ref),
    },
  };
}

/**
 * The waivers of every entity the caller may read, newest first, filtered
 * in SQL by the caller's permission decision (as the org-wide list is) and
 * keyset-paginated on the waiver id. Waivers of entities that left the
 * catalog are not listed.
 */
export class OrgWaivers {
  constructor(private readonly db: Knex) {}

  async list(options: {
    filters: OrgWaiverFilters;
    limit: number;
    cursor?: string;
    now: Date;
  }): Promise<Page<ComplianceWaiverItem>> {
    const { filters, limit, now } = options;
    const base = () => {
      const q = this.db('waivers as w').join(
        'entities as e',
        'e.entity_ref',
        'w.entity_ref',
      );
      if (filters.permission) applyEntityFilter(q, filters.permission, 'e');
      if (filters.active) {
        q.whereNull('w.revoked_at').where('w.expires_at', '>', toDbTime(now));
      }
      if (filters.criterion) q.where('w.criterion', filters.criterion);
      return q;
    };
    const page = base()
      .select(
        'w.*',
        'e.kind',
        'e.namespace',
        'e.name',
        'e.title',
        'e.owner_ref',
        'e.system_ref',
      )
      .orderBy('w.id', 'desc')
      .limit(limit + 1);
    if (options.cursor) page.where('w.id', '<', decodeCursor(options.cursor));
    const [rows, [{ n }]] = await Promise.all([page, base().count({ n: '*' })]);
    const more = rows.length > limit;
    const items = rows.slice(0, limit).map(r => toItem(r, now));
    return {
      items,
      totalCount: fromDbNumber(n) ?? 0,
      nextCursor: more ? encodeCursor(items[items.length - 1].id) : undefined,
    };
  }
}
