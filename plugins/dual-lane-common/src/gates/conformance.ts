import { GateDefinition } from './conventions';
import {
  appAccepted,
  contextMatches,
  evaluateGate,
  GateRunFacts,
  GateState,
  latestRuns,
} from './gateStatus';

/** A status check the base branch requires, read from GitHub. */
export interface ProtectionRequirement {
  context: string;
  /** The app that must report it; absent when any app may. */
  appId?: number;
  source: 'branch-protection' | 'ruleset';
}

/** What could be read about the base branch's protection. */
export interface BranchProtectionFacts {
  /** False when neither branch protection nor rules could be read. */
  readable: boolean;
  /** Which sources were read. */
  sources: Array<'branch-protection' | 'ruleset'>;
  requirements: ProtectionRequirement[];
  /** Why it could not be read (e.g. `403 on branch protection`). */
  unreadableReason?: string;
}

export interface ConformanceGate {
  name: string;
  context: string;
  /** Whether branch protection or a ruleset requires this check. */
  enforced: boolean;
  /** Whether the gate comes from config (false: only from protection). */
  configured: boolean;
  appId?: number;
  appSlug?: string;
  state: GateState;
  /** The run that decided the state, when there is one. */
  run?: GateRunFacts;
  /** Apps that reported a matching check that does not count. */
  unexpectedApps: Array<{ appId?: number; appSlug?: string }>;
  /** Commit the deciding run was found on (head, or the merge commit). */
  commitSha?: string;
}

/**
 * Required-check conformance of a merged pull request. Stored with the
 * pull request and returned by the gates endpoint.
 */
export interface MergeConformance {
  version: 1;
  evaluatedAt: string;
  headSha: string;
  mergeCommitSha?: string;
  baseRef: string;
  protection: Omit<BranchProtectionFacts, 'requirements'>;
  gates: ConformanceGate[];
  /** Every required gate passed, reported by the expected app. */
  conforming: boolean;
  missing: string[];
  failing: string[];
  pending: string[];
  /** Gates whose only matching runs came from another app. */
  unexpectedApp: string[];
  /** Configured gates the base branch does not require. */
  unenforced: string[];
  /**
   * The merge went through although a check the base branch requires was
   * missing or failing: an admin merge or a ruleset bypass. `null` when the
   * protection could not be read (then only `conforming` is known).
   */
  bypassedProtection: boolean | null;
  /** One sentence per problem, for people. */
  findings: string[];
}

/** Conclusions that satisfy a required check for GitHub's merge button. */
const SATISFIES_PROTECTION = new Set(['success', 'neutral', 'skipped']);

function satisfiesProtection(run: GateRunFacts | undefined): boolean {
  return (
    run !== undefined &&
    run.status === 'completed' &&
    SATISFIES_PROTECTION.has(run.conclusion ?? '')
  );
}

export type RequiredGate = GateDefinition & {
  enforced: boolean;
  configured: boolean;
  /** The protection requirements this gate covers. */
  requirements: ProtectionRequirement[];
};

/**
 * Whether GitHub would consider a requirement met by the runs on a commit:
 * the latest run with exactly that name (from the pinned app, if any)
 * concluded success, neutral or skipped.
 */
function requirementMet(
  requirement: ProtectionRequirement,
  runs: GateRunFacts[],
): boolean {
  const [latest] = latestRuns(
    runs.filter(
      r =>
        r.checkName === requirement.context &&
        appAccepted({ appId: requirement.appId }, r),
    ),
  );
  return satisfiesProtection(latest);
}

/**
 * The required set: the configured gates, each marked enforced when the
 * protection requires a matching context (its app pin filling in a missing
 * config pin), plus checks the protection requires that no gate covers.
 */
export function requiredGateSet(
  configured: GateDefinition[],
  protection: BranchProtectionFacts,
): RequiredGate[] {
  const used = new Set<ProtectionRequirement>();
  const gates = configured.map(gate => {
    const matches = protection.requirements.filter(
      r => r.context === gate.context || contextMatches(gate.context, r.context),
    );
    matches.forEach(m => used.add(m));
    const pinned = matches.find(m => m.appId !== undefined)?.appId;
    return {
      ...gate,
      appId: gate.appId ?? (gate.appSlug === undefined ? pinned : undefined),
      enforced: matches.length > 0,
      configured: true,
      requirements: matches,
    };
  });
  const seen = new Set<string>();
  for (const r of protection.requirements) {
    if (used.has(r) || seen.has(r.context)) continue;
    seen.add(r.context);
    gates.push({
      name: r.context,
      context: r.context,
      appId: r.appId,
      appSlug: undefined,
      enforced: true,
      configured: false,
      requirements: [r],
    });
  }
  return gates;
}

/**
 * Whether every configured gate passed when a pull request merged: on the
 * head commit, or for a gate with no run there, on the merge commit (as
 * `evaluateConformance` judges it, without the protection-only checks).
 */
