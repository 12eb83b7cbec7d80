import { ResponseErrorPanel } from '@backstage/core-components';
import { useEntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Cell,
  CellText,
  ColumnConfig,
  Flex,
  Table,
  Text,
  ToggleButton,
  ToggleButtonGroup,
  useTable,
} from '@backstage/ui';
import {
  ComplianceRollupItem,
  ComplianceRollupResponse,
} from '@dual-lane/plugin-dual-lane-common';
import { useMemo } from 'react';
import { complianceVerdictLook, plural, Section, StatusChip } from '../shared';

type RollupRow = ComplianceRollupItem & { id: string };
export type RollupBy = 'owner' | 'system';

function useColumns(by: RollupBy, onSelect: (ref: string) => void) {
  const entityLink = useEntityRefLink();
  return useMemo(
    (): ColumnConfig<RollupRow>[] => [
      {
        id: 'ref',
        label: by === 'owner' ? 'Owner' : 'System',
        isRowHeader: true,
        cell: row => (
          <CellText
            title={row.ref}
            description={row.parentRef ? `in ${row.parentRef}` : undefined}
            href={entityLink(row.ref)}
          />
        ),
      },
      {
        id: 'verdict',
        label: 'Verdict',
        cell: row => {
          const look = complianceVerdictLook(row.summary.verdict);
          return (
            <Cell>
              <StatusChip tone={look.tone} label={look.label} />
            </Cell>
          );
        },
      },
      {
        id: 'counts',
        label: 'No-go / no data / go',
        cell: row => (
          <CellText
            title={`${row.summary.counts['no-go']} / ${row.summary.counts['no-data']} / ${row.summary.counts.go}`}
            description={`${plural(
              row.summary.counts.total,
              'entity',
              'entities',
            )}${
              by === 'owner' ? `, ${row.directEntities} owned directly` : ''
            }`}
          />
        ),
      },
      {
        id: 'why',
        label: 'Why',
        cell: row => (
          <Cell>
            <Flex direction="column" gap="1">
              {row.summary.reasons.slice(0, 3).map(reason => (
                <Text key={reason} variant="body-x-small">
                  {reason}
                </Text>
              ))}
            </Flex>
          </Cell>
        ),
      },
      {
        id: 'filter',
        label: '',
        cell: row => (
          <Cell>
            <button
              type="button"
              onClick={() => onSelect(row.ref)}
              style={{
                background: 'none',
                border: 0,
                padding: 0,
                cursor: 'pointer',
                color: 'var(--bui-fg-link, inherit)',
                textDecoration: 'underline',
              }}
            >
              Show entities
            </button>
          </Cell>
        ),
      },
    ],
    [by, entityLink, onSelect],
  );
}

/** Go/no-go rolled up by owner group or by system, worst first. */
export function RollupsSection(props: {
  by: RollupBy;
  onByChange: (by: RollupBy) => void;
  rollups?: ComplianceRollupResponse;
  loading: boolean;
  error?: Error;
  onSelect: (by: RollupBy, ref: string) => void;
}) {
  const { by, onByChange, rollups, loading, error, onSelect } = props;
  const data = useMemo(
    () => rollups?.items.map(item => ({ ...item, id: item.ref })),
    [rollups],
  );
  const columns = useColumns(by, ref => onSelect(by, ref));
  const { tableProps } = useTable({
    mode: 'complete',
    data,
    paginationOptions: { pageSize: 10 },
  });
  return (
    <Section
      title="Rollups"
      subtitle={
        by === 'owner'
          ? 'Per owner group, counting the entities of its child groups too.'
          : 'Per system.'
      }
      actions={
        <ToggleButtonGroup
          aria-label="Roll up by"
          selectionMode="single"
          disallowEmptySelection
          selectedKeys={[by]}
          onSelectionChange={keys => {
            const [next] = [...keys];
            if (next) onByChange(next as RollupBy);
          }}
        >
          <ToggleButton id="owner">By owner</ToggleButton>
          <ToggleButton id="system">By system</ToggleButton>
        </ToggleButtonGroup>
      }
    >
      {error ? (
        <ResponseErrorPanel error={error} />
      ) : (
        <Table
          {...tableProps}
          isPending={loading && !data}
          columnConfig={columns}
          emptyState={
            <Text variant="body-small" color="secondary">
              {by === 'owner'
                ? 'No owner has dual-lane entities yet.'
                : 'No dual-lane entity belongs to a system yet.'}
            </Text>
          }
        />
      )}
    </Section>
  );
}
