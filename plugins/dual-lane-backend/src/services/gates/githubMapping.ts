import {
  GateDefinition,
  gateWithRole,
  laneBranchOf,
  laneBranchOfMarker,
  matchesAnyGate,
  negativeTestEnvironmentOf,
  negativeTestOfCheckRun,
  parseLaneMarkers,
  parseNegativeTestReport,
  splitEnvironmentSuffix,
  PullRequestState,
  verdictOfComment,
  verdictOfReview,
} from '@dual-lane/plugin-dual-lane-common';
import {
  GateRunInput,
  LaneEventInput,
  NegativeTestInput,
  PullRequestInput,
  VerdictInput,
} from '../../database';
import { GatesConfig } from './gatesConfig';
import {
  commitTime,
  GhAnnotation,
  GhCheckRun,
  GhCommit,
  GhIssueComment,
  GhPull,
  GhReview,
} from './githubTypes';

/*
 * GitHub payload → store input. The scheduled sync, the webhook handler and
 * the on-demand refresh all map through here, so the same GitHub state
 * always becomes the same rows whichever path wrote it.
 */

const GATE_RUN_STATUSES = new Set(['queued', 'in_progress', 'completed']);
const CONCLUSIONS = new Set([
  'success',
  'failure',
  'neutral',
  'cancelled',
  'skipped',
  'timed_out',
  'action_required',
  'stale',
]);
/** Long verdict bodies are cut; the marker is what matters. */
const MAX_BODY = 4000;

export function labelNames(pull: Pick<GhPull, 'labels'>): string[] {
  return [
    ...new Set(
      pull.labels
        .map(l => (typeof l === 'string' ? l : l.name))
        .filter((n): n is string => Boolean(n)),
    ),
  ].sort();
}

export function pullRequestStateOf(pull: GhPull): PullRequestState {
  if (pull.merged_at) return 'merged';
  return pull.state === 'open' ? 'open' : 'closed';
}

export function pullRequestInputOf(
  repositoryId: number,
  pull: GhPull,
  config: Pick<GatesConfig, 'branchPrefixes'>,
  mergedBy?: string,
): PullRequestInput {
  return {
    repositoryId,
    number: pull.number,
    externalId: pull.id,
    title: pull.title,
    state: pullRequestStateOf(pull),
    draft: Boolean(pull.draft),
    author: pull.user?.login,
    headRef: pull.head.ref,
    headSha: pull.head.sha,
    baseRef: pull.base.ref,
    laneSlug: laneBranchOf(pull.head.ref, config.branchPrefixes)?.slug,
    mergeCommitSha: pull.merged_at
      ? pull.merge_commit_sha ?? undefined
      : undefined,
    mergedBy: pull.merged_by?.login ?? mergedBy,
    createdAt: pull.created_at,
    updatedAt: pull.updated_at,
    closedAt: pull.closed_at ?? undefined,
    mergedAt: pull.merged_at ?? undefined,
    labels: labelNames(pull),
  };
}

/** The gate a check run counts for, if any. */
export function gateOfCheckRun(
  gates: GateDefinition[],
  checkName: string,
): GateDefinition | undefined {
  return gates.find(g => matchesAnyGate([g], checkName));
}

/**
 * Title of the annotation the repository template's policy gate
 * (`scripts/verify-org-policy-bundle.sh`) leaves on its check run:
 * `policy-digest=sha256:<hex> version=<tag> source=<owner/repo>`.
 */
export const POLICY_BUNDLE_ANNOTATION_TITLE = 'dual-lane policy bundle';
const POLICY_DIGEST = /(?:^|\s)policy-digest=(sha256:[0-9a-fA-F]{64})(?=\s|$)/;

/**
 * The policy digest a policy gate's run recorded in its `dual-lane policy
 * bundle` annotation; undefined when there is none, or when annotations
 * name different digests (the run then says nothing reliable).
 */
export function policyDigestOf(
  annotations: GhAnnotation[],
): string | undefined {
  const digests = new Set<string>();
  for (const a of annotations) {
    if (a.title?.trim().toLowerCase() !== POLICY_BUNDLE_ANNOTATION_TITLE)
      continue;
    const m = POLICY_DIGEST.exec(a.message ?? '');
    if (m) digests.add(m[1].toLowerCase());
  }
  return digests.size === 1 ? [...digests][0] : undefined;
}

