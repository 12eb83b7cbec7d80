import { ProtectionRules } from '../config/readScaffolderConfig';

/*
 * Classic branch protection as one comparable value: what GitHub reports
 * (`GET .../branches/{branch}/protection`), what the action wants, and what
 * it writes (`PUT`). Adopting a repository the task did not create merges
 * the wanted rules into the current ones and never removes or weakens any.
 */

/** A required status check; no `appId` means any app may report it. */
export interface RequiredCheckState {
  context: string;
  appId?: number;
}

/** Users (logins), teams (slugs) and apps (slugs), each sorted. */
export interface PrincipalSet {
  users: string[];
  teams: string[];
  apps: string[];
}

export interface ReviewState {
  count: number;
  dismissStale: boolean;
  codeOwners: boolean;
  lastPush: boolean;
  dismissalRestrictions?: PrincipalSet;
  bypassAllowances?: PrincipalSet;
}

export interface BranchProtectionState {
  /** Undefined: status checks are not required. */
  checks?: RequiredCheckState[];
  strict: boolean;
  enforceAdmins: boolean;
  /** Undefined: pull request reviews are not required. */
  reviews?: ReviewState;
  /** Undefined: anyone with write access may push. */
  restrictions?: PrincipalSet;
  linearHistory: boolean;
  allowForcePushes: boolean;
  allowDeletions: boolean;
  blockCreations: boolean;
  conversationResolution: boolean;
  lockBranch: boolean;
  allowForkSyncing: boolean;
  requiredSignatures: boolean;
}

type Flag =
  | 'linearHistory'
  | 'allowForcePushes'
  | 'allowDeletions'
  | 'blockCreations'
  | 'conversationResolution'
  | 'lockBranch'
  | 'allowForkSyncing'
  | 'requiredSignatures';

/** The `{ enabled }` fields of GitHub's answer and where they go. */
const FLAGS: Array<[string, Flag, string]> = [
  ['required_linear_history', 'linearHistory', 'require linear history'],
  ['allow_force_pushes', 'allowForcePushes', 'allow force pushes'],
  ['allow_deletions', 'allowDeletions', 'allow deletions'],
  ['block_creations', 'blockCreations', 'block creations'],
  [
    'required_conversation_resolution',
    'conversationResolution',
    'require conversation resolution',
  ],
  ['lock_branch', 'lockBranch', 'lock branch'],
  ['allow_fork_syncing', 'allowForkSyncing', 'allow fork syncing'],
  ['required_signatures', 'requiredSignatures', 'require signed commits'],
];

const sorted = (values: string[]) => [...new Set(values)].sort();

function principals(value: any): PrincipalSet | undefined {
  if (!value) return undefined;
  const set = {
    users: sorted((value.users ?? []).map((u: any) => u?.login ?? u)),
    teams: sorted((value.teams ?? []).map((t: any) => t?.slug ?? t)),
    apps: sorted((value.apps ?? []).map((a: any) => a?.slug ?? a)),
  };
  // GitHub reports an empty set for "nobody"; it means the same as none.
  return set.users.length + set.teams.length + set.apps.length
    ? set
    : undefined;
}

/**
 * Reads GitHub's answer. Fails closed: a field GitHub did not report is
 * listed in `unreadable`, never assumed to be "off", because "off" is the
 * permissive value for force pushes and deletions.
 */
export function parseBranchProtection(data: any): {
  state: BranchProtectionState;
  unreadable: string[];
} {
  const unreadable: string[] = [];
  const flag = (field: string, what: string) => {
    const enabled = data?.[field]?.enabled;
    if (typeof enabled !== 'boolean') {
      unreadable.push(`GitHub did not report '${what}' (${field})`);
      return false;
    }
    return enabled;
  };
  const checks = data?.required_status_checks;
  const reviews = data?.required_pull_request_reviews;
  const state: BranchProtectionState = {
    checks: checks
      ? (
          checks.checks ??
          (checks.contexts ?? []).map((context: string) => ({ context }))
        ).map((c: any) =>
          typeof c.app_id === 'number'
            ? { context: c.context, appId: c.app_id }
            : { context: c.context },
        )
      : undefined,
    strict: Boolean(checks?.strict),
    enforceAdmins: flag('enforce_admins', 'enforce admins'),
    reviews: reviews
      ? {
          count: reviews.required_approving_review_count ?? 0,
          dismissStale: Boolean(reviews.dismiss_stale_reviews),
          codeOwners: Boolean(reviews.require_code_owner_reviews),
          lastPush: Boolean(reviews.require_last_push_approval),
          dismissalRestrictions: principals(reviews.dismissal_restrictions),
          bypassAllowances: principals(reviews.bypass_pull_request_allowances),
        }
      : undefined,
    restrictions: principals(data?.restrictions),
    linearHistory: false,
    allowForcePushes: false,
    allowDeletions: false,
    blockCreations: false,
    conversationResolution: false,
    lockBranch: false,
    allowForkSyncing: false,
    requiredSignatures: false,
  };
  for (const [field, key, what] of FLAGS) state[key] = flag(field, what);
  return { state, unreadable };
}

