import { useState } from 'react';
import {
  Button,
  Cell,
  CellText,
  ColumnConfig,
  Flex,
  Table,
  Text,
  ToggleButton,
  ToggleButtonGroup,
} from '@backstage/ui';
import {
  ComplianceCriteriaResponse,
  ComplianceVerdict,
  CriterionStatus,
  CriterionTally,
  formatThreshold,
  GoNoGoCriterionId,
  ScopeSummary,
  VerdictCounts,
} from '@dual-lane/plugin-dual-lane-common';
import { complianceVerdictLook, Section, StatusChip } from '../shared';

/** Reasons shown before "show all". */
export const REASONS_SHOWN = 4;

/** The organisation's verdict with its reasons, worst first. */
export function VerdictWithReasons(props: {
  summary: ScopeSummary;
  label: string;
}) {
  const { summary, label } = props;
  const look = complianceVerdictLook(summary.verdict);
  const [all, setAll] = useState(false);
  const reasons = all
    ? summary.reasons
    : summary.reasons.slice(0, REASONS_SHOWN);
  const hidden = summary.reasons.length - reasons.length;
  return (
    <Flex direction="column" gap="2" role="group" aria-label={label}>
      <Flex gap="3" align="center">
        <StatusChip size="large" tone={look.tone} label={look.label} />
        <Text variant="body-medium" weight="bold">
          {label}
        </Text>
      </Flex>
      {reasons.map(reason => (
        <Text key={reason} variant="body-small">
          • {reason}
        </Text>
      ))}
      {hidden > 0 && (
        <span>
          <Button size="small" variant="tertiary" onPress={() => setAll(true)}>
            Show {hidden} more {hidden === 1 ? 'reason' : 'reasons'}
          </Button>
        </span>
      )}
    </Flex>
  );
}

const VERDICT_TILES: Array<{ id: ComplianceVerdict | 'all'; label: string }> = [
  { id: 'all', label: 'All' },
  { id: 'no-go', label: 'No-go' },
  { id: 'no-data', label: 'No data' },
  { id: 'go', label: 'Go' },
];

/** Entities per verdict; choosing one filters the table. */
export function VerdictTotals(props: {
  totals: VerdictCounts;
  selected?: ComplianceVerdict;
  onSelect: (verdict: ComplianceVerdict | undefined) => void;
}) {
  const { totals, selected, onSelect } = props;
  const count = (id: ComplianceVerdict | 'all') =>
    id === 'all' ? totals.total : totals[id];
  return (
    <ToggleButtonGroup
      aria-label="Verdict"
      selectionMode="single"
      disallowEmptySelection
      selectedKeys={[selected ?? 'all']}
      onSelectionChange={keys => {
        const [next] = [...keys];
        if (next)
          onSelect(next === 'all' ? undefined : (next as ComplianceVerdict));
      }}
    >
      {VERDICT_TILES.map(tile => (
        <ToggleButton key={tile.id} id={tile.id}>
          {tile.label}: {count(tile.id)}
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );
}

interface TallyRow extends CriterionTally {
  id: string;
  bar?: string;
}

/**
 * Each criterion across the organisation: how many entities fail it, have
 * no data for it, or are waived from it. Choosing a count filters the table.
 */
export function CriteriaTallies(props: {
  summary: ScopeSummary;
  criteria?: ComplianceCriteriaResponse;
  onSelect: (criterion: GoNoGoCriterionId, status: CriterionStatus) => void;
}) {
  const { summary, criteria, onSelect } = props;
  const rows: TallyRow[] = summary.criteria.map(t => {
    const c = criteria?.criteria.find(x => x.id === t.criterion);
    return {
      ...t,
      id: t.criterion,
      bar: c ? formatThreshold(c, c.threshold) : undefined,
    };
  });
  const countCell = (
    row: TallyRow,
    status: CriterionStatus,
    n: number,
    tone: 'danger' | 'neutral' | 'info',
  ) => (
    <Cell>
      {n === 0 ? (
        <Text variant="body-small" color="secondary">
          0
        </Text>
      ) : (
        <button
          type="button"
          onClick={() => onSelect(row.criterion, status)}
          aria-label={`Show the ${n} entities with ${row.title} ${status}`}
          style={{
            background: 'none',
            border: 0,
            padding: 0,
            cursor: 'pointer',
          }}
        >
          <StatusChip tone={tone} label={String(n)} />
        </button>
      )}
    </Cell>
  );
  const columns: ColumnConfig<TallyRow>[] = [
    {
      id: 'criterion',
      label: 'Criterion',
      isRowHeader: true,
      defaultWidth: '2fr',
      cell: row => (
        <CellText title={row.title} description={row.bar && `bar ${row.bar}`} />
      ),
    },
    {
      id: 'failing',
      label: 'No-go',
      cell: row => countCell(row, 'fail', row.failing, 'danger'),
    },
    {
      id: 'noData',
      label: 'No data',
      cell: row => countCell(row, 'no-data', row.noData, 'neutral'),
    },
    {
      id: 'waived',
      label: 'Waived',
      cell: row => countCell(row, 'waived', row.waived, 'info'),
    },
  ];
  return (
    <Section
      title="Criteria across the organisation"
      subtitle={
        criteria
          ? `Evaluated over the last ${criteria.windowDays} days. Choose a count to list those entities.`
          : 'Choose a count to list those entities.'
      }
    >
      <Table columnConfig={columns} data={rows} pagination={{ type: 'none' }} />
    </Section>
  );
}
