import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  DEFAULT_LANE_CONVENTIONS,
  DEFAULT_VERDICT_CONVENTION,
  LaneBranchPrefixes,
  LaneMarkers,
  VerdictConvention,
} from '@dual-lane/plugin-dual-lane-common';

/**
 * The lane conventions the backend's GitHub sync reads (markers, branch
 * prefixes, the PLAN verdict convention, the negative-test report check),
 * read from the same keys with the same defaults and checks, so the
 * repository's label script and workflows follow what the backend counts.
 */
export interface LaneConventions {
  markers: LaneMarkers;
  branchPrefixes: LaneBranchPrefixes;
  verdicts: VerdictConvention & { comments: boolean };
  /** Name of the report check (job) the backend reads negative tests from. */
  negativeTestCheckName: string;
}

function nonEmpty(config: Config, key: string, fallback: string): string {
  const value = config.getOptionalString(key);
  if (value === undefined) return fallback;
  if (!value.trim()) throw new InputError(`${key} must not be empty`);
  return value.trim();
}

export function readLaneConventions(config: Config): LaneConventions {
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
  const branchPrefixes = {
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
  if (branchPrefixes.staging === branchPrefixes.feature) {
    throw new InputError(
      `dualLane.branchPrefixes.staging and .feature must differ, both are '${branchPrefixes.staging}'`,
    );
  }
  const checkNames = config.getOptionalStringArray(
    'dualLane.negativeTests.checkNames',
  ) ?? ['Report Negative Tests'];
  if (!checkNames.length || !checkNames[0].trim()) {
    throw new InputError(
      'dualLane.negativeTests.checkNames must name at least one check; the template names its report job after the first',
    );
  }
  return {
    markers,
    branchPrefixes,
    verdicts: {
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
    },
    negativeTestCheckName: checkNames[0].trim(),
  };
}
