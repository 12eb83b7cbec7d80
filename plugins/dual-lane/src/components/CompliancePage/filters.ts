import {
  ComplianceSortField,
  ComplianceVerdict,
  CriterionStatus,
  GoNoGoCriterionId,
} from '@dual-lane/plugin-dual-lane-common';
import { ComplianceListQuery } from '../../api';

/** The filters of the organisation page; absent means "any". */
export interface ComplianceFilters {
  owner?: string;
  system?: string;
  verdict?: ComplianceVerdict;
  criterion?: GoNoGoCriterionId;
  criterionStatus?: CriterionStatus;
}

/** The table's sortable columns are the API's sort fields. */
export const SORTABLE_COLUMNS: readonly ComplianceSortField[] = [
  'name',
  'owner',
  'verdict',
  'failingCount',
  'evaluatedAt',
];

/** The list query for a page of the table. */
export function listQuery(options: {
  filters: ComplianceFilters | undefined;
  search: string;
  cursor?: string;
  pageSize: number;
  sort: {
    column: string | number;
    direction: 'ascending' | 'descending';
  } | null;
}): ComplianceListQuery {
  const { filters = {}, search, cursor, pageSize, sort } = options;
  const sortField = SORTABLE_COLUMNS.find(f => f === sort?.column);
  return {
    limit: pageSize,
    cursor,
    ...(sortField
      ? {
          sort: sortField,
          order: sort?.direction === 'descending' ? 'desc' : 'asc',
        }
      : {}),
    owner: filters.owner,
    system: filters.system,
    verdict: filters.verdict ? [filters.verdict] : undefined,
    criterion: filters.criterion,
    criterionStatus: filters.criterion ? filters.criterionStatus : undefined,
    q: search.trim() || undefined,
  };
}

export function hasFilters(
  filters: ComplianceFilters | undefined,
  search: string,
) {
  return (
    Boolean(search.trim()) ||
    Object.values(filters ?? {}).some(value => value !== undefined)
  );
}
