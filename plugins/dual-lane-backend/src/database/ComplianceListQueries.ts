import { InputError } from '@backstage/errors';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  ComplianceListItem,
  ComplianceSortField,
  ComplianceVerdict,
  CriterionStatus,
  CriterionTally,
  criterionBit,
  emptyCriterionTallies,
  emptyVerdictCounts,
  GO_NO_GO_CRITERION_IDS,
  GoNoGoCriterionId,
  VerdictCounts,
} from '@dual-lane/plugin-dual-lane-common';
import { Knex } from 'knex';
import { applyEntityFilter, EntityFilter } from '../permissions';
import {
  fromDbJson,
  fromDbNumber,
  fromDbString,
  fromDbTimeRequired,
  toDbTime,
} from './conversions';
import { isIsoTimestamp, isSortInteger, parseCursorJson } from './pagination';

/** Filters of the org-wide list; each narrows the set. */
export interface ComplianceFilters {
  /** The caller's conditional permission, as SQL filters on `entities`. */
  permission?: PermissionCriteria<EntityFilter>;
  /** Entities owned by this ref, or by any group below it. */
  ownerRef?: string;
  systemRef?: string;
  verdicts?: ComplianceVerdict[];
  criterion?: GoNoGoCriterionId;
  /** Status of `criterion` (default `fail`). */
  criterionStatus?: CriterionStatus;
  /** Substring of the entity ref or title, case-insensitive. */
  search?: string;
}

export type SortOrder = 'asc' | 'desc';

/** The default order of each sort field: worst / newest first. */
export const DEFAULT_SORT_ORDER: Record<ComplianceSortField, SortOrder> = {
  verdict: 'desc',
  failingCount: 'desc',
  name: 'asc',
  owner: 'asc',
  evaluatedAt: 'desc',
};

const SORT_COLUMNS: Record<ComplianceSortField, string> = {
  verdict: 'r.severity',
  failingCount: 'r.failing_count',
  name: 'e.name',
  owner: "coalesce(e.owner_ref, '')",
  evaluatedAt: 'r.evaluated_at',
};

interface ListCursor {
  sort: ComplianceSortField;
  order: SortOrder;
  value: string | number;
  entityRef: string;
}

function encodeListCursor(c: ListCursor): string {
  return Buffer.from(JSON.stringify([c.sort, c.order, c.value, c.entityRef])).toString(
    'base64url',
  );
}

/** Whether a cursor's sort value has the type its sort column compares with. */
function validSortValue(sort: ComplianceSortField, value: unknown): boolean {
  if (sort === 'verdict' || sort === 'failingCount') return isSortInteger(value);
  if (sort === 'evaluatedAt') return isIsoTimestamp(value);
  return typeof value === 'string' && value.length <= 1024;
}

function decodeListCursor(
  text: string,
  sort: ComplianceSortField,
  order: SortOrder,
): ListCursor {
  const parsed = parseCursorJson(text);
  if (!parsed || parsed.length !== 4 || typeof parsed[3] !== 'string') {
    throw new InputError(`Invalid cursor '${text}'`);
  }
  if (parsed[0] !== sort || parsed[1] !== order) {
    throw new InputError(
      `The cursor belongs to sort=${parsed[0]}&order=${parsed[1]}, not sort=${sort}&order=${order}; start again without a cursor`,
    );
  }
  // A tampered value would fail in the database (a 500) instead of here.
  if (!validSortValue(sort, parsed[2])) {
    throw new InputError(`Invalid cursor '${text}'`);
  }
  return { sort, order, value: parsed[2] as string | number, entityRef: parsed[3] };
}

/** The sort value of a row as a cursor carries it: numbers, ISO times, strings. */
function cursorValue(sort: ComplianceSortField, value: unknown): string | number {
  if (sort === 'verdict' || sort === 'failingCount') return Number(value);
  if (sort === 'evaluatedAt') return fromDbTimeRequired(value);
  return String(value ?? '');
}

const STATUS_MASK: Record<Exclude<CriterionStatus, 'pass'>, string> = {
  fail: 'r.failing_mask',
  'no-data': 'r.no_data_mask',
  waived: 'r.waived_mask',
};

function toListItem(row: any): ComplianceListItem {
  return {
    entityRef: row.entity_ref,
    kind: row.kind,
    namespace: row.namespace,
    name: row.name,
    title: fromDbString(row.title),
    ownerRef: fromDbString(row.owner_ref),
    systemRef: fromDbString(row.system_ref),
    verdict: row.verdict,
    failingCount: fromDbNumber(row.failing_count) ?? 0,
    criteria: fromDbJson(row.criteria_summary) ?? [],
    evaluatedAt: fromDbTimeRequired(row.evaluated_at),
  };
}

