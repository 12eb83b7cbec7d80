import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import {
  DEFAULT_LANE_CONVENTIONS,
  DEFAULT_VERDICT_CONVENTION,
  GateDefinition,
  LaneBranchPrefixes,
  LaneLabelDefinition,
  LaneMarkers,
  LaneState,
  NEGATIVE_TESTS,
  VerdictConvention,
} from '@dual-lane/plugin-dual-lane-common';
import {
  readLaneLabels,
  readRequiredChecks,
} from '@dual-lane/plugin-dual-lane-node';

/** The names of gates, labels and markers the gates area works with. */
export interface GatesConfig {
  requiredChecks: GateDefinition[];
  labels: Record<LaneState, LaneLabelDefinition>;
  markers: LaneMarkers;
  branchPrefixes: LaneBranchPrefixes;
  verdicts: VerdictConvention & {
    /** Whether issue comments are read for verdict markers. */
    comments: boolean;
  };
  negativeTests: {
    /** Report checks whose output lists the results. */
    checkNames: string[];
    /** Prefix of one-check-per-test runs, `negative-test/<name>`. */
    checkPrefix: string;
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
   * is re-checked on every run (a queued or running gate always is).
   */
  settleWindowMs: number;
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

function nonEmpty(key: string, value: string | undefined, fallback: string) {
  if (value === undefined) return fallback;
  if (!value.trim()) throw new InputError(`${key} must not be empty`);
  return value.trim();
}

export function readGatesConfig(config: Config): GatesConfig {
  const markers = {
    ready: nonEmpty(
      'dualLane.markers.ready',
      config.getOptionalString('dualLane.markers.ready'),
      DEFAULT_LANE_CONVENTIONS.markers.ready,
    ),
    applied: nonEmpty(
      'dualLane.markers.applied',
      config.getOptionalString('dualLane.markers.applied'),
      DEFAULT_LANE_CONVENTIONS.markers.applied,
    ),
  };
  if (markers.ready.toLowerCase() === markers.applied.toLowerCase()) {
    throw new InputError(
      `dualLane.markers.ready and dualLane.markers.applied must differ, both are '${markers.ready}'`,
    );
  }
  const branchPrefixes = {
    staging: nonEmpty(
      'dualLane.branchPrefixes.staging',
      config.getOptionalString('dualLane.branchPrefixes.staging'),
      DEFAULT_LANE_CONVENTIONS.branchPrefixes.staging,
    ),
    feature: nonEmpty(
      'dualLane.branchPrefixes.feature',
      config.getOptionalString('dualLane.branchPrefixes.feature'),
      DEFAULT_LANE_CONVENTIONS.branchPrefixes.feature,
    ),
  };
  if (branchPrefixes.staging === branchPrefixes.feature) {
    throw new InputError(
      `dualLane.branchPrefixes.staging and .feature must differ, both are '${branchPrefixes.staging}'`,
    );
  }
  const supervisors =
    config.getOptionalStringArray('dualLane.verdicts.supervisors') ?? [];
  return {
    requiredChecks: readRequiredChecks(config),
    labels: readLaneLabels(config),
    markers,
    branchPrefixes,
    verdicts: {
      marker: nonEmpty(
        'dualLane.verdicts.marker',
        config.getOptionalString('dualLane.verdicts.marker'),
        DEFAULT_VERDICT_CONVENTION.marker,
      ),
      supervisors: supervisors.map(s => s.trim()).filter(Boolean),
      reviewStates:
        config.getOptionalBoolean('dualLane.verdicts.reviewStates') ??
        DEFAULT_VERDICT_CONVENTION.reviewStates,
      comments: config.getOptionalBoolean('dualLane.verdicts.comments') ?? true,
    },
    negativeTests: {
      checkNames: config.getOptionalStringArray(
        'dualLane.negativeTests.checkNames',
      ) ?? ['Report Negative Tests'],
      checkPrefix: nonEmpty(
        'dualLane.negativeTests.checkPrefix',
        config.getOptionalString('dualLane.negativeTests.checkPrefix'),
        'negative-test/',
      ),
      names: NEGATIVE_TESTS,
    },
  };
}

export function readGithubSyncConfig(config: Config): GithubSyncConfig {
  const concurrency = config.getOptionalNumber(`${SYNC_KEY}.concurrency`) ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) {
    throw new InputError(
      `${SYNC_KEY}.concurrency must be an integer from 1 to 16, got ${concurrency}`,
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