/** What the configured rules alone ask for (a repository this task owns). */
export function branchProtectionFromRules(
  rules: ProtectionRules,
): BranchProtectionState {
  return {
    checks: rules.requiredChecks.map(c =>
      c.appId !== undefined
        ? { context: c.context, appId: c.appId }
        : { context: c.context },
    ),
    strict: rules.requireBranchesUpToDate,
    enforceAdmins: rules.enforceAdmins,
    reviews: {
      count: rules.requiredApprovingReviewCount,
      dismissStale: rules.dismissStaleReviews,
      codeOwners: rules.requireCodeOwnerReviews,
      lastPush: rules.requireLastPushApproval,
    },
    linearHistory: false,
    allowForcePushes: false,
    allowDeletions: false,
    blockCreations: false,
    conversationResolution: rules.requireConversationResolution,
    lockBranch: false,
    allowForkSyncing: false,
    requiredSignatures: false,
  };
}

/**
 * Adds the wanted checks to the existing ones. A check the gate pins to an
 * app gets pinned when it was open to any app (stricter); a check pinned to
 * a different app is a conflict a person has to resolve.
 */
export function mergeChecks(
  existing: RequiredCheckState[],
  wanted: RequiredCheckState[],
  conflicts: string[],
): RequiredCheckState[] {
  const out = existing.map(c => ({ ...c }));
  for (const w of wanted) {
    const found = out.find(c => c.context === w.context);
    if (!found) {
      out.push({ ...w });
    } else if (w.appId !== undefined) {
      if (found.appId === undefined) {
        found.appId = w.appId;
      } else if (found.appId !== w.appId) {
        conflicts.push(
          `the required check '${w.context}' is pinned to app ${found.appId} but the gate must be reported by app ${w.appId}`,
        );
      }
    }
  }
  return out;
}

/**
 * The protection after adopting: everything that was there stays (other
 * checks, push restrictions, bypass lists, linear history, signed commits,
 * ...), the gates are added, each review setting is the stricter of the two
 * and force pushes and deletions are blocked. Never weaker than `current`.
 */
export function mergeBranchProtection(
  current: BranchProtectionState | undefined,
  rules: ProtectionRules,
): { state: BranchProtectionState; conflicts: string[] } {
  const wanted = branchProtectionFromRules(rules);
  if (!current) return { state: wanted, conflicts: [] };
  const conflicts: string[] = [];
  const reviews = current.reviews;
  return {
    conflicts,
    state: {
      checks: mergeChecks(current.checks ?? [], wanted.checks ?? [], conflicts),
      strict: current.strict || wanted.strict,
      enforceAdmins: current.enforceAdmins || wanted.enforceAdmins,
      reviews: {
        count: Math.max(reviews?.count ?? 0, wanted.reviews!.count),
        dismissStale:
          Boolean(reviews?.dismissStale) || wanted.reviews!.dismissStale,
        codeOwners: Boolean(reviews?.codeOwners) || wanted.reviews!.codeOwners,
        lastPush: Boolean(reviews?.lastPush) || wanted.reviews!.lastPush,
        dismissalRestrictions: reviews?.dismissalRestrictions,
        bypassAllowances: reviews?.bypassAllowances,
      },
      restrictions: current.restrictions,
      linearHistory: current.linearHistory,
      allowForcePushes: false,
      allowDeletions: false,
      blockCreations: current.blockCreations,
      conversationResolution:
        current.conversationResolution || wanted.conversationResolution,
      lockBranch: current.lockBranch,
      allowForkSyncing: current.allowForkSyncing,
      requiredSignatures: current.requiredSignatures,
    },
  };
}

const principalBody = (set: PrincipalSet) => ({
  users: set.users,
  teams: set.teams,
  apps: set.apps,
});