/** Sums per criterion and status in one scan: `f<i>`, `n<i>`, `w<i>`. */
function tallyColumns(): string {
  return GO_NO_GO_CRITERION_IDS.map((id, i) => {
    const bit = criterionBit(id);
    return [
      `sum(CASE WHEN (r.failing_mask & ${bit}) <> 0 THEN 1 ELSE 0 END) AS f${i}`,
      `sum(CASE WHEN (r.no_data_mask & ${bit}) <> 0 THEN 1 ELSE 0 END) AS n${i}`,
      `sum(CASE WHEN (r.waived_mask & ${bit}) <> 0 THEN 1 ELSE 0 END) AS w${i}`,
    ].join(', ');
  }).join(', ');
}

function addTallies(
  counts: VerdictCounts,
  tallies: CriterionTally[],
  row: any,
) {
  const n = fromDbNumber(row.n_entities) ?? 0;
  counts[row.verdict as ComplianceVerdict] += n;
  counts.total += n;
  tallies.forEach((t, i) => {
    t.failing += fromDbNumber(row[`f${i}`]) ?? 0;
    t.noData += fromDbNumber(row[`n${i}`]) ?? 0;
    t.waived += fromDbNumber(row[`w${i}`]) ?? 0;
  });
}

export interface ScopeTotals {
  counts: VerdictCounts;
  tallies: CriterionTally[];
}

/**
 * Reads of the org-wide compliance list and rollups. Only precomputed rows
 * are read (`compliance_results` joined with `entities` and the group
 * closure), filtered in SQL by the caller's permission decision, so the
 * cost depends on the number of entities, never on the number of gate
 * runs or artifacts.
 */
export class ComplianceListQueries {
  constructor(private readonly db: Knex) {}

  private base(filters: ComplianceFilters, withVerdict: boolean) {
    const q = this.db('compliance_results as r').join(
      'entities as e',
      'e.entity_ref',
      'r.entity_ref',
    );
    if (filters.permission) applyEntityFilter(q, filters.permission, 'e');
    if (filters.ownerRef) {
      const owner = filters.ownerRef.toLowerCase();
      q.where(w =>
        w
          .where('e.owner_ref', owner)
          .orWhereIn(
            'e.owner_ref',
            this.db('compliance_group_closure')
              .select('descendant_ref')
              .where('ancestor_ref', owner),
          ),
      );
    }
    if (filters.systemRef) q.where('e.system_ref', filters.systemRef.toLowerCase());
    if (filters.search) {
      const like = `%${filters.search.toLowerCase().replace(/[\\%_]/g, c => `\\${c}`)}%`;
      q.where(w =>
        w
          .whereRaw("e.entity_ref LIKE ? ESCAPE '\\'", [like])
          .orWhereRaw("lower(coalesce(e.title, '')) LIKE ? ESCAPE '\\'", [like]),
      );
    }
    if (filters.criterion) {
      const bit = criterionBit(filters.criterion);
      const status = filters.criterionStatus ?? 'fail';
      if (status === 'pass') {
        q.whereRaw(`((r.failing_mask | r.no_data_mask | r.waived_mask) & ${bit}) = 0`);
      } else {
        q.whereRaw(`(${STATUS_MASK[status]} & ${bit}) <> 0`);
      }
    }
    if (withVerdict && filters.verdicts?.length) {
      q.whereIn('r.verdict', filters.verdicts);
    }
    return q;
  }

  /** One page of entities, keyset-paginated on (sort value, entity ref). */
  async list(options: {
    filters: ComplianceFilters;
    sort: ComplianceSortField;
    order: SortOrder;
    limit: number;
    cursor?: string;
    /** Known already (e.g. from `totals`): the count query is skipped. */
    totalCount?: number;
  }): Promise<{ items: ComplianceListItem[]; totalCount: number; nextCursor?: string }> {
    const { filters, sort, order, limit } = options;
    const column = SORT_COLUMNS[sort];
    const page = this.base(filters, true).select(
      'e.entity_ref',
      'e.kind',
      'e.namespace',
      'e.name',
      'e.title',
      'e.owner_ref',
      'e.system_ref',
      'r.verdict',
      'r.failing_count',
      'r.criteria_summary',
      'r.evaluated_at',
      this.db.raw(`${column} AS sort_value`),
    );
    if (options.cursor) {
      const c = decodeListCursor(options.cursor, sort, order);
      const value = sort === 'evaluatedAt' ? toDbTime(String(c.value)) : c.value;
      const op = order === 'asc' ? '>' : '<';
      page.where(w =>
        w
          .whereRaw(`${column} ${op} ?`, [value])
          .orWhere(w2 =>
            w2.whereRaw(`${column} = ?`, [value]).andWhere('e.entity_ref', '>', c.entityRef),
          ),
      );
    }
    page
      .orderByRaw(`${column} ${order}, e.entity_ref asc`)
      .limit(limit + 1);
    const [rows, totalCount] = await Promise.all([
      page,
      options.totalCount ??
        this.base(filters, true)
          .count({ n: '*' })
          .then(([{ n }]) => fromDbNumber(n) ?? 0),
    ]);
    const more = rows.length > limit;
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const sortValue = last ? cursorValue(sort, last.sort_value) : undefined;
    return {
      items: items.map(toListItem),
      totalCount,
      nextCursor:
        more && last
          ? encodeListCursor({ sort, order, value: sortValue!, entityRef: last.entity_ref })
          : undefined,
    };
  }

