import { mockServices } from '@backstage/backend-test-utils';
import { ComplianceNotifier, isFlip, VerdictFlip } from './ComplianceNotifier';

const flip = (name: string, overrides: Partial<VerdictFlip> = {}): VerdictFlip => ({
  entityRef: `component:default/${name}`,
  kind: 'Component',
  namespace: 'default',
  name,
  ownerRef: 'group:default/team-a',
  from: 'go',
  to: 'no-go',
  reasons: ['Label accuracy fails: 98% against ≥100% (1 culprits).'],
  ...overrides,
});

describe('ComplianceNotifier', () => {
  it('only go ↔ no-go is a flip', () => {
    expect(isFlip('go', 'no-go')).toBe(true);
    expect(isFlip('no-go', 'go')).toBe(true);
    expect(isFlip(undefined, 'no-go')).toBe(false);
    expect(isFlip('no-data', 'no-go')).toBe(false);
    expect(isFlip('go', 'no-data')).toBe(false);
  });

  it('notifies owners up to the per-run limit and survives a failed send', async () => {
    const send = jest
      .fn()
      .mockRejectedValueOnce(new Error('notifications backend down'))
      .mockResolvedValue(undefined);
    const logger = mockServices.logger.mock();
    const notifier = new ComplianceNotifier({
      notifications: { send },
      logger,
      enabled: true,
      maxPerRun: 2,
    });
    const sent = await notifier.notify([
      flip('a'),
      flip('b', { title: 'Service B', from: 'no-go', to: 'go' }),
      flip('c'),
      flip('d', { ownerRef: undefined }),
    ]);
    expect(sent).toBe(1);
    expect(send).toHaveBeenCalledTimes(2);
    expect(send.mock.calls[1][0]).toEqual({
      recipients: { type: 'entity', entityRef: 'group:default/team-a' },
      payload: {
        title: 'Service B is GO again for dual-lane scaling',
        description: 'All go/no-go criteria pass again (was no-go).',
        link: '/catalog/default/component/b',
        severity: 'normal',
        topic: 'dual-lane-go-no-go',
        scope: 'dual-lane:go-no-go:component:default/b',
      },
    });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('3 go/no-go flips in one run; notifying the first 2'),
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('notifications backend down'),
    );
  });

  it('sends nothing when disabled', async () => {
    const send = jest.fn();
    const notifier = new ComplianceNotifier({
      notifications: { send },
      logger: mockServices.logger.mock(),
      enabled: false,
      maxPerRun: 10,
    });
    expect(await notifier.notify([flip('a')])).toBe(0);
    expect(send).not.toHaveBeenCalled();
  });
});
