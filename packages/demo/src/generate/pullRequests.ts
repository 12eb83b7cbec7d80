import { DemoPull } from '../fixtures/schema';
import { relativeTime } from '../fixtures/relativeTime';
import {
  GateOutcome,
  gateContext,
  gateRuns,
  LEO_GATE,
  POLICY_GATE,
  SLSA_GATE,
  VerifiedPolicy,
} from './checks';
import { Random } from './random';
import { RepositoryBuilder } from './RepositoryBuilder';
import { BUILDER, ChangeIdea, DEMO_ORG, ENFORCER, SUPERVISOR } from './story';

/** Where a pull request ends up in the lane state machine. */
export type PullRequestKind =
  | 'merged'
  | 'plan-review'
  | 'claude-enforcing'
  | 'codex-ready'
  | 'rework-requested'
  /** Open, every gate finished, one failed. */
  | 'gate-failing'
  /** Closed without merging after PLAN rejected it. */
  | 'abandoned';

export interface PullRequestPlan {
  kind: PullRequestKind;
  change: ChangeIdea;
  /** When the builder marked the first round ready, in minutes ago. */
  startAgo: number;
  /** Builder → enforcer → supervisor rounds; the last one decides. */
  rounds: number;
  /** How PLAN records its verdicts. */
  verdictVia: 'review' | 'comment';
  /** The enforcer squashed the builder's commit: the ready marker is only on `staging/<slug>`. */
  squashed: boolean;
  /** Lane labels carried instead of the one the state machine sets (a broken label workflow). */
  labels?: string[];
  /** Gate outcomes on the final head other than success. */
  gateOutcomes?: Partial<Record<string, GateOutcome>>;
}

/** A pull request as planned, before its merge commit exists. */
export interface PlannedPull {
  plan: PullRequestPlan;
  pull: DemoPull;
  /** Commits whose parent is the base branch as it was when the work started. */
  roots: string[];
  headSha: string;
  createdAgo: number;
  mergedAgo?: number;
}

const LANE_LABEL: Record<PullRequestKind, string> = {
  merged: 'plan-approved',
  'plan-review': 'plan-review',
  'claude-enforcing': 'claude-enforcing',
  'codex-ready': 'codex-ready',
  'rework-requested': 'rework-requested',
  'gate-failing': 'claude-enforcing',
  abandoned: 'rework-requested',
};

/** The slower gates of a pull request the enforcer just pushed are still running. */
const RUNNING: Partial<Record<string, GateOutcome>> = {
  [SLSA_GATE]: { status: 'in_progress' },
  [POLICY_GATE]: { status: 'queued' },
};

const REWORK_REASONS = [
  'rollback.sql does not undo the new index; add the DROP INDEX.',
  'The second acceptance criterion of the story has no test.',
  'The change reaches beyond the PRD: split the refactoring out.',
  'The SBOM lists a GPL-3.0 dependency that legal has not cleared.',
  'Error paths log the full request body; redact it first.',
  'The migration locks the table; make it online.',
];

export interface MaterializeOptions {
  builder: RepositoryBuilder;
  random: Random;
  number: number;
  prd: number;
  story: number;
  maintainer: string;
  /** The org policy bundle the policy gate verified at a time. */
  policyAt: (ago: number) => VerifiedPolicy;
}

/**
 * Writes one planned pull request into the repository: the lane commits of
 * each round (`[CODEX-READY:<slug>]` by the builder, `[CLAUDE-APPLIED:<slug>]`
 * by the enforcer), PLAN's verdicts as reviews or comments, the gates'
 * check runs on the final head, and the labels it carries.
 */
