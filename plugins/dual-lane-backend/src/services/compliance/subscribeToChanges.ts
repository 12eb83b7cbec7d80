import { LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import { DUAL_LANE_REPOSITORIES_CHANGED_TOPIC } from '@dual-lane/plugin-dual-lane-common';
import { DualLaneStore } from '../../database';

/**
 * Marks the repositories announced on `dual-lane.repositories-changed` for
 * the next incremental pass. It only enqueues (events are delivered while
 * the publisher waits); malformed payloads are logged and dropped.
 */
export async function subscribeToChanges(deps: {
  events: EventsService;
  store: DualLaneStore;
  logger: LoggerService;
}) {
  await deps.events.subscribe({
    id: 'dual-lane-compliance',
    topics: [DUAL_LANE_REPOSITORIES_CHANGED_TOPIC],
    onEvent: async params => {
      const ids = (params.eventPayload as { repositoryIds?: unknown })
        ?.repositoryIds;
      if (
        !Array.isArray(ids) ||
        !ids.every(id => Number.isInteger(id) && (id as number) > 0)
      ) {
        deps.logger.warn(
          `Ignoring ${DUAL_LANE_REPOSITORIES_CHANGED_TOPIC} event without a list of repository ids`,
        );
        return;
      }
      await deps.store.compliance.markPending(ids as number[]);
    },
  });
}
