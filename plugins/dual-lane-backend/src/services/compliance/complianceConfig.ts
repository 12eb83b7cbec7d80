import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  ANNOTATION_OVERRIDE_POLICIES,
  AnnotationOverridePolicy,
  DEFAULT_ANNOTATION_OVERRIDE_POLICY,
  GO_NO_GO_CRITERION_IDS,
  GoNoGoThresholds,
  isGoNoGoCriterionId,
  LANE_STATES,
  parseThreshold,
} from '@dual-lane/plugin-dual-lane-common';
import {
  readLaneLabels,
  readRequiredChecks,
} from '@dual-lane/plugin-dual-lane-node';
import { RequiredGateFilter } from '../../database/ComplianceQueries';

export interface ComplianceConfig {
  /** `dualLane.goNoGo.windowDays` (default 30). */
  windowDays: number;
  /** `dualLane.goNoGo.thresholds`: only the configured ones. */
  thresholds: Partial<GoNoGoThresholds>;
  /** `dualLane.goNoGo.annotationOverrides` (default `stricter`). */
  annotationOverrides: AnnotationOverridePolicy;
  /** `dualLane.compliance.historyDays` (default 365). */
  historyDays: number;
  /** `dualLane.compliance.waivers.maxDays` (default 90). */
  waiverMaxDays: number;
  /** `dualLane.compliance.culpritLimit` (default 25). */
  culpritLimit: number;
  /** `dualLane.compliance.lookbackMinutes` (default 60). */
  lookbackMinutes: number;
  notifications: { enabled: boolean; maxPerRun: number };
  schedules: {
    incremental: SchedulerServiceTaskScheduleDefinition;
    full: SchedulerServiceTaskScheduleDefinition;
    groups: SchedulerServiceTaskScheduleDefinition;
  };
  drift: {
    enabled: boolean;
    schedule: SchedulerServiceTaskScheduleDefinition;
    agentsPath: string;
    claudePath: string;
    concurrency: number;
  };
  /** The required gates, as gate runs are matched to them. */
  requiredGates: RequiredGateFilter[];
  /** Names of the lane-state labels. */
  laneLabels: string[];
}

function schedule(
  config: Config,
  key: string,
  fallback: SchedulerServiceTaskScheduleDefinition,
): SchedulerServiceTaskScheduleDefinition {
  return config.has(key)
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig(key),
      )
    : fallback;
}

function integer(
  config: Config,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InputError(
      `${key} must be a whole number from ${min} to ${max}, got ${value}`,
    );
  }
  return value;
}

function readThresholds(config: Config): Partial<GoNoGoThresholds> {
  const key = 'dualLane.goNoGo.thresholds';
  const root = config.getOptionalConfig(key);
  const out: Partial<GoNoGoThresholds> = {};
  for (const id of root?.keys() ?? []) {
    if (!isGoNoGoCriterionId(id)) {
      throw new InputError(
        `${key}.${id} is not a go/no-go criterion; expected one of ${GO_NO_GO_CRITERION_IDS.join(
          ', ',
        )}`,
      );
    }
    const parsed = parseThreshold(id, root!.get(id));
    if ('error' in parsed) {
      throw new InputError(`${key}.${parsed.error}`);
    }
    out[id] = parsed.value;
  }
  return out;
}

/**
 * Reads `dualLane.goNoGo`, `dualLane.compliance` and `dualLane.sync.drift`.
 * A bad value fails the plugin's start with the key in the message.
 */
export function readComplianceConfig(config: Config): ComplianceConfig {
  const policy =
    config.getOptionalString('dualLane.goNoGo.annotationOverrides') ??
    DEFAULT_ANNOTATION_OVERRIDE_POLICY;
  if (!(ANNOTATION_OVERRIDE_POLICIES as string[]).includes(policy)) {
    throw new InputError(
      `dualLane.goNoGo.annotationOverrides must be one of ${ANNOTATION_OVERRIDE_POLICIES.join(
        ', ',
      )}, got '${policy}'`,
    );
  }
  const labels = readLaneLabels(config);
  return {
    windowDays: integer(config, 'dualLane.goNoGo.windowDays', 30, 1, 366),
    thresholds: readThresholds(config),
    annotationOverrides: policy as AnnotationOverridePolicy,
    historyDays: integer(
      config,
      'dualLane.compliance.historyDays',
      365,
      1,
      3660,
    ),
    waiverMaxDays: integer(
      config,
      'dualLane.compliance.waivers.maxDays',
      90,
      1,
      366,
    ),
    culpritLimit: integer(
      config,
      'dualLane.compliance.culpritLimit',
      25,
      1,
      500,
    ),
    lookbackMinutes: integer(
      config,
      'dualLane.compliance.lookbackMinutes',
      60,
      0,
      10080,
    ),
    notifications: {
      enabled:
        config.getOptionalBoolean(
          'dualLane.compliance.notifications.enabled',
        ) ?? true,
      maxPerRun: integer(
        config,
        'dualLane.compliance.notifications.maxPerRun',
        100,
        0,
        100000,
      ),
    },
    schedules: {
      incremental: schedule(config, 'dualLane.compliance.schedule', {
        frequency: { minutes: 5 },
        timeout: { minutes: 4 },
        initialDelay: { minutes: 1 },
      }),
      full: schedule(config, 'dualLane.compliance.fullSchedule', {
        frequency: { hours: 24 },
        timeout: { hours: 1 },
        initialDelay: { seconds: 30 },
      }),
      groups: schedule(config, 'dualLane.compliance.groups.schedule', {
        frequency: { minutes: 30 },
        timeout: { minutes: 5 },
        initialDelay: { seconds: 20 },
      }),
    },
    drift: {
      enabled: config.getOptionalBoolean('dualLane.sync.drift.enabled') ?? true,
      schedule: schedule(config, 'dualLane.sync.drift.schedule', {
        frequency: { hours: 1 },
        timeout: { minutes: 30 },
        initialDelay: { minutes: 2 },
      }),
      agentsPath:
        config.getOptionalString('dualLane.sync.drift.agentsPath') ??
        'AGENTS.md',
      claudePath:
        config.getOptionalString('dualLane.sync.drift.claudePath') ??
        'CLAUDE.md',
      concurrency: integer(config, 'dualLane.sync.drift.concurrency', 4, 1, 32),
    },
    requiredGates: readRequiredChecks(config).map(c => ({
      name: c.name,
      appId: c.appId,
      appSlug: c.appSlug,
    })),
    laneLabels: LANE_STATES.map(s => labels[s].name),
  };
}
