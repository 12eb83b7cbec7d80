import { Verdict, VerdictValue } from '../types';
import {
  DEFAULT_VERDICT_CONVENTION,
  escapeRegExp,
  VerdictConvention,
} from './conventions';

/*
 * The verdict convention. PLAN (the supervisor) records its decision on a
 * pull request in one of two ways:
 *
 * 1. A marker in a pull request review or an issue comment on the pull
 *    request: `[PLAN-VERDICT:approved]`, `[PLAN-VERDICT:changes-requested]`
 *    or `[PLAN-VERDICT:rejected]` (marker word configurable, case-insensitive,
 *    `changes_requested` accepted). When a body carries several, the last
 *    one counts.
 * 2. Without a marker, a review in state APPROVED or CHANGES_REQUESTED counts
 *    as `approved` / `changes-requested` (unless `reviewStates` is off).
 *
 * Who counts: with supervisors configured, only they. Without, any
 * account except the pull request's author (the builder must not approve
 * its own change) and except an unknown author. Dismissed reviews never
 * count. A review applies to the commit it was
 * submitted on; a comment to the head commit when it was written.
 */

export const VERDICT_VALUES: readonly VerdictValue[] = [
  'approved',
  'changes-requested',
  'rejected',
];

function normaliseVerdict(text: string): VerdictValue | undefined {
  const value = text
    .trim()
    .toLowerCase()
    .replace(/[_\s]+/g, '-');
  return (VERDICT_VALUES as string[]).includes(value)
    ? (value as VerdictValue)
    : undefined;
}

/** The last `[<marker>:<verdict>]` in a body, if any. */
export function parseVerdictMarker(
  body: string | null | undefined,
  marker: string = DEFAULT_VERDICT_CONVENTION.marker,
): VerdictValue | undefined {
  if (!body) return undefined;
  const pattern = new RegExp(
    `\\[\\s*${escapeRegExp(marker)}\\s*:\\s*([A-Za-z_ -]+?)\\s*\\]`,
    'gi',
  );
  let found: VerdictValue | undefined;
  for (const match of body.matchAll(pattern)) {
    found = normaliseVerdict(match[1]) ?? found;
  }
  return found;
}

/**
 * Whether `author`'s verdict counts on a pull request opened by
 * `pullRequestAuthor`: a configured supervisor; or, when none are
 * configured, anyone but the pull request's author. Logins compare
 * case-insensitively; an unknown author never counts.
 */
export function isSupervisor(
  author: string | undefined,
  convention: VerdictConvention,
  pullRequestAuthor?: string,
): boolean {
  if (!author) return false;
  const login = author.toLowerCase();
  if (convention.supervisors.length === 0) {
    return login !== pullRequestAuthor?.toLowerCase();
  }
  return convention.supervisors.some(s => s.toLowerCase() === login);
}

/**
 * The verdict a pull request review carries. `state` is GitHub's review
 * state in either case (REST uses `APPROVED`, webhooks `approved`).
 */
export function verdictOfReview(
  review: {
    state: string;
    body?: string | null;
    author?: string;
    /** Login of the pull request's author; see `isSupervisor`. */
    pullRequestAuthor?: string;
  },
  convention: VerdictConvention = DEFAULT_VERDICT_CONVENTION,
): VerdictValue | undefined {
  const state = review.state.toUpperCase();
  if (state === 'DISMISSED' || state === 'PENDING') return undefined;
  if (!isSupervisor(review.author, convention, review.pullRequestAuthor)) {
    return undefined;
  }
  const marked = parseVerdictMarker(review.body, convention.marker);
  if (marked) return marked;
  if (!convention.reviewStates) return undefined;
  if (state === 'APPROVED') return 'approved';
  if (state === 'CHANGES_REQUESTED') return 'changes-requested';
  return undefined;
}

/** The verdict an issue comment on the pull request carries. */
export function verdictOfComment(
  comment: {
    body?: string | null;
    author?: string;
    /** Login of the pull request's author; see `isSupervisor`. */
    pullRequestAuthor?: string;
  },
  convention: VerdictConvention = DEFAULT_VERDICT_CONVENTION,
): VerdictValue | undefined {
  if (!isSupervisor(comment.author, convention, comment.pullRequestAuthor)) {
    return undefined;
  }
  return parseVerdictMarker(comment.body, convention.marker);
}

/** The fields of a verdict the rules look at. */
export type VerdictFacts = Pick<
  Verdict,
  'verdict' | 'author' | 'commitSha' | 'recordedAt'
>;

const SEVERITY: Record<VerdictValue, number> = {
  approved: 0,
  'changes-requested': 1,
  rejected: 2,
};

/**
 * PLAN's verdict on the head commit: each supervisor's latest verdict on
 * that commit counts, and the most severe wins (rejected over
 * changes-requested over approved), so one supervisor's objection is not
 * outweighed by another's approval. Verdicts on older commits are stale:
 * new work was pushed since.
 */
export function currentVerdict<T extends VerdictFacts>(
  verdicts: T[],
  headSha: string,
): T | undefined {
  const latestByAuthor = new Map<string, T>();
  const sorted = [...verdicts]
    .filter(v => v.commitSha === headSha)
    .sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
  for (const v of sorted) {
    latestByAuthor.set((v.author ?? '').toLowerCase(), v);
  }
  let winner: T | undefined;
  for (const v of latestByAuthor.values()) {
    if (
      !winner ||
      SEVERITY[v.verdict] > SEVERITY[winner.verdict] ||
      (SEVERITY[v.verdict] === SEVERITY[winner.verdict] &&
        v.recordedAt > winner.recordedAt)
    ) {
      winner = v;
    }
  }
  return winner;
}

/** The most recent verdict on any commit (for coverage: was there one at all). */
export function latestVerdict<T extends VerdictFacts>(
  verdicts: T[],
): T | undefined {
  return [...verdicts].sort((a, b) =>
    b.recordedAt.localeCompare(a.recordedAt),
  )[0];
}

/**
 * The head commit a comment was written against: the newest commit of the
 * pull request committed at or before the comment. Commits are
 * `{ sha, committedAt }` in any order; undefined when all are newer.
 */
export function commitAtTime(
  commits: Array<{ sha: string; committedAt: string }>,
  at: string,
): string | undefined {
  let best: { sha: string; committedAt: string } | undefined;
  for (const c of commits) {
    if (
      Date.parse(c.committedAt) <= Date.parse(at) &&
      (!best || Date.parse(c.committedAt) >= Date.parse(best.committedAt))
    ) {
      best = c;
    }
  }
  return best?.sha;
}
