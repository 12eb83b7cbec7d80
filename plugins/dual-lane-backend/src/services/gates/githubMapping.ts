import {
  GateDefinition,
  laneBranchOf,
  laneBranchOfMarker,
  matchesAnyGate,
  negativeTestOfCheckRun,
  parseLaneMarkers,
  parseNegativeTestReport,
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

/** Check runs of the tracked gates as gate-run rows; others are dropped. */
export function gateRunInputsOf(
  repositoryId: number,
  pullRequestId: number | undefined,
  runs: GhCheckRun[],
  gates: GateDefinition[],
): GateRunInput[] {
  const out: GateRunInput[] = [];
  for (const run of runs) {
    const gate = gateOfCheckRun(gates, run.name);
    if (!gate || !GATE_RUN_STATUSES.has(run.status)) continue;
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
    for (const marker of parseLaneMarkers(commit.commit.message, config.markers)) {
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

export function verdictInputOfReview(
  pullRequestId: number,
  review: GhReview,
  config: Pick<GatesConfig, 'verdicts'>,
): VerdictInput | undefined {
  if (!review.submitted_at) return undefined;
  const verdict = verdictOfReview(
    { state: review.state, body: review.body, author: review.user?.login },
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

export function verdictInputOfComment(
  pullRequestId: number,
  comment: GhIssueComment,
  commitSha: string | undefined,
  config: Pick<GatesConfig, 'verdicts'>,
): VerdictInput | undefined {
  const verdict = verdictOfComment(
    { body: comment.body, author: comment.user?.login },
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

/** Whether a check run reports negative tests (either convention). */
export function isNegativeTestCheck(
  run: Pick<GhCheckRun, 'name'>,
  config: Pick<GatesConfig, 'negativeTests'>,
): boolean {
  return (
    config.negativeTests.checkNames.includes(run.name) ||
    run.name.toLowerCase().startsWith(config.negativeTests.checkPrefix.toLowerCase())
  );
}

/** Whether a report check's annotations should be read for results. */
export function needsAnnotations(
  run: GhCheckRun,
  config: Pick<GatesConfig, 'negativeTests'>,
): boolean {
  return (
    config.negativeTests.checkNames.includes(run.name) &&
    run.status === 'completed' &&
    (run.output?.annotations_count ?? 0) > 0
  );
}

/** Negative-test results reported by check runs (and their annotations). */
export function negativeTestInputsOf(
  repositoryId: number,
  pullRequestId: number | undefined,
  runs: GhCheckRun[],
  annotations: Map<number, GhAnnotation[]>,
  config: Pick<GatesConfig, 'negativeTests'>,
): NegativeTestInput[] {
  const out: NegativeTestInput[] = [];
  const { checkNames, checkPrefix, names } = config.negativeTests;
  for (const run of runs) {
    if (run.status !== 'completed') continue;
    const observedAt = run.completed_at ?? run.started_at;
    if (!observedAt) continue;
    const base = {
      repositoryId,
      pullRequestId,
      environment: 'ci' as const,
      commitSha: run.head_sha,
      evidenceUrl: run.html_url ?? run.details_url ?? undefined,
      observedAt,
    };
    if (checkNames.includes(run.name)) {
      const texts = [
        run.output?.summary,
        run.output?.text,
        ...(annotations.get(run.id) ?? []).flatMap(a => [
          a.message,
          a.title && a.message ? `${a.title}: ${a.message}` : undefined,
        ]),
      ];
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
