import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { Container, Flex, Grid, Text, useTable } from '@backstage/ui';
import {
  ComplianceListResponse,
  ComplianceVerdict,
} from '@dual-lane/plugin-dual-lane-common';
import { useCallback, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { dualLaneApiRef } from '../../api';
import { EmptyPanel, Section } from '../shared';
import { EntitiesTable, EntityRow } from './EntitiesTable';
import { FilterBar } from './FilterBar';
import { ComplianceFilters, hasFilters, listQuery } from './filters';
import {
  CriteriaTallies,
  VerdictTotals,
  VerdictWithReasons,
} from './OrganisationSummary';
import { RollupBy, RollupsSection } from './RollupsSection';
import { WaiversSection } from './WaiversSection';

/** Entities per page of the table, and the choices offered. */
export const COMPLIANCE_PAGE_SIZES = [20, 50, 100];

/** The most rollup rows the backend returns in one answer. */
const ROLLUP_LIMIT = 1000;

function NoEntities() {
  return (
    <EmptyPanel title="No dual-lane entities yet">
      <Text variant="body-small">
        An entity takes part when its catalog-info.yaml carries the annotation{' '}
        <code>github.com/project-slug: &lt;owner&gt;/&lt;repo&gt;</code>. Its
        go/no-go is evaluated once the backend has mirrored it from the catalog
        and synced its repository (every few minutes).
      </Text>
    </EmptyPanel>
  );
}

function NoMatches() {
  return (
    <EmptyPanel title="No entity matches these filters">
      <Text variant="body-small">
        Clear a filter or the search to see more.
      </Text>
    </EmptyPanel>
  );
}

/**
 * The organisation's dual-lane compliance: its go/no-go with the reasons,
 * the verdict totals, each criterion across entities (waivers included),
 * a sortable, filterable table of entities, rollups by owner and
 * system, and the waivers in force.
 */
export function CompliancePageContent() {
  const api = useApi(dualLaneApiRef);
  const [filters, setFilters] = useState<ComplianceFilters>({});
  const [search, setSearch] = useState('');
  const [latest, setLatest] = useState<ComplianceListResponse>();
  const [rollupBy, setRollupBy] = useState<RollupBy>('owner');

  const owners = useAsync(
    () => api.getComplianceRollups({ by: 'owner', limit: ROLLUP_LIMIT }),
    [api],
  );
  const systems = useAsync(
    () => api.getComplianceRollups({ by: 'system', limit: ROLLUP_LIMIT }),
    [api],
  );
  const criteria = useAsync(() => api.getComplianceCriteria(), [api]);

  const getData = useCallback(
    async (params: {
      cursor: string | undefined;
      pageSize: number;
      sort: {
        column: string | number;
        direction: 'ascending' | 'descending';
      } | null;
      filter: ComplianceFilters | undefined;
      search: string;
    }) => {
      const response = await api.listCompliance(
        listQuery({
          filters: params.filter,
          search: params.search,
          cursor: params.cursor,
          pageSize: params.pageSize,
          sort: params.sort,
        }),
      );
      setLatest(response);
      return {
        data: response.items.map(
          (item): EntityRow => ({ ...item, id: item.entityRef }),
        ),
        nextCursor: response.nextCursor,
        totalCount: response.totalCount,
      };
    },
    [api],
  );

  const { tableProps } = useTable<EntityRow, ComplianceFilters>({
    mode: 'cursor',
    getData,
    filter: filters,
    onFilterChange: setFilters,
    search,
    onSearchChange: setSearch,
    paginationOptions: {
      pageSize: COMPLIANCE_PAGE_SIZES[0],
      pageSizeOptions: COMPLIANCE_PAGE_SIZES,
    },
  });

  const organisation = owners.value?.organisation;
  const filtered = hasFilters(filters, search);
  const scoped = Boolean(filters.owner || filters.system);
  const setVerdict = (verdict: ComplianceVerdict | undefined) =>
    setFilters({ ...filters, verdict });

  return (
    <Container>
      <Flex direction="column" gap="4" py="4">
        <Grid.Root columns={{ initial: '1', lg: '2' }} gap="4">
          <Section
            title="Go/no-go for scaling"
            subtitle="The retrospective’s pass bar: every entity must meet all seven criteria."
          >
            <Flex direction="column" gap="4">
              {owners.loading && <Progress />}
              {owners.error && <ResponseErrorPanel error={owners.error} />}
              {organisation && (
                <VerdictWithReasons
                  summary={organisation}
                  label="Organisation"
                />
              )}
              {scoped && latest && (
                <VerdictWithReasons
                  summary={latest.summary}
                  label={[filters.owner, filters.system]
                    .filter(Boolean)
                    .join(' · ')}
                />
              )}
              {latest && (
                <VerdictTotals
                  totals={latest.totals}
                  selected={filters.verdict}
                  onSelect={setVerdict}
                />
              )}
            </Flex>
          </Section>

          {latest && latest.summary.counts.total > 0 && (
            <CriteriaTallies
              summary={latest.summary}
              criteria={criteria.value}
              onSelect={(criterion, criterionStatus) =>
                setFilters({ ...filters, criterion, criterionStatus })
              }
            />
          )}
        </Grid.Root>

        <Section
          title="Entities"
          subtitle={
            latest
              ? `${latest.totalCount} matching; choose a column title to sort.`
              : undefined
          }
        >
          <Flex direction="column" gap="3">
            <FilterBar
              filters={filters}
              onChange={setFilters}
              search={search}
              onSearchChange={setSearch}
              owners={owners.value?.items.map(i => i.ref) ?? []}
              systems={systems.value?.items.map(i => i.ref) ?? []}
            />
            {tableProps.error ? (
              <ResponseErrorPanel error={tableProps.error} />
            ) : (
              <EntitiesTable
                tableProps={tableProps}
                emptyState={filtered ? <NoMatches /> : <NoEntities />}
              />
            )}
          </Flex>
        </Section>

        <RollupsSection
          by={rollupBy}
          onByChange={setRollupBy}
          rollups={rollupBy === 'owner' ? owners.value : systems.value}
          loading={rollupBy === 'owner' ? owners.loading : systems.loading}
          error={rollupBy === 'owner' ? owners.error : systems.error}
          onSelect={(by, ref) => setFilters({ ...filters, [by]: ref })}
        />

        <WaiversSection />
      </Flex>
    </Container>
  );
}
