import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  DEFAULT_LANE_LABELS,
  LANE_STATES,
  LaneLabelDefinition,
  LaneState,
} from '@dual-lane/plugin-dual-lane-common';

const COLOR = /^[0-9a-fA-F]{6}$/;

/**
 * Reads `dualLane.labels`, merging each state's overrides over the defaults.
 * Unknown states, bad colours and two states sharing a label name are
 * refused with the offending key in the message.
 */
export function readLaneLabels(
  config: Config,
): Record<LaneState, LaneLabelDefinition> {
  const root = config.getOptionalConfig('dualLane.labels');
  const labels = { ...DEFAULT_LANE_LABELS };
  if (!root) {
    return labels;
  }
  for (const state of root.keys()) {
    if (!(LANE_STATES as string[]).includes(state)) {
      throw new InputError(
        `dualLane.labels.${state} is not a lane state; expected one of ${LANE_STATES.join(', ')}`,
      );
    }
    const entry = root.getConfig(state);
    const color = entry.getOptionalString('color');
    if (color !== undefined && !COLOR.test(color)) {
      throw new InputError(
        `dualLane.labels.${state}.color must be six hex digits without '#', got '${color}'`,
      );
    }
    const base = DEFAULT_LANE_LABELS[state as LaneState];
    labels[state as LaneState] = {
      name: entry.getOptionalString('name') ?? base.name,
      color: (color ?? base.color).toLowerCase(),
      description: entry.getOptionalString('description') ?? base.description,
    };
  }
  const byName = new Map<string, string>();
  for (const state of LANE_STATES) {
    const other = byName.get(labels[state].name);
    if (other) {
      throw new InputError(
        `dualLane.labels: states '${other}' and '${state}' both use the label '${labels[state].name}'`,
      );
    }
    byName.set(labels[state].name, state);
  }
  return labels;
}
