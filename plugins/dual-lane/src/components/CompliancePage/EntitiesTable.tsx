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

/** The criteria that are not plain passes: what to look at. */
function notPassing(criteria: CriterionSummary[]): CriterionSummary[] {
  return criteria.filter(c => c.status !== 'pass');
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
        cell: item => (
          <CellText
            title={item.title ?? item.name}
            description={`${item.kind.toLocaleLowerCase('en-US')}:${
              item.namespace
            }/${item.name}`}
            href={entityLink(item.entityRef)}
          />
        ),
      },
      {
        id: 'owner',
        label: 'Owner',
        isSortable: true,
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
        cell: item => <CellText title={String(item.failingCount)} />,
      },
      {
        id: 'criteria',
        label: 'Criteria not passing',
        cell: item => {
          const rest = notPassing(item.criteria);
          let content: ReactNode;
          if (rest.length === 0) {
            content = (
              <Text variant="body-x-small" color="secondary">
                all pass
              </Text>
            );
          } else {
            content = (
              <Flex gap="1" style={{ flexWrap: 'wrap' }}>
                {rest.map(c => {
                  const look = criterionLook(c.status);
                  const title = getGoNoGoCriterion(c.criterion).title;
                  return (
                    <StatusChip
                      key={c.criterion}
                      tone={look.tone}
                      label={`${title}: ${look.label}`}
                      description={
                        c.value === null
                          ? 'no data'
                          : `value ${c.value}, bar ${c.threshold}`
                      }
                    />
                  );
                })}
              </Flex>
            );
          }
          return <Cell>{content}</Cell>;
        },
      },
      {
        id: 'evaluatedAt',
        label: 'Evaluated',
        isSortable: true,
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
