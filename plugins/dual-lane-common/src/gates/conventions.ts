import {
  DEFAULT_BRANCH_PREFIXES,
  DEFAULT_LANE_MARKERS,
  DEFAULT_REQUIRED_CHECKS,
} from '../constants';

/** The markers the lanes put in commit messages, e.g. `[CODEX-READY:<slug>]`. */
export interface LaneMarkers {
  /** Builder (Codex) marker. Default `CODEX-READY`. */
  ready: string;
  /** Enforcer (Claude/EXEC) marker. Default `CLAUDE-APPLIED`. */
  applied: string;
}

/** Branch prefixes of the lanes. */
export interface LaneBranchPrefixes {
  /** Builder lane. Default `staging/`. */
  staging: string;
  /** Enforcer lane, the pull request's head. Default `feature/`. */
  feature: string;
}

/**
 * What a gate is for, so code that needs one particular gate (the policy
 * gate's digest, the template workflow that reports it) finds it by role
 * rather than by name or position.
 */
export type GateRole =
  | 'leo-gate'
  | 'story-release'
  | 'slsa'
  | 'policy'
  | 'drift';

export const GATE_ROLES: readonly GateRole[] = [
  'leo-gate',
  'story-release',
  'slsa',
  'policy',
  'drift',
];

/** The role of each of the seed's four gates, by its name. */
export const DEFAULT_GATE_ROLES: Readonly<Record<string, GateRole>> = {
  [DEFAULT_REQUIRED_CHECKS[0]]: 'leo-gate',
  [DEFAULT_REQUIRED_CHECKS[1]]: 'story-release',
  [DEFAULT_REQUIRED_CHECKS[2]]: 'slsa',
  [DEFAULT_REQUIRED_CHECKS[3]]: 'policy',
};

/** The gate that has a role, if one does. */
export function gateWithRole<T extends Pick<GateDefinition, 'role'>>(
  gates: readonly T[],
  role: GateRole,
): T | undefined {
  return gates.find(g => g.role === role);
}

/** One required gate: a status check the base branch expects. */
export interface GateDefinition {
  /** `<workflow> / <job>`, as people name the gate. */
  name: string;
  /** The check-run name GitHub reports; `*` matches any characters. */
  context: string;
  /** The GitHub App that must report the check; others do not count. */
  appId?: number;
  /** Slug of that app; used for matching only when `appId` is absent. */
  appSlug?: string;
  /** What the gate is for; at most one gate has each role. */
  role?: GateRole;
}

/** How the supervisor's (PLAN) verdict is recognised; see `verdicts.ts`. */
export interface VerdictConvention {
  /** The marker word: `[<marker>:approved]`. Default `PLAN-VERDICT`. */
  marker: string;
  /**
   * GitHub logins whose reviews and comments count as PLAN verdicts,
   * compared case-insensitively. Empty: every author but the pull
   * request's own counts (set it: otherwise any reviewer is PLAN).
   */
  supervisors: string[];
  /**
   * Whether an APPROVED / CHANGES_REQUESTED review without a marker counts
   * as an `approved` / `changes-requested` verdict. Default true.
   */
  reviewStates: boolean;
}

export const DEFAULT_LANE_CONVENTIONS: {
  markers: LaneMarkers;
  branchPrefixes: LaneBranchPrefixes;
} = {
  markers: { ...DEFAULT_LANE_MARKERS },
  branchPrefixes: { ...DEFAULT_BRANCH_PREFIXES },
};

export const DEFAULT_VERDICT_CONVENTION: VerdictConvention = {
  marker: 'PLAN-VERDICT',
  supervisors: [],
  reviewStates: true,
};

/** Escapes a string for use inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