export function gatesPassedAtMerge(
  gates: GateDefinition[],
  runs: GateRunFacts[],
  pullRequest: { headSha: string; mergeCommitSha?: string },
): boolean {
  const head = runs.filter(r => r.headSha === pullRequest.headSha);
  const merge = pullRequest.mergeCommitSha
    ? runs.filter(r => r.headSha === pullRequest.mergeCommitSha)
    : [];
  return (
    gates.length > 0 &&
    gates.every(gate => {
      const onHead = evaluateGate(gate, head);
      if (onHead.state !== 'missing' || merge.length === 0) {
        return onHead.state === 'passing';
      }
      return evaluateGate(gate, merge).state === 'passing';
    })
  );
}

/**
 * Evaluates a merged pull request against the required set. Runs on the
 * head commit count first; when a gate has none there, runs on the merge
 * commit count (merge queues test the merge commit).
 *
 * The bypass rule: GitHub only lets a pull request merge with a required
 * check missing or failing (anything but success, neutral or skipped, or
 * reported by another app than the protection pins) when an administrator
 * or a ruleset bypass actor merges it. So a readable protection that
 * requires a check the merged commit does not satisfy means protection was
 * bypassed.
 */
export function evaluateConformance(options: {
  pullRequest: {
    headSha: string;
    mergeCommitSha?: string;
    baseRef: string;
  };
  gates: GateDefinition[];
  protection: BranchProtectionFacts;
  runs: GateRunFacts[];
  evaluatedAt: string;
}): MergeConformance {
  const { pullRequest, protection, runs } = options;
  const required = requiredGateSet(options.gates, protection);
  const head = runs.filter(r => r.headSha === pullRequest.headSha);
  const merge = pullRequest.mergeCommitSha
    ? runs.filter(r => r.headSha === pullRequest.mergeCommitSha)
    : [];
  const findings: string[] = [];
  let bypassed = false;

  const gates: ConformanceGate[] = required.map(gate => {
    let commitSha = pullRequest.headSha;
    let result = evaluateGate(gate, head);
    if (result.state === 'missing' && merge.length > 0) {
      const onMerge = evaluateGate(gate, merge);
      if (onMerge.state !== 'missing' || onMerge.ignoredRuns.length > 0) {
        result = onMerge;
        commitSha = pullRequest.mergeCommitSha!;
      }
    }
    const run = result.runs[0];
    if (gate.enforced) {
      const unmet = gate.requirements.filter(
        r => !requirementMet(r, head) && !requirementMet(r, merge),
      );
      if (unmet.length > 0) {
        bypassed = true;
        findings.push(
          `Merged although the base branch requires '${unmet
            .map(r => r.context)
            .join("', '")}' and it was ${
            result.state
          }: protection was bypassed (admin merge or ruleset bypass).`,
        );
      }
    }
    if (result.state !== 'passing' && !gate.enforced) {
      findings.push(
        `Gate '${gate.name}' was ${result.state} at merge and the base branch does not require it.`,
      );
    } else if (
      result.state !== 'passing' &&
      gate.enforced &&
      satisfiesProtection(run)
    ) {
      findings.push(
        `Gate '${gate.name}' concluded '${run?.conclusion}', which GitHub accepts but a gate must pass.`,
      );
    }
    if (result.state === 'missing' && result.ignoredRuns.length > 0) {
      findings.push(
        `Gate '${gate.name}' was reported only by ${result.ignoredRuns
          .map(r => r.appSlug ?? `app ${r.appId ?? 'unknown'}`)
          .join(', ')}, not by the app it is pinned to.`,
      );
    }
    return {
      name: gate.name,
      context: gate.context,
      enforced: gate.enforced,
      configured: gate.configured,
      appId: gate.appId,
      appSlug: gate.appSlug,
      state: result.state,
      run,
      unexpectedApps: result.ignoredRuns.map(r => ({
        appId: r.appId,
        appSlug: r.appSlug,
      })),
      commitSha: run ? commitSha : undefined,
    };
  });

  const names = (state: GateState) =>
    gates.filter(g => g.state === state).map(g => g.name);
  const unenforced = gates
    .filter(g => g.configured && !g.enforced)
    .map(g => g.name);
  if (!protection.readable) {
    findings.push(
      `Branch protection of '${pullRequest.baseRef}' could not be read (${
        protection.unreadableReason ?? 'no access'
      }); only the configured gates were checked.`,
    );
  }
  return {
    version: 1,
    evaluatedAt: options.evaluatedAt,
    headSha: pullRequest.headSha,
    mergeCommitSha: pullRequest.mergeCommitSha,
    baseRef: pullRequest.baseRef,
    protection: {
      readable: protection.readable,
      sources: protection.sources,
      unreadableReason: protection.unreadableReason,
    },
    gates,
    conforming: gates.every(g => g.state === 'passing'),
    missing: names('missing'),
    failing: names('failing'),
    pending: names('pending'),
    unexpectedApp: gates
      .filter(g => g.state === 'missing' && g.unexpectedApps.length > 0)
      .map(g => g.name),
    unenforced: protection.readable ? unenforced : [],
    bypassedProtection: protection.readable ? bypassed : null,
    findings,
  };
}
