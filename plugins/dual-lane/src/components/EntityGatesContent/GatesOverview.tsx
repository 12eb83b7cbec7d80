import { Alert, Flex, Text } from '@backstage/ui';
import {
  GatesResponse,
  GatesSyncInfo,
} from '@dual-lane/plugin-dual-lane-common';
import { Facts, formatTime, Section } from '../shared';

/** How often the repository is synced, as the backend describes it. */
export function syncCadence(sync: GatesSyncInfo | undefined): string {
  if (!sync) return 'unknown';
  if (!sync.scheduled) {
    return 'not scheduled (dualLane.sync.github.enabled is false): webhooks and ingest only';
  }
  return sync.schedule?.description ?? 'scheduled';
}

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
              value: `${
                sync?.lastSyncedAt ? formatTime(sync.lastSyncedAt) : 'never'
              }${sync?.host ? ` (${sync.host})` : ''}`,
            },
            { label: 'Sync schedule', value: syncCadence(sync) },
            ...(sync?.nextSyncAt
              ? [{ label: 'Next sync due', value: formatTime(sync.nextSyncAt) }]
              : []),
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