export function materializePullRequest(
  plan: PullRequestPlan,
  o: MaterializeOptions,
): PlannedPull {
  const { builder: b, random } = o;
  const { slug, title } = plan.change;
  const prTitle = `PRD-${o.prd}: ${title}`;
  const fromStaging = plan.kind === 'codex-ready';
  const headRef = `${fromStaging ? 'staging' : 'feature'}/${slug}`;
  const commits: string[] = [];
  let t = plan.startAgo;
  let previous: string | undefined;
  const roots: string[] = [];
  let head = '';
  let headAgo = t;
  let createdAgo = t;
  let lastBuilder = '';
  let lastVerdictAgo: number | undefined;

  for (let round = 1; round <= plan.rounds; round++) {
    if (t < 30) {
      throw new Error(
        `pull request #${o.number} (${slug}) starts too late for ${plan.rounds} rounds`,
      );
    }
    const builderSha = b.commit({
      label: `pr-${o.number}-r${round}-builder`,
      message:
        round === 1
          ? `[CODEX-READY:${slug}] ${title}\n\nPRD-${o.prd}, STORY-${o.story}.`
          : `[CODEX-READY:${slug}] Address PLAN's round ${
              round - 1
            } review\n\n${random.pick(REWORK_REASONS)}`,
      author: BUILDER,
      ago: t,
      parents: previous ? [previous] : [],
    });
    if (!previous) roots.push(builderSha);
    lastBuilder = builderSha;
    if (!plan.squashed || fromStaging) commits.push(builderSha);
    head = builderSha;
    headAgo = t;
    if (fromStaging) {
      createdAgo = t - random.int(3, 12);
      break;
    }
    t -= random.int(6, 20);
    // Squashed, the enforcer's commit sits on the base, not on the builder's.
    let enforcerParents = [builderSha];
    if (plan.squashed) enforcerParents = previous ? [previous] : [];
    const enforcerSha = b.commit({
      label: `pr-${o.number}-r${round}-enforcer`,
      message: `[CLAUDE-APPLIED:${slug}] Apply ${slug} on feature/${slug}${
        round > 1 ? ` (round ${round})` : ''
      }`,
      author: ENFORCER,
      ago: t,
      parents: enforcerParents,
    });
    if (plan.squashed && !previous) roots.push(enforcerSha);
    commits.push(enforcerSha);
    previous = enforcerSha;
    head = enforcerSha;
    headAgo = t;
    if (round === 1) createdAgo = t - random.int(2, 8);

    const last = round === plan.rounds;
    let verdict: 'approved' | 'changes-requested' | 'rejected' | undefined;
    if (!last) verdict = 'changes-requested';
    else if (plan.kind === 'merged') verdict = 'approved';
    else if (plan.kind === 'rework-requested') verdict = 'changes-requested';
    else if (plan.kind === 'abandoned') verdict = 'rejected';
    if (verdict) {
      const at = Math.max(1, Math.min(createdAgo, t) - random.int(45, 240));
      recordVerdict(
        b,
        random,
        plan,
        o.number,
        enforcerSha,
        verdict,
        at,
        o.story,
      );
      lastVerdictAgo = at;
      t = at - random.int(40, 180);
    }
  }
  if (plan.squashed || fromStaging) {
    b.branches[`staging/${slug}`] = lastBuilder;
  }

  // The gates on the final head (a pull request from staging/ only gets the LEO gate, which fails).
  const runs = gateRuns({
    ids: b,
    headSha: head,
    startedAgo: Math.max(1, headAgo - 1),
    durations: [
      random.int(2, 5),
      random.int(1, 3),
      random.int(6, 14),
      random.int(3, 8),
    ],
    outcomes: fromStaging
      ? {
          [LEO_GATE]: {
            status: 'completed',
            conclusion: 'failure',
            title: 'Run Gate 3: enforcer lane missing',
            summary: `No [CLAUDE-APPLIED:${slug}] commit yet: the enforcer lane has not applied the change.`,
          },
        }
      : plan.gateOutcomes ??
        (plan.kind === 'claude-enforcing' ? RUNNING : undefined),
    policy: o.policyAt(headAgo),
  });
  b.checkRuns.push(
    ...(fromStaging
      ? runs.filter(r => r.name === gateContext(LEO_GATE))
      : runs),
  );

  let mergedAgo: number | undefined;
  let closedAgo: number | undefined;
  if (plan.kind === 'merged') {
    mergedAgo = Math.max(1, (lastVerdictAgo ?? headAgo) - random.int(8, 75));
    closedAgo = mergedAgo;
  } else if (plan.kind === 'abandoned') {
    closedAgo = Math.max(1, (lastVerdictAgo ?? headAgo) - random.int(30, 600));
  } else {
    b.branches[headRef] = head;
  }
  const updatedAgo = Math.max(
    0,
    Math.min(
      closedAgo ?? Infinity,
      lastVerdictAgo ?? Infinity,
      headAgo,
      createdAgo,
    ) - 1,
  );
  const labels = plan.labels ?? [LANE_LABEL[plan.kind]];
  const pull: DemoPull = {
    number: o.number,
    id: b.pullId(o.number),
    title: prTitle,
    body: [
      `Implements PRD-${o.prd}.`,
      '',
      `Releases STORY-${o.story}:`,
      `- [x] ${title}`,
      '- [x] Covered by tests',
      '',
      `Builder lane: \`staging/${slug}\`; enforcer lane: \`feature/${slug}\`.`,
    ].join('\n'),
    state:
      plan.kind === 'merged' || plan.kind === 'abandoned' ? 'closed' : 'open',
    draft: false,
    author: fromStaging ? BUILDER : ENFORCER,
    head: { ref: headRef, sha: head },
    base: 'main',
    labels: [...labels].sort(),
    createdAt: relativeTime(createdAgo),
    updatedAt: relativeTime(updatedAgo),
    closedAt: closedAgo !== undefined ? relativeTime(closedAgo) : undefined,
    mergedAt: mergedAgo !== undefined ? relativeTime(mergedAgo) : undefined,
    mergedBy: mergedAgo !== undefined ? o.maintainer : undefined,
    commits,
  };
  if (plan.kind === 'merged' && random.chance(0.3)) {
    b.comments.push({
      id: b.next('comment'),
      issue: o.number,
      author: o.maintainer,
      body: random.pick([
        'Checked on staging, looks good.',
        'Thanks! Merging once PLAN is happy.',
        'Dashboards are clean after the canary.',
      ]),
      createdAt: relativeTime(Math.max(1, headAgo - random.int(20, 40))),
      updatedAt: relativeTime(Math.max(1, headAgo - random.int(20, 40))),
    });
  }
  b.pulls.push(pull);
  return { plan, pull, roots, headSha: head, createdAgo, mergedAgo };
}

