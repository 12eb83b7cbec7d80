import { Button, Flex, SearchField, Select } from '@backstage/ui';
import {
  CriterionStatus,
  GO_NO_GO_CRITERIA,
  GoNoGoCriterionId,
} from '@dual-lane/plugin-dual-lane-common';
import { ComplianceFilters } from './filters';

const ANY = 'any';

const STATUS_OPTIONS: Array<{ id: CriterionStatus; label: string }> = [
  { id: 'fail', label: 'no-go' },
  { id: 'no-data', label: 'no data' },
  { id: 'waived', label: 'waived' },
  { id: 'pass', label: 'go' },
];

function optionsFor(refs: string[], anyLabel: string) {
  return [
    { id: ANY, label: anyLabel },
    ...refs.map(ref => ({ id: ref, label: ref })),
  ];
}

/** Search and the owner, system and criterion filters of the table. */
export function FilterBar(props: {
  filters: ComplianceFilters;
  onChange: (filters: ComplianceFilters) => void;
  search: string;
  onSearchChange: (search: string) => void;
  owners: string[];
  systems: string[];
}) {
  const { filters, onChange, search, onSearchChange, owners, systems } = props;
  const set = (patch: Partial<ComplianceFilters>) =>
    onChange({ ...filters, ...patch });
  const pick = (key: unknown) =>
    key === null || key === undefined || key === ANY ? undefined : String(key);
  const anything =
    Boolean(search) || Object.values(filters).some(v => v !== undefined);
  return (
    <Flex gap="3" align="end" style={{ flexWrap: 'wrap' }}>
      <SearchField
        label="Search"
        aria-label="Search entities"
        placeholder="Name or title"
        value={search}
        onChange={onSearchChange}
      />
      <Select
        label="Owner"
        value={filters.owner ?? ANY}
        onChange={key => set({ owner: pick(key) })}
        options={optionsFor(owners, 'Any owner')}
      />
      <Select
        label="System"
        value={filters.system ?? ANY}
        onChange={key => set({ system: pick(key) })}
        options={optionsFor(systems, 'Any system')}
      />
      <Select
        label="Criterion"
        value={filters.criterion ?? ANY}
        onChange={key => {
          const criterion = pick(key) as GoNoGoCriterionId | undefined;
          set({
            criterion,
            criterionStatus: criterion
              ? filters.criterionStatus ?? 'fail'
              : undefined,
          });
        }}
        options={[
          { id: ANY, label: 'Any criterion' },
          ...GO_NO_GO_CRITERIA.map(c => ({ id: c.id, label: c.title })),
        ]}
      />
      {filters.criterion && (
        <Select
          label="Criterion status"
          value={filters.criterionStatus ?? 'fail'}
          onChange={key =>
            set({ criterionStatus: (pick(key) as CriterionStatus) ?? 'fail' })
          }
          options={STATUS_OPTIONS}
        />
      )}
      {anything && (
        <Button
          variant="tertiary"
          onPress={() => {
            onSearchChange('');
            onChange({});
          }}
        >
          Clear filters
        </Button>
      )}
    </Flex>
  );
}
