import {
  ComplianceVerdict,
  CriterionStatus,
  GateState,
  PolicyVersionStatus,
  PullRequestState,
  VerdictValue,
} from '@dual-lane/plugin-dual-lane-common';
import { StatusTone } from './StatusChip';

/** A tone and the word shown for it. */
export interface StatusLook {
  tone: StatusTone;
  label: string;
}

const GATE: Record<GateState, StatusLook> = {
  passing: { tone: 'success', label: 'pass' },
  failing: { tone: 'danger', label: 'fail' },
  pending: { tone: 'info', label: 'pending' },
  missing: { tone: 'warning', label: 'missing' },
};

export function gateStateLook(state: GateState): StatusLook {
  return GATE[state];
}

const VERIFICATION: Record<PolicyVersionStatus, StatusLook> = {
  verified: { tone: 'success', label: 'verified' },
  failed: { tone: 'danger', label: 'failed' },
  unverified: { tone: 'warning', label: 'unverified' },
  tampered: { tone: 'danger', label: 'tampered' },
};

export function verificationLook(
  outcome: PolicyVersionStatus | undefined,
): StatusLook {
  return outcome
    ? VERIFICATION[outcome]
    : { tone: 'neutral', label: 'not checked' };
}

const CRITERION: Record<CriterionStatus, StatusLook> = {
  pass: { tone: 'success', label: 'go' },
  fail: { tone: 'danger', label: 'no-go' },
  'no-data': { tone: 'neutral', label: 'no data' },
  waived: { tone: 'info', label: 'waived' },
};

export function criterionLook(status: CriterionStatus): StatusLook {
  return CRITERION[status];
}

const VERDICT: Record<ComplianceVerdict, StatusLook> = {
  go: { tone: 'success', label: 'GO' },
  'no-go': { tone: 'danger', label: 'NO-GO' },
  'no-data': { tone: 'neutral', label: 'NO DATA' },
};

export function complianceVerdictLook(verdict: ComplianceVerdict): StatusLook {
  return VERDICT[verdict];
}

const PLAN_VERDICT: Record<VerdictValue, StatusLook> = {
  approved: { tone: 'success', label: 'approved' },
  'changes-requested': { tone: 'warning', label: 'changes requested' },
  rejected: { tone: 'danger', label: 'rejected' },
};

export function planVerdictLook(verdict: VerdictValue | undefined): StatusLook {
  return verdict
    ? PLAN_VERDICT[verdict]
    : { tone: 'neutral', label: 'no verdict' };
}

const PR_STATE: Record<PullRequestState, StatusLook> = {
  open: { tone: 'info', label: 'open' },
  merged: { tone: 'success', label: 'merged' },
  closed: { tone: 'neutral', label: 'closed' },
};

export function pullRequestStateLook(state: PullRequestState): StatusLook {
  return PR_STATE[state];
}

export function negativeTestLook(blocked: boolean | undefined): StatusLook {
  if (blocked === undefined) return { tone: 'neutral', label: 'not observed' };
  return blocked
    ? { tone: 'success', label: 'blocked' }
    : { tone: 'danger', label: 'NOT blocked' };
}
