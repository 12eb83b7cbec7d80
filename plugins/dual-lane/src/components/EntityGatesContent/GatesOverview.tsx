import { Alert, Flex, Text } from '@backstage/ui';
import { GatesResponse } from '@dual-lane/plugin-dual-lane-common';
import { Facts, formatTime, Section } from '../shared';

/** The required gates and where the repository's sync stands. */
export function GatesOverview(props: {
  response: GatesResponse;
  repository?: string;
}) {
  const { response, repository } = props;
  const { requiredChecks, sync } = response;
  return (
    <Section
      title="Required gates"
      subtitle={`Every pull request${
        repository ? ` of ${repository}` : ''
      } needs these status checks to pass on its head commit.`}
    >
      <Flex direction="column" gap="3">
        {requiredChecks.length === 0 ? (
          <Text variant="body-small" color="secondary">
            No required gates are configured: set dualLane.gates.requiredChecks.
          </Text>
        ) : (
          <Flex direction="column" gap="1">
            {requiredChecks.map(gate => (
              <Text key={gate.name} variant="body-small">
                • <strong>{gate.name}</strong>
                {gate.context !== gate.name && ` (check “${gate.context}”)`}
                {(gate.appSlug || gate.appId) &&
                  `, reported by ${gate.appSlug ?? `app ${gate.appId}`}`}
              </Text>
            ))}
          </Flex>
        )}
        <Facts
          items={[
            {
              label: 'Last synced from GitHub',
              value: sync?.lastSyncedAt
                ? formatTime(sync.lastSyncedAt)
                : 'never',
            },
            { label: 'Pull requests', value: String(response.totalCount) },
          ]}
        />
        {sync?.lastError && (
          <Alert
            status="danger"
            title="The last GitHub sync of this repository failed"
            description={sync.lastError}
          />
        )}
      </Flex>
    </Section>
  );
}
