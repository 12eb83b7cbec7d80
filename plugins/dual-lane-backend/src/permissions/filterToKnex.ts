import { Knex } from 'knex';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
} from '@backstage/plugin-permission-node';
import { EntityFilter } from './resource';

/**
 * Applies a conditional permission decision, already transformed to
 * filters, as a WHERE clause on the `entities` table (aliased or not).
 */
export function applyEntityFilter(
  query: Knex.QueryBuilder,
  criteria: PermissionCriteria<EntityFilter>,
  table = 'entities',
): Knex.QueryBuilder {
  if (isAndCriteria(criteria)) {
    return query.where(q => {
      for (const c of criteria.allOf) q.andWhere(sub => applyEntityFilter(sub, c, table));
    });
  }
  if (isOrCriteria(criteria)) {
    return query.where(q => {
      for (const c of criteria.anyOf) q.orWhere(sub => applyEntityFilter(sub, c, table));
    });
  }
  if (isNotCriteria(criteria)) {
    return query.whereNot(q => applyEntityFilter(q, criteria.not, table));
  }
  const column = `${table}.${criteria.column}`;
  if (criteria.values.length === 0) {
    return query.whereRaw('1 = 0');
  }
  // kind is stored as written (Component); the rest are lower-case refs.
  return criteria.column === 'kind'
    ? query.whereRaw(
        `lower(??) in (${criteria.values.map(() => '?').join(', ')})`,
        [column, ...criteria.values],
      )
    : query.whereIn(column, criteria.values);
}