/** Whether a run is a check of the gate with the role `policy`. */
export function isPolicyGateRun(
  run: Pick<GhCheckRun, 'name'>,
  gates: GateDefinition[],
): boolean {
  const policy = gateWithRole(gates, 'policy');
  return policy !== undefined && matchesAnyGate([policy], run.name);
}

/**
 * Check runs of the tracked gates as gate-run rows; others are dropped.
 * The policy gate's completed runs carry the policy digest of their
 * annotations, when those were read.
 */
export function gateRunInputsOf(
  repositoryId: number,
  pullRequestId: number | undefined,
  runs: GhCheckRun[],
  gates: GateDefinition[],
  annotations: Map<number, GhAnnotation[]> = new Map(),
): GateRunInput[] {
  const out: GateRunInput[] = [];
  for (const run of runs) {
    const gate = gateOfCheckRun(gates, run.name);
    if (!gate || !GATE_RUN_STATUSES.has(run.status)) continue;
    const policyDigest =
      gate.role === 'policy' && run.status === 'completed'
        ? policyDigestOf(annotations.get(run.id) ?? [])
        : undefined;
    out.push({
      repositoryId,
      pullRequestId,
      source: 'github',
      externalId: String(run.id),
      gateName: gate.name,
      checkName: run.name,
      headSha: run.head_sha,
      status: run.status as GateRunInput['status'],
      conclusion:
        run.status === 'completed' && CONCLUSIONS.has(run.conclusion ?? '')
          ? (run.conclusion as GateRunInput['conclusion'])
          : undefined,
      appId: run.app?.id,
      appSlug: run.app?.slug,
      detailsUrl: run.details_url ?? run.html_url ?? undefined,
      policyDigest,
      startedAt: run.started_at ?? undefined,
      completedAt: run.completed_at ?? undefined,
    });
  }
  return out;
}

/** Lane events carried by commit messages. */
export function laneEventInputsOf(
  repositoryId: number,
  pullRequestId: number | undefined,
  commits: GhCommit[],
  config: Pick<GatesConfig, 'markers' | 'branchPrefixes'>,
): LaneEventInput[] {
  const out: LaneEventInput[] = [];
  for (const commit of commits) {
    const at = commitTime(commit);
    if (!at) continue;
    for (const marker of parseLaneMarkers(
      commit.commit.message,
      config.markers,
    )) {
      out.push({
        repositoryId,
        pullRequestId,
        kind: marker.kind,
        slug: marker.slug,
        branch: laneBranchOfMarker(marker, config.branchPrefixes),
        commitSha: commit.sha,
        occurredAt: at,
      });
    }
  }
  return out;
}

/**
 * The verdict a review records. `pullRequestAuthor` is the login of the
 * pull request's author, whose own verdicts do not count when no
 * supervisors are configured (see `isSupervisor` in dual-lane-common).
 */
export function verdictInputOfReview(
  pullRequestId: number,
  review: GhReview,
  pullRequestAuthor: string | undefined,
  config: Pick<GatesConfig, 'verdicts'>,
): VerdictInput | undefined {
  if (!review.submitted_at) return undefined;
  const verdict = verdictOfReview(
    {
      state: review.state,
      body: review.body,
      author: review.user?.login,
      pullRequestAuthor,
    },
    config.verdicts,
  );
  if (!verdict) return undefined;
  return {
    pullRequestId,
    source: 'review',
    externalId: String(review.id),
    verdict,
    author: review.user?.login,
    body: review.body?.slice(0, MAX_BODY) || undefined,
    commitSha: review.commit_id ?? undefined,
    recordedAt: review.submitted_at,
  };
}

/** The verdict an issue comment records; see `verdictInputOfReview`. */
export function verdictInputOfComment(
  pullRequestId: number,
  comment: GhIssueComment,
  commitSha: string | undefined,
  pullRequestAuthor: string | undefined,
  config: Pick<GatesConfig, 'verdicts'>,
): VerdictInput | undefined {
  const verdict = verdictOfComment(
    { body: comment.body, author: comment.user?.login, pullRequestAuthor },
    config.verdicts,
  );
  if (!verdict) return undefined;
  return {
    pullRequestId,
    source: 'comment',
    externalId: String(comment.id),
    verdict,
    author: comment.user?.login,
    body: comment.body?.slice(0, MAX_BODY) || undefined,
    commitSha,
    recordedAt: comment.created_at,
  };
}

