import { LaneEvent, ReworkCycle } from '../types';
import { VerdictFacts } from './verdicts';

export type ReworkRound = Omit<ReworkCycle, 'pullRequestId'>;

/**
 * The builder → enforcer → supervisor rounds of a pull request, from its
 * lane events (work) and verdicts (decisions), in time order:
 *
 * - the first round starts with the first lane event, or with the pull
 *   request itself when a verdict comes before any lane event;
 * - a verdict closes the current round (a later verdict before new work
 *   replaces the round's verdict, e.g. PLAN changing its mind);
 * - a lane event after a round was closed starts the next round.
 *
 * Round 1 is the original attempt, so the rework cycles of the seed's KPI
 * ("≤2 rework cycles per PR") are the rounds after the first: see
 * {@link reworkCount}.
 */
export function computeReworkRounds(
  pullRequest: { createdAt: string },
  laneEvents: Array<Pick<LaneEvent, 'occurredAt'>>,
  verdicts: VerdictFacts[],
): ReworkRound[] {
  type Item = { at: string; verdict?: VerdictFacts };
  const items: Item[] = [
    ...laneEvents.map((e): Item => ({ at: e.occurredAt })),
    ...verdicts.map((v): Item => ({ at: v.recordedAt, verdict: v })),
  ].sort(
    (a, b) =>
      Date.parse(a.at) - Date.parse(b.at) ||
      // Work before a decision at the same instant.
      Number(Boolean(a.verdict)) - Number(Boolean(b.verdict)),
  );
  const rounds: ReworkRound[] = [];
  let current: ReworkRound | undefined;
  for (const item of items) {
    if (!item.verdict) {
      if (!current || current.verdict) {
        if (current) rounds.push(current);
        current = { cycle: rounds.length + 1, startedAt: item.at };
      }
      continue;
    }
    if (!current) {
      const opened = pullRequest.createdAt;
      current = {
        cycle: rounds.length + 1,
        startedAt: Date.parse(opened) < Date.parse(item.at) ? opened : item.at,
      };
    }
    current.endedAt = item.at;
    current.verdict = item.verdict.verdict;
  }
  if (current) rounds.push(current);
  return rounds;
}

/** Rework cycles: the rounds after the first one. */
export function reworkCount(rounds: Array<Pick<ReworkRound, 'cycle'>>): number {
  return Math.max(0, rounds.length - 1);
}