  /**
   * Entities per verdict and per criterion status, for every filter but
   * `verdict`, in one scan.
   */
  async totals(filters: ComplianceFilters): Promise<ScopeTotals> {
    const rows = await this.base(filters, false)
      .select('r.verdict', this.db.raw(`count(*) AS n_entities, ${tallyColumns()}`))
      .groupBy('r.verdict');
    const counts = emptyVerdictCounts();
    const tallies = emptyCriterionTallies();
    for (const row of rows) addTallies(counts, tallies, row);
    return { counts, tallies };
  }

  /**
   * Totals per owner, through nested groups: an entity counts for its
   * owner and for every group above it. Owners that are not mirrored
   * groups (users, unknown groups) count for themselves.
   */
  async rollupByOwner(filters: ComplianceFilters) {
    const throughGroups = this.base(filters, false)
      .join('compliance_group_closure as c', 'c.descendant_ref', 'e.owner_ref')
      .select(
        'c.ancestor_ref as ref',
        'r.verdict',
        this.db.raw(`count(*) AS n_entities, ${tallyColumns()}`),
      )
      .groupBy('c.ancestor_ref', 'r.verdict');
    const direct = this.base(filters, false)
      .whereNotNull('e.owner_ref')
      .whereNotExists(
        this.db('compliance_groups as g').whereRaw('g.group_ref = e.owner_ref'),
      )
      .select(
        'e.owner_ref as ref',
        'r.verdict',
        this.db.raw(`count(*) AS n_entities, ${tallyColumns()}`),
      )
      .groupBy('e.owner_ref', 'r.verdict');
    const owned = this.base(filters, false)
      .whereNotNull('e.owner_ref')
      .select('e.owner_ref as ref', this.db.raw('count(*) AS n'))
      .groupBy('e.owner_ref');
    const [groupRows, directRows, ownedRows, parents] = await Promise.all([
      throughGroups,
      direct,
      owned,
      this.db('compliance_groups').select('group_ref', 'parent_ref'),
    ]);
    return this.assemble(
      [...groupRows, ...directRows],
      new Map(ownedRows.map((r: any) => [r.ref, fromDbNumber(r.n) ?? 0])),
      new Map(parents.map((p: any) => [p.group_ref, fromDbString(p.parent_ref)])),
    );
  }

  async rollupBySystem(filters: ComplianceFilters) {
    const rows = await this.base(filters, false)
      .whereNotNull('e.system_ref')
      .select(
        'e.system_ref as ref',
        'r.verdict',
        this.db.raw(`count(*) AS n_entities, ${tallyColumns()}`),
      )
      .groupBy('e.system_ref', 'r.verdict');
    const direct = new Map<string, number>();
    for (const row of rows) {
      direct.set(row.ref, (direct.get(row.ref) ?? 0) + (fromDbNumber(row.n_entities) ?? 0));
    }
    return this.assemble(rows, direct, new Map());
  }

  private assemble(
    rows: any[],
    direct: Map<string, number>,
    parents: Map<string, string | undefined>,
  ) {
    const byRef = new Map<string, ScopeTotals & { parentRef?: string; directEntities: number }>();
    for (const row of rows) {
      let entry = byRef.get(row.ref);
      if (!entry) {
        entry = {
          counts: emptyVerdictCounts(),
          tallies: emptyCriterionTallies(),
          parentRef: parents.get(row.ref),
          directEntities: direct.get(row.ref) ?? 0,
        };
        byRef.set(row.ref, entry);
      }
      addTallies(entry.counts, entry.tallies, row);
    }
    return byRef;
  }
}