/**
 * Whether a check run is a negative-test report check: one of
 * `checkNames`, or one of them with an environment suffix
 * (`Report Negative Tests (production)`).
 */
export function isNegativeTestReport(
  run: Pick<GhCheckRun, 'name'>,
  config: Pick<GatesConfig, 'negativeTests'>,
): boolean {
  const { checkNames } = config.negativeTests;
  return (
    checkNames.includes(run.name) ||
    checkNames.includes(splitEnvironmentSuffix(run.name).name)
  );
}

/** Whether a check run reports negative tests (either convention). */
export function isNegativeTestCheck(
  run: Pick<GhCheckRun, 'name'>,
  config: Pick<GatesConfig, 'negativeTests'>,
): boolean {
  return (
    isNegativeTestReport(run, config) ||
    run.name
      .toLowerCase()
      .startsWith(config.negativeTests.checkPrefix.toLowerCase())
  );
}

/**
 * Whether a run's annotations should be read: a finished negative-test
 * report check (its results) or a finished run of the policy gate (the
 * policy digest it verified), when it has annotations.
 */
export function needsAnnotations(
  run: GhCheckRun,
  config: Pick<GatesConfig, 'negativeTests' | 'requiredChecks'>,
): boolean {
  return (
    run.status === 'completed' &&
    (run.output?.annotations_count ?? 0) > 0 &&
    (isNegativeTestReport(run, config) ||
      isPolicyGateRun(run, config.requiredChecks))
  );
}

/**
 * Negative-test results reported by check runs (and their annotations),
 * each for the environment its check reports for (see
 * `negativeTestEnvironmentOf`). A report whose environment is ambiguous or
 * not among `githubEnvironments` is left out, and `onSkipped` says why.
 */
export function negativeTestInputsOf(
  repositoryId: number,
  pullRequestId: number | undefined,
  runs: GhCheckRun[],
  annotations: Map<number, GhAnnotation[]>,
  config: Pick<GatesConfig, 'negativeTests'>,
  onSkipped?: (run: GhCheckRun, reason: string) => void,
): NegativeTestInput[] {
  const out: NegativeTestInput[] = [];
  const { checkNames, checkPrefix, names, githubEnvironments } =
    config.negativeTests;
  for (const run of runs) {
    if (run.status !== 'completed') continue;
    const observedAt = run.completed_at ?? run.started_at;
    if (!observedAt) continue;
    const report = isNegativeTestReport(run, config);
    const texts = report
      ? [
          run.output?.summary,
          run.output?.text,
          ...(annotations.get(run.id) ?? []).flatMap(a => [
            a.message,
            a.title && a.message ? `${a.title}: ${a.message}` : undefined,
          ]),
        ]
      : [];
    const suffix = checkNames.includes(run.name)
      ? undefined
      : splitEnvironmentSuffix(run.name).environment;
    const where = negativeTestEnvironmentOf(suffix, texts);
    if (where.error !== undefined) {
      onSkipped?.(run, where.error);
      continue;
    }
    if (!githubEnvironments.includes(where.environment)) {
      onSkipped?.(
        run,
        `it reports for '${where.environment}', which dualLane.negativeTests.githubEnvironments does not accept from GitHub`,
      );
      continue;
    }
    const base = {
      repositoryId,
      pullRequestId,
      environment: where.environment,
      commitSha: run.head_sha,
      evidenceUrl: run.html_url ?? run.details_url ?? undefined,
      observedAt,
    };
    if (report) {
      const reports = new Map<string, boolean>();
      for (const text of texts) {
        for (const r of parseNegativeTestReport(text, names)) {
          reports.set(r.testName, r.blocked);
        }
      }
      for (const [testName, blocked] of reports) {
        out.push({ ...base, testName, blocked });
      }
      continue;
    }
    const single = negativeTestOfCheckRun(run, checkPrefix, names);
    if (single) out.push({ ...base, ...single });
  }
  return out;
}
