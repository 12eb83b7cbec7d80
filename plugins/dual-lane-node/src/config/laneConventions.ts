import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  DEFAULT_LANE_CONVENTIONS,
  DEFAULT_NEGATIVE_TEST_CHECKS,
  DEFAULT_VERDICT_CONVENTION,
  LaneBranchPrefixes,
  LaneMarkers,
  NEGATIVE_TEST_ENVIRONMENTS,
  NegativeTestChecks,
  NegativeTestEnvironment,
  VerdictConvention,
} from '@dual-lane/plugin-dual-lane-common';

/** The PLAN verdict convention plus whether issue comments are read. */
export type VerdictSettings = VerdictConvention & {
  /** Whether issue comments are read for verdict markers. Default true. */
  comments: boolean;
};

/**
 * The lane conventions both the backend's GitHub sync and the repository
 * template follow: commit markers, branch prefixes, how PLAN verdicts are
 * recognised and which checks report negative tests.
 */
export interface LaneConventions {
  markers: LaneMarkers;
  branchPrefixes: LaneBranchPrefixes;
  verdicts: VerdictSettings;
  negativeTests: NegativeTestChecks;
}

function nonEmpty(config: Config, key: string, fallback: string): string {
  const value = config.getOptionalString(key);
  if (value === undefined) return fallback;
  if (!value.trim()) throw new InputError(`${key} must not be empty`);
  return value.trim();
}

/** `dualLane.markers.ready` / `.applied`; they must differ (case-insensitively). */
export function readLaneMarkers(config: Config): LaneMarkers {
  const markers = {
    ready: nonEmpty(
      config,
      'dualLane.markers.ready',
      DEFAULT_LANE_CONVENTIONS.markers.ready,
    ),
    applied: nonEmpty(
      config,
      'dualLane.markers.applied',
      DEFAULT_LANE_CONVENTIONS.markers.applied,
    ),
  };
  if (markers.ready.toLowerCase() === markers.applied.toLowerCase()) {
    throw new InputError(
      `dualLane.markers.ready and dualLane.markers.applied must differ, both are '${markers.ready}'`,
    );
  }
  return markers;
}

/** `dualLane.branchPrefixes.staging` / `.feature`; they must differ. */
export function readBranchPrefixes(config: Config): LaneBranchPrefixes {
  const prefixes = {
    staging: nonEmpty(
      config,
      'dualLane.branchPrefixes.staging',
      DEFAULT_LANE_CONVENTIONS.branchPrefixes.staging,
    ),
    feature: nonEmpty(
      config,
      'dualLane.branchPrefixes.feature',
      DEFAULT_LANE_CONVENTIONS.branchPrefixes.feature,
    ),
  };
  if (prefixes.staging === prefixes.feature) {
    throw new InputError(
      `dualLane.branchPrefixes.staging and .feature must differ, both are '${prefixes.staging}'`,
    );
  }
  return prefixes;
}

/** `dualLane.verdicts.*`: marker, supervisors, reviewStates, comments. */
export function readVerdictSettings(config: Config): VerdictSettings {
  return {
    marker: nonEmpty(
      config,
      'dualLane.verdicts.marker',
      DEFAULT_VERDICT_CONVENTION.marker,
    ),
    supervisors: (
      config.getOptionalStringArray('dualLane.verdicts.supervisors') ?? []
    )
      .map(s => s.trim())
      .filter(Boolean),
    reviewStates:
      config.getOptionalBoolean('dualLane.verdicts.reviewStates') ??
      DEFAULT_VERDICT_CONVENTION.reviewStates,
    comments: config.getOptionalBoolean('dualLane.verdicts.comments') ?? true,
  };
}

/**
 * `dualLane.negativeTests.*`: the report checks, the prefix of
 * one-check-per-test runs and which environments a GitHub report may
 * claim. An empty `checkNames` list means no report check is read.
 */
export function readNegativeTestChecks(config: Config): NegativeTestChecks {
  const key = 'dualLane.negativeTests';
  const names = config.getOptionalStringArray(`${key}.checkNames`);
  const checkNames = (names ?? DEFAULT_NEGATIVE_TEST_CHECKS.checkNames).map(
    (name, index) => {
      if (!name.trim()) {
        throw new InputError(`${key}.checkNames[${index}] must not be empty`);
      }
      return name.trim();
    },
  );
  const environments = config.getOptionalStringArray(
    `${key}.githubEnvironments`,
  );
  for (const [index, env] of (environments ?? []).entries()) {
    if (!(NEGATIVE_TEST_ENVIRONMENTS as string[]).includes(env)) {
      throw new InputError(
        `${key}.githubEnvironments[${index}] must be one of ${NEGATIVE_TEST_ENVIRONMENTS.join(
          ', ',
        )}, got '${env}'`,
      );
    }
  }
  return {
    checkNames,
    checkPrefix: nonEmpty(
      config,
      `${key}.checkPrefix`,
      DEFAULT_NEGATIVE_TEST_CHECKS.checkPrefix,
    ),
    githubEnvironments: (environments ??
      DEFAULT_NEGATIVE_TEST_CHECKS.githubEnvironments) as NegativeTestEnvironment[],
  };
}

/**
 * Reads the lane conventions with their defaults, refusing bad values with
 * the offending key in the message, so the backend and the scaffolder
 * module cannot disagree on them.
 */
export function readLaneConventions(config: Config): LaneConventions {
  return {
    markers: readLaneMarkers(config),
    branchPrefixes: readBranchPrefixes(config),
    verdicts: readVerdictSettings(config),
    negativeTests: readNegativeTestChecks(config),
  };
}
