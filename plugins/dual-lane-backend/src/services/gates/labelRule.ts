import {
  computeGateStatus,
  currentVerdict,
  GateDefinition,
  GateRun,
  gatesPassedAtMerge,
  LabelExpectation,
  labelExpectation,
  LaneEvent,
  PullRequest,
  Verdict,
  verdictsUntil,
} from '@dual-lane/plugin-dual-lane-common';

/**
 * The label rule (`labelExpectation` of dual-lane-common) applied to a
 * stored pull request: an open one by its head commit now, a merged one by
 * the state it was merged in (gates on its head or merge commit, PLAN's
 * verdicts up to the merge), a closed one not at all. The derived label the
 * store keeps and the gates view show both come from here.
 */
export function labelExpectationOf(
  pr: Pick<
    PullRequest,
    'state' | 'headSha' | 'mergeCommitSha' | 'mergedAt' | 'laneSlug'
  >,
  facts: { runs: GateRun[]; laneEvents: LaneEvent[]; verdicts: Verdict[] },
  gates: GateDefinition[],
): LabelExpectation {
  const merged = pr.state === 'merged';
  const gatesPassing = merged
    ? gatesPassedAtMerge(gates, facts.runs, pr)
    : computeGateStatus(gates, facts.runs, pr.headSha).allPassing;
  const verdicts = merged
    ? verdictsUntil(facts.verdicts, pr.mergedAt)
    : facts.verdicts;
  return labelExpectation({
    laneSlug: pr.laneSlug,
    laneEvents: facts.laneEvents,
    gatesPassing,
    verdict: currentVerdict(verdicts, pr.headSha)?.verdict,
    pullRequestState: pr.state,
  });
}
