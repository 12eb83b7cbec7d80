import { Cell, CellText, ColumnConfig, Table } from '@backstage/ui';
import { KpiIndicator } from '@dual-lane/plugin-dual-lane-common';
import { StatusChip } from '../shared';

const LOOK = {
  pass: { tone: 'success', label: 'pass' },
  fail: { tone: 'danger', label: 'fail' },
  'no-data': { tone: 'neutral', label: 'no data' },
} as const;

const columns: ColumnConfig<KpiIndicator>[] = [
  {
    id: 'title',
    label: 'Metric',
    isRowHeader: true,
    cell: k => <CellText title={k.title} />,
  },
  {
    id: 'current',
    label: 'Current',
    cell: k => <CellText title={k.current} />,
  },
  { id: 'target', label: 'Target', cell: k => <CellText title={k.target} /> },
  {
    id: 'status',
    label: 'Status',
    cell: k => (
      <Cell>
        <StatusChip tone={LOOK[k.status].tone} label={LOOK[k.status].label} />
      </Cell>
    ),
  },
];

/** The seed's "Data & KPIs" table for one entity. */
export function KpiTable(props: { indicators: KpiIndicator[] }) {
  return (
    <Table
      columnConfig={columns}
      data={props.indicators.map(k => ({ ...k }))}
      pagination={{ type: 'none' }}
    />
  );
}
