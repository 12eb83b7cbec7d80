import { useEntityRefLink } from '@backstage/plugin-catalog-react';
import { Cell, CellText, ColumnConfig, Flex, Table, Text } from '@backstage/ui';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  ComplianceListItem,
  CriterionSummary,
  getGoNoGoCriterion,
} from '@dual-lane/plugin-dual-lane-common';
import { ReactNode, useMemo } from 'react';
import {
  complianceVerdictLook,
  criterionLook,
  formatTime,
  StatusChip,
} from '../shared';

export type EntityRow = ComplianceListItem & { id: string };

function shortRef(ref: string | undefined): string {
  if (!ref) return '—';
  try {
    const parsed = parseEntityRef(ref);
    return parsed.namespace === 'default'
      ? parsed.name
      : `${parsed.namespace}/${parsed.name}`;
  } catch {
    return ref;
  }
}

function CriteriaCell(props: { criteria: CriterionSummary[] }) {
  const flagged = props.criteria.filter(
    c => c.status === 'fail' || c.status === 'waived',
  );
  const noData = props.criteria.filter(c => c.status === 'no-data');
  if (flagged.length === 0 && noData.length === 0) {
    return (
      <Text variant="body-x-small" color="secondary">
        all pass
      </Text>
    );
  }
  return (
    <Flex gap="1" style={{ flexWrap: 'wrap' }}>
      {flagged.map(c => {
        const look = criterionLook(c.status);
        return (
          <StatusChip
            key={c.criterion}
            tone={look.tone}
            label={`${getGoNoGoCriterion(c.criterion).title}: ${look.label}`}
            description={`value ${c.value ?? '—'}, bar ${c.threshold}`}
          />
        );
      })}
      {noData.length > 0 && (
        <StatusChip
          tone="neutral"
          label={`${noData.length} without data`}
          description={noData
            .map(c => getGoNoGoCriterion(c.criterion).title)
            .join(', ')}
        />
      )}
    </Flex>
  );
}

function useColumns(): ColumnConfig<EntityRow>[] {
  const entityLink = useEntityRefLink();
  return useMemo(
    () => [
      {
        id: 'name',
        label: 'Entity',
        isRowHeader: true,
        isSortable: true,
        defaultWidth: '2fr',
        cell: item => (
          <CellText
            title={item.title ?? item.name}
            description={
              item.title ? item.name : item.kind.toLocaleLowerCase('en-US')
            }
            href={entityLink(item.entityRef)}
          />
        ),
      },
      {
        id: 'owner',
        label: 'Owner',
        isSortable: true,
        defaultWidth: '1fr',
        cell: item => (
          <CellText
            title={shortRef(item.ownerRef)}
            href={item.ownerRef ? entityLink(item.ownerRef) : undefined}
          />
        ),
      },
      {
        id: 'system',
        label: 'System',
        defaultWidth: '1fr',
        cell: item => (
          <CellText
            title={shortRef(item.systemRef)}
            href={item.systemRef ? entityLink(item.systemRef) : undefined}
          />
        ),
      },
      {
        id: 'verdict',
        label: 'Verdict',
        isSortable: true,
        defaultWidth: '1fr',
        cell: item => {
          const look = complianceVerdictLook(item.verdict);
          return (
            <Cell>
              <StatusChip tone={look.tone} label={look.label} />
            </Cell>
          );
        },
      },
      {
        id: 'failingCount',
        label: 'Failing',
        isSortable: true,
        defaultWidth: '1fr',
        cell: item => <CellText title={String(item.failingCount)} />,
      },
      {
        id: 'criteria',
        label: 'Criteria to look at',
        defaultWidth: '2.4fr',
        cell: item => (
          <Cell>
            <CriteriaCell criteria={item.criteria} />
          </Cell>
        ),
      },
      {
        id: 'evaluatedAt',
        label: 'Evaluated',
        isSortable: true,
        defaultWidth: '1.6fr',
        cell: item => <CellText title={formatTime(item.evaluatedAt)} />,
      },
    ],
    [entityLink],
  );
}

/** The organisation's entities, one page at a time (see useTable). */
export function EntitiesTable(props: {
  tableProps: Omit<
    React.ComponentProps<typeof Table<EntityRow>>,
    'columnConfig'
  >;
  emptyState: ReactNode;
}) {
  const columns = useColumns();
  return (
    <Table
      {...props.tableProps}
      columnConfig={columns}
      emptyState={props.emptyState}
    />
  );
}
