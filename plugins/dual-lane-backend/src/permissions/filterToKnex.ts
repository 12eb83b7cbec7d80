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
 *
 * It answers exactly as the rules' `apply` does for one entity, which is
 * what SQL's three-valued logic gets wrong without care:
 * - a rule never matches a NULL column (`IS NOT NULL AND ... IN`), so
 *   `not` of it allows the entity, as `apply` does, instead of dropping it;
 * - an empty `allOf` allows everything and an empty `anyOf` nothing (as
 *   `every` / `some` of an empty list), also under `not`.
 */
export function applyEntityFilter(
  query: Knex.QueryBuilder,
  criteria: PermissionCriteria<EntityFilter>,
  table = 'entities',
): Knex.QueryBuilder {
  if (isAndCriteria(criteria)) {
    if (criteria.allOf.length === 0) return query.whereRaw('1 = 1');
    return query.where(q => {
      for (const c of criteria.allOf) q.andWhere(sub => applyEntityFilter(sub, c, table));
    });
  }
  if (isOrCriteria(criteria)) {
    if (criteria.anyOf.length === 0) return query.whereRaw('1 = 0');
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
  return query.where(q => {
    q.whereNotNull(column);
    // kind is stored as written (Component); the rest are lower-case refs.
    if (criteria.column === 'kind') {
      q.whereRaw(`lower(??) in (${criteria.values.map(() => '?').join(', ')})`, [
        column,
        ...criteria.values,
      ]);
    } else {
      q.whereIn(column, criteria.values);
    }
  });
}
