/**
 * Change failure rate, defined from reverts: a merged pull request failed
 * when a later merged pull request of the same repository reverts it, as
 * GitHub's "Revert" button names them — head branch `revert-<number>-...`
 * or title `Revert "<original title>"`. Revert pull requests are
 * remediation, not deployments, and count on neither side.
 *
 * A `rollback.sql` in an artifact bundle is not a failure by itself (every
 * database change ships one) and the store has no record of it being
 * applied, so it is reported next to the rate, not in it.
 */

const REVERT_BRANCH = /^revert-(\d+)-/;
const REVERT_TITLE = /^Revert "(.*)"$/s;

/** What a pull request reverts, by number (branch) and/or title. */
export interface RevertTarget {
  number?: number;
  title?: string;
}

export function revertTargetOf(pr: {
  title: string;
  headRef: string;
}): RevertTarget | undefined {
  const branch = REVERT_BRANCH.exec(pr.headRef);
  const title = REVERT_TITLE.exec(pr.title.trim());
  if (!branch && !title) return undefined;
  return {
    number: branch ? Number(branch[1]) : undefined,
    title: title ? title[1] : undefined,
  };
}

export function isRevertPullRequest(pr: { title: string; headRef: string }) {
  return revertTargetOf(pr) !== undefined;
}

/**
 * Which of the merged pull requests were reverted, and by which pull
 * request: `number → reverting number`. A revert names its target by
 * number (branch) when it can; by title it reverts the latest pull request
 * of that title merged before it. A revert merged before the change it
 * names cannot revert it.
 */
export function findReverted(
  merged: Array<{ number: number; title: string; mergedAt?: string }>,
  candidates: Array<{
    number: number;
    title: string;
    headRef: string;
    mergedAt: string;
  }>,
): Map<number, number> {
  const byNumber = new Map(merged.map(pr => [pr.number, pr]));
  const time = (at?: string) => (at ? Date.parse(at) : -Infinity);
  const reverted = new Map<number, number>();
  const sorted = [...candidates].sort(
    (a, b) => time(a.mergedAt) - time(b.mergedAt) || a.number - b.number,
  );
  for (const candidate of sorted) {
    const target = revertTargetOf(candidate);
    if (!target) continue;
    let pr =
      target.number !== undefined ? byNumber.get(target.number) : undefined;
    if (!pr && target.number === undefined && target.title !== undefined) {
      pr = merged
        .filter(
          m =>
            m.title === target.title &&
            time(m.mergedAt) <= time(candidate.mergedAt),
        )
        .sort((a, b) => time(b.mergedAt) - time(a.mergedAt))[0];
    }
    if (
      !pr ||
      pr.number === candidate.number ||
      reverted.has(pr.number) ||
      time(candidate.mergedAt) < time(pr.mergedAt)
    ) {
      continue;
    }
    reverted.set(pr.number, candidate.number);
  }
  return reverted;
}
