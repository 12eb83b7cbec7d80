import { Duration } from 'luxon';
import { describeMs, describeSchedule, syncInfoOf } from './syncInfo';

describe('the sync info of the gates view', () => {
  it('describes durations, crons and manual schedules', () => {
    expect(describeSchedule({ minutes: 10 })).toEqual({
      everyMs: 600_000,
      description: 'every 10 minutes',
    });
    expect(describeSchedule({ hours: 1 })).toEqual({
      everyMs: 3_600_000,
      description: 'every 1 hour',
    });
    expect(describeSchedule(Duration.fromISO('PT90S'))).toEqual({
      everyMs: 90_000,
      description: 'every 90 seconds',
    });
    expect(describeSchedule({ cron: '0 3 * * 1' })).toEqual({
      cron: '0 3 * * 1',
      description: 'cron 0 3 * * 1',
    });
    expect(describeSchedule({ trigger: 'manual' })).toEqual({
      description: 'on demand only',
    });
    expect(describeMs(1500)).toBe('1500 ms');
  });

  it('gives the host, the cadence and when the repository is due again', () => {
    const schedule = { frequency: { minutes: 10 }, timeout: { hours: 2 } };
    expect(
      syncInfoOf(
        { host: 'ghe.acme.dev' },
        { enabled: true, schedule },
        {
          lastSyncedAt: '2025-01-19T10:00:00.000Z',
          lastError: 'GitHub answered 404 for acme/widget',
        },
      ),
    ).toEqual({
      host: 'ghe.acme.dev',
      scheduled: true,
      schedule: { everyMs: 600_000, description: 'every 10 minutes' },
      lastSyncedAt: '2025-01-19T10:00:00.000Z',
      nextSyncAt: '2025-01-19T10:10:00.000Z',
      lastError: 'GitHub answered 404 for acme/widget',
    });
    // Never synced, or not scheduled: no estimate.
    expect(
      syncInfoOf(
        { host: 'github.com' },
        { enabled: true, schedule },
        undefined,
      ),
    ).toEqual({
      host: 'github.com',
      scheduled: true,
      schedule: { everyMs: 600_000, description: 'every 10 minutes' },
    });
    expect(
      syncInfoOf(
        { host: 'github.com' },
        { enabled: false, schedule },
        { lastSyncedAt: '2025-01-19T10:00:00.000Z' },
      ),
    ).toEqual({
      host: 'github.com',
      scheduled: false,
      lastSyncedAt: '2025-01-19T10:00:00.000Z',
    });
  });
});
