/**
 * Where a pull request is in the dual-lane state machine. Each state maps to
 * exactly one label the pull request should carry.
 */
export type LaneState =
  | 'codex-ready'
  | 'claude-enforcing'
  | 'plan-review'
  | 'rework-requested'
  | 'plan-approved';

/** A label definition as it is created in a repository. */
export interface LaneLabelDefinition {
  name: string;
  /** Six hex digits without `#`, as GitHub's label API takes it. */
  color: string;
  description: string;
}

export const LANE_STATES: readonly LaneState[] = [
  'codex-ready',
  'claude-enforcing',
  'plan-review',
  'rework-requested',
  'plan-approved',
];

/** Default label per lane state; `dualLane.labels` overrides any of them. */
export const DEFAULT_LANE_LABELS: Readonly<
  Record<LaneState, LaneLabelDefinition>
> = {
  'codex-ready': {
    name: 'codex-ready',
    color: '1d76db',
    description: 'Builder lane marked the change [CODEX-READY] on staging/<slug>',
  },
  'claude-enforcing': {
    name: 'claude-enforcing',
    color: 'fbca04',
    description:
      'Enforcer lane applied the change [CLAUDE-APPLIED] on feature/<slug>; gates running',
  },
  'plan-review': {
    name: 'plan-review',
    color: '5319e7',
    description: 'All required gates pass; waiting for the PLAN verdict',
  },
  'rework-requested': {
    name: 'rework-requested',
    color: 'd93f0b',
    description: 'PLAN asked for another builder → enforcer round',
  },
  'plan-approved': {
    name: 'plan-approved',
    color: '0e8a16',
    description: 'PLAN approved the change; ready to merge',
  },
};
