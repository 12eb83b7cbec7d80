import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import {
  GateDefinition,
  LaneBranchPrefixes,
  LaneLabelDefinition,
  LaneMarkers,
  LaneState,
  NEGATIVE_TESTS,
  NegativeTestChecks,
} from '@dual-lane/plugin-dual-lane-common';
import {
  readLaneConventions,
  readLaneLabels,
  readRequiredChecks,
  VerdictSettings,
} from '@dual-lane/plugin-dual-lane-node';

/** The names of gates, labels and markers the gates area works with. */
export interface GatesConfig {
  requiredChecks: GateDefinition[];
  labels: Record<LaneState, LaneLabelDefinition>;
  markers: LaneMarkers;
  branchPrefixes: LaneBranchPrefixes;
  verdicts: VerdictSettings;
  negativeTests: NegativeTestChecks & {
    /** The test names that count. */
    names: readonly string[];
  };
}

/** How the GitHub source runs. */
export interface GithubSyncConfig {
  enabled: boolean;
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** How far back closed pull requests are read on a first sync. */
  closedLookbackMs: number;
  /** Repositories synced at the same time. */
  concurrency: number;
  /**
   * How long after its last update an open pull request with a missing gate
   * is re-checked on every run (a queued, running or failing gate always
   * is, within `maxRechecksPerRepository`).
   */
  settleWindowMs: number;
  /**
   * Open pull requests per repository whose head check runs are re-read
   * (conditionally) in one run because their gates are not all passing.
   */
  maxRechecksPerRepository: number;
  /** Whether branch protection and rulesets are read for conformance. */
  branchProtection: boolean;
  /** How often the default branch's negative-test checks are read. */
  defaultBranchNegativeTestsIntervalMs: number;
  webhooks: {
    enabled: boolean;
    /** Development only: subscribe although GitHub events are not signed. */
    allowUnsigned: boolean;
  };
}

const SYNC_KEY = 'dualLane.sync.github';

function duration(
  config: Config,
  key: string,
  fallback: HumanDuration,
): number {
  if (!config.has(key)) return durationToMilliseconds(fallback);
  try {
    return durationToMilliseconds(readDurationFromConfig(config, { key }));
  } catch (error) {
    throw new InputError(`${key} is not a valid duration: ${error}`);
  }
}

/**
 * The gate definitions (`dualLane.gates.requiredChecks`), labels and lane
 * conventions, read with `@dual-lane/plugin-dual-lane-node`'s readers so
 * the scaffolder's template renders the same names.
 */
export function readGatesConfig(config: Config): GatesConfig {
  const conventions = readLaneConventions(config);
  return {
    requiredChecks: readRequiredChecks(config),
    labels: readLaneLabels(config),
    markers: conventions.markers,
    branchPrefixes: conventions.branchPrefixes,
    verdicts: conventions.verdicts,
    negativeTests: { ...conventions.negativeTests, names: NEGATIVE_TESTS },
  };
}

export function readGithubSyncConfig(config: Config): GithubSyncConfig {
  const concurrency = config.getOptionalNumber(`${SYNC_KEY}.concurrency`) ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) {
    throw new InputError(
      `${SYNC_KEY}.concurrency must be an integer from 1 to 16, got ${concurrency}`,
    );
  }
  const maxRechecks =
    config.getOptionalNumber(`${SYNC_KEY}.maxRechecksPerRepository`) ?? 50;
  if (!Number.isInteger(maxRechecks) || maxRechecks < 0 || maxRechecks > 1000) {
    throw new InputError(
      `${SYNC_KEY}.maxRechecksPerRepository must be an integer from 0 to 1000, got ${maxRechecks}`,
    );
  }
  return {
    enabled: config.getOptionalBoolean(`${SYNC_KEY}.enabled`) ?? true,
    schedule: config.has(`${SYNC_KEY}.schedule`)
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          config.getConfig(`${SYNC_KEY}.schedule`),
        )
      : {
          frequency: { minutes: 10 },
          timeout: { hours: 2 },
          initialDelay: { minutes: 1 },
        },
    closedLookbackMs: duration(config, `${SYNC_KEY}.closedLookback`, {
      days: 30,
    }),
    concurrency,
    settleWindowMs: duration(config, `${SYNC_KEY}.settleWindow`, { hours: 6 }),
    maxRechecksPerRepository: maxRechecks,
    branchProtection:
      config.getOptionalBoolean(`${SYNC_KEY}.branchProtection`) ?? true,
    defaultBranchNegativeTestsIntervalMs: duration(
      config,
      `${SYNC_KEY}.defaultBranchNegativeTestsInterval`,
      { hours: 6 },
    ),
    webhooks: {
      enabled:
        config.getOptionalBoolean(`${SYNC_KEY}.webhooks.enabled`) ?? true,
      allowUnsigned:
        config.getOptionalBoolean(`${SYNC_KEY}.webhooks.allowUnsigned`) ??
        false,
    },
  };
}
