import { mockServices } from '@backstage/backend-test-utils';
import { DUAL_LANE_REPOSITORIES_CHANGED_TOPIC } from '@dual-lane/plugin-dual-lane-common';
import { subscribeToChanges } from './subscribeToChanges';

describe('subscribeToChanges', () => {
  it('marks announced repositories pending and drops malformed events', async () => {
    const subscribe = jest.fn();
    const markPending = jest.fn();
    const logger = mockServices.logger.mock();
    await subscribeToChanges({
      events: { subscribe } as any,
      store: { compliance: { markPending } } as any,
      logger,
    });
    const { topics, onEvent } = subscribe.mock.calls[0][0];
    expect(topics).toEqual([DUAL_LANE_REPOSITORIES_CHANGED_TOPIC]);
    await onEvent({ topic: topics[0], eventPayload: { repositoryIds: [3, 7] } });
    expect(markPending).toHaveBeenCalledWith([3, 7]);
    await onEvent({ topic: topics[0], eventPayload: { repositoryIds: ['3'] } });
    await onEvent({ topic: topics[0], eventPayload: {} });
    expect(markPending).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledTimes(2);
  });
});
