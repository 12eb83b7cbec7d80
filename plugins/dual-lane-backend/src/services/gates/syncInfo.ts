import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { GatesSyncInfo, Repository } from '@dual-lane/plugin-dual-lane-common';
import { Duration } from 'luxon';
import { SyncState } from '../../database';
import { GithubSyncConfig } from './gatesConfig';

const UNITS: Array<[number, string]> = [
  [86_400_000, 'day'],
  [3_600_000, 'hour'],
  [60_000, 'minute'],
  [1000, 'second'],
];

/** `10 minutes`, `1 hour`, `90 seconds`: the largest whole unit. */
export function describeMs(ms: number): string {
  for (const [size, unit] of UNITS) {
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      return `${n} ${unit}${n === 1 ? '' : 's'}`;
    }
  }
  return `${ms} ms`;
}

/** The cadence of a task schedule, for people and for arithmetic. */
export function describeSchedule(
  frequency: SchedulerServiceTaskScheduleDefinition['frequency'],
): NonNullable<GatesSyncInfo['schedule']> {
  if ('cron' in frequency) {
    return { cron: frequency.cron, description: `cron ${frequency.cron}` };
  }
  if ('trigger' in frequency) {
    return { description: 'on demand only' };
  }
  const everyMs = Duration.isDuration(frequency)
    ? frequency.toMillis()
    : durationToMilliseconds(frequency as HumanDuration);
  return { everyMs, description: `every ${describeMs(everyMs)}` };
}

/** The `sync` part of the gates view of one repository. */
export function syncInfoOf(
  repository: Pick<Repository, 'host'>,
  sync: Pick<GithubSyncConfig, 'enabled' | 'schedule'>,
  state: Pick<SyncState, 'lastSyncedAt' | 'lastError'> | undefined,
): GatesSyncInfo {
  const schedule = sync.enabled
    ? describeSchedule(sync.schedule.frequency)
    : undefined;
  const info: GatesSyncInfo = {
    host: repository.host,
    scheduled: sync.enabled,
  };
  if (schedule) info.schedule = schedule;
  if (state?.lastSyncedAt) {
    info.lastSyncedAt = state.lastSyncedAt;
    if (schedule?.everyMs) {
      info.nextSyncAt = new Date(
        Date.parse(state.lastSyncedAt) + schedule.everyMs,
      ).toISOString();
    }
  }
  if (state?.lastError) info.lastError = state.lastError;
  return info;
}
