import {
  Cell,
  CellText,
  ColumnConfig,
  Flex,
  Link,
  Table,
  Text,
} from '@backstage/ui';
import {
  NEGATIVE_TESTS,
  NegativeTestEnvironment,
  NegativeTestResult,
} from '@dual-lane/plugin-dual-lane-common';
import {
  formatTime,
  negativeTestLook,
  Section,
  shortSha,
  StatusChip,
} from '../shared';

const ENVIRONMENTS: NegativeTestEnvironment[] = ['ci', 'staging', 'production'];
const ENVIRONMENT_TITLES: Record<NegativeTestEnvironment, string> = {
  ci: 'CI',
  staging: 'Staging',
  production: 'Production',
};

const TEST_TITLES: Record<string, string> = {
  'unsigned-image': 'Unsigned image',
  'non-digest-image': 'Image without digest',
  'provenance-replay': 'Replayed provenance',
  'policy-tampering': 'Tampered policy',
};

function Observation(props: { result?: NegativeTestResult }) {
  const { result } = props;
  const look = negativeTestLook(result?.blocked);
  return (
    <Flex direction="column" gap="1">
      <span>
        <StatusChip tone={look.tone} label={look.label} />
      </span>
      {result && (
        <Text variant="body-x-small" color="secondary">
          {formatTime(result.observedAt)} at {shortSha(result.commitSha)}
          {result.evidenceUrl && (
            <>
              {' · '}
              <Link
                href={result.evidenceUrl}
                target="_blank"
                variant="body-x-small"
              >
                evidence
              </Link>
            </>
          )}
        </Text>
      )}
    </Flex>
  );
}

interface Row {
  id: string;
  name: string;
  byEnvironment: Record<
    NegativeTestEnvironment,
    NegativeTestResult | undefined
  >;
}

const columns: ColumnConfig<Row>[] = [
  {
    id: 'test',
    label: 'Test',
    isRowHeader: true,
    cell: row => (
      <CellText
        title={TEST_TITLES[row.name] ?? row.name}
        description={row.name}
      />
    ),
  },
  ...ENVIRONMENTS.map(
    (env): ColumnConfig<Row> => ({
      id: env,
      label: ENVIRONMENT_TITLES[env],
      cell: row => (
        <Cell>
          <Observation result={row.byEnvironment[env]} />
        </Cell>
      ),
    }),
  ),
];

/**
 * The seed's negative tests (unsigned image, image without digest,
 * replayed provenance, tampered policy) and whether a gate blocked each,
 * per environment: the latest observation of each.
 */
export function NegativeTestsSection(props: { tests: NegativeTestResult[] }) {
  const { tests } = props;
  const names = [
    ...NEGATIVE_TESTS,
    ...new Set(
      tests
        .map(t => t.testName)
        .filter(n => !(NEGATIVE_TESTS as readonly string[]).includes(n)),
    ),
  ];
  const find = (name: string, env: NegativeTestEnvironment) =>
    tests.find(t => t.testName === name && t.environment === env);
  const rows: Row[] = names.map(name => ({
    id: name,
    name,
    byEnvironment: Object.fromEntries(
      ENVIRONMENTS.map(env => [env, find(name, env)]),
    ) as Row['byEnvironment'],
  }));
  const blockedInProduction = tests.filter(
    t => t.environment === 'production' && t.blocked,
  ).length;
  return (
    <Section
      title="Negative tests"
      subtitle={
        tests.length === 0
          ? 'No negative test reported yet: the template’s negative-tests workflow reports them as the “Report Negative Tests” check, or as negative-test/<name> checks.'
          : `${blockedInProduction} blocked in production; the go/no-go bar needs at least one.`
      }
    >
      <Table columnConfig={columns} data={rows} pagination={{ type: 'none' }} />
    </Section>
  );
}