function recordVerdict(
  b: RepositoryBuilder,
  random: Random,
  plan: PullRequestPlan,
  number: number,
  commit: string,
  verdict: 'approved' | 'changes-requested' | 'rejected',
  ago: number,
  story: number,
) {
  let reason = random.pick(REWORK_REASONS);
  if (verdict === 'approved') {
    reason = `Acceptance criteria of STORY-${story} met; gates green, artifact signed with verified provenance.`;
  } else if (verdict === 'rejected') {
    reason = 'Superseded by a smaller change in the same PRD; closing.';
  }
  const body = `[PLAN-VERDICT:${verdict}] ${reason}`;
  if (plan.verdictVia === 'comment') {
    b.comments.push({
      id: b.next('comment'),
      issue: number,
      author: SUPERVISOR,
      body,
      createdAt: relativeTime(ago),
      updatedAt: relativeTime(ago),
    });
    return;
  }
  b.reviews.push({
    id: b.next('review'),
    pull: number,
    author: SUPERVISOR,
    state: verdict === 'approved' ? 'APPROVED' : 'CHANGES_REQUESTED',
    body,
    commit,
    at: relativeTime(ago),
  });
}

/** The merge message GitHub writes for a merge commit. */
export function mergeMessage(pull: DemoPull) {
  return `Merge pull request #${pull.number} from ${DEMO_ORG}/${pull.head.ref}\n\n${pull.title}`;
}