/**
 * The `PUT .../branches/{branch}/protection` body for a state. Signed
 * commits have their own endpoint and are not part of it.
 */
export function branchProtectionBody(state: BranchProtectionState) {
  const reviews = state.reviews;
  return {
    required_status_checks: state.checks
      ? {
          strict: state.strict,
          // Pinning the app means a check of the same name from another app
          // cannot satisfy the gate.
          checks: state.checks.map(check =>
            check.appId !== undefined
              ? { context: check.context, app_id: check.appId }
              : { context: check.context },
          ),
        }
      : null,
    enforce_admins: state.enforceAdmins,
    required_pull_request_reviews: reviews
      ? {
          dismiss_stale_reviews: reviews.dismissStale,
          require_code_owner_reviews: reviews.codeOwners,
          required_approving_review_count: reviews.count,
          require_last_push_approval: reviews.lastPush,
          ...(reviews.dismissalRestrictions && {
            dismissal_restrictions: principalBody(
              reviews.dismissalRestrictions,
            ),
          }),
          ...(reviews.bypassAllowances && {
            bypass_pull_request_allowances: principalBody(
              reviews.bypassAllowances,
            ),
          }),
        }
      : null,
    restrictions: state.restrictions ? principalBody(state.restrictions) : null,
    required_linear_history: state.linearHistory,
    allow_force_pushes: state.allowForcePushes,
    allow_deletions: state.allowDeletions,
    block_creations: state.blockCreations,
    required_conversation_resolution: state.conversationResolution,
    lock_branch: state.lockBranch,
    allow_fork_syncing: state.allowForkSyncing,
  };
}

function compare(
  problems: string[],
  what: string,
  found: unknown,
  wanted: unknown,
) {
  const f = JSON.stringify(found ?? null);
  const w = JSON.stringify(wanted ?? null);
  if (f !== w) problems.push(`${what} is ${f} instead of ${w}`);
}

/** Every way the required checks differ: missing, pinned elsewhere, extra. */
export function checkDifferences(
  found: RequiredCheckState[],
  wanted: RequiredCheckState[],
): string[] {
  const problems: string[] = [];
  for (const check of wanted) {
    const match = found.find(f => f.context === check.context);
    if (!match) {
      problems.push(`required check '${check.context}' is missing`);
    } else if (match.appId !== check.appId) {
      problems.push(
        `required check '${check.context}' is pinned to app ${
          match.appId ?? 'any'
        } instead of ${check.appId ?? 'any'}`,
      );
    }
  }
  for (const extra of found.filter(
    f => !wanted.some(c => c.context === f.context),
  )) {
    problems.push(`unexpected required check '${extra.context}'`);
  }
  return problems;
}

/** Every way `found` differs from `wanted`; empty when they are the same. */
export function branchProtectionDifferences(
  found: BranchProtectionState,
  wanted: BranchProtectionState,
): string[] {
  const problems: string[] = [];
  if (!found.checks) {
    if (wanted.checks) problems.push('status checks are not required');
  } else if (!wanted.checks) {
    problems.push('status checks are required');
  } else {
    problems.push(...checkDifferences(found.checks, wanted.checks));
    compare(problems, 'strict status checks', found.strict, wanted.strict);
  }
  compare(
    problems,
    'enforce admins',
    found.enforceAdmins,
    wanted.enforceAdmins,
  );
  if (!found.reviews) {
    if (wanted.reviews) problems.push('pull request reviews are not required');
  } else if (!wanted.reviews) {
    problems.push('pull request reviews are required');
  } else {
    const f = found.reviews;
    const w = wanted.reviews;
    compare(problems, 'required approving review count', f.count, w.count);
    compare(problems, 'dismiss stale reviews', f.dismissStale, w.dismissStale);
    compare(problems, 'require code owner reviews', f.codeOwners, w.codeOwners);
    compare(problems, 'require last push approval', f.lastPush, w.lastPush);
    compare(
      problems,
      'who may dismiss reviews',
      f.dismissalRestrictions,
      w.dismissalRestrictions,
    );
    compare(
      problems,
      'who may bypass pull requests',
      f.bypassAllowances,
      w.bypassAllowances,
    );
  }
  compare(problems, 'who may push', found.restrictions, wanted.restrictions);
  for (const [, key, what] of FLAGS) {
    compare(problems, what, found[key], wanted[key]);
  }
  return problems;
}
