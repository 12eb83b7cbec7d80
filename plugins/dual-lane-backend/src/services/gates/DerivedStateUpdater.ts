import {
  BranchProtectionFacts,
  computeReworkRounds,
  evaluateConformance,
  GateRun,
  LaneEvent,
  MergeConformance,
  PullRequest,
  Repository,
  ReworkCycle,
  Verdict,
} from '@dual-lane/plugin-dual-lane-common';
import { DualLaneStore } from '../../database';
import { BranchProtectionReader } from './BranchProtectionReader';
import { GatesConfig } from './gatesConfig';
import { labelExpectationOf } from './labelRule';

function groupBy<T>(items: T[], key: (t: T) => number | undefined) {
  const out = new Map<number, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    out.set(k, [...(out.get(k) ?? []), item]);
  }
  return out;
}

function sameConformance(a: unknown, b: MergeConformance | undefined) {
  if (!a || !b) return a === b;
  const { evaluatedAt: _x, ...left } = a as MergeConformance;
  const { evaluatedAt: _y, ...right } = b;
  return JSON.stringify(left) === JSON.stringify(right);
}

function sameRounds(
  stored: ReworkCycle[],
  computed: Array<Omit<ReworkCycle, 'pullRequestId'>>,
) {
  const norm = (c: Omit<ReworkCycle, 'pullRequestId'>) =>
    [c.cycle, new Date(c.startedAt).toISOString(), c.endedAt ? new Date(c.endedAt).toISOString() : '', c.verdict ?? ''].join('|');
  return (
    stored.length === computed.length &&
    stored.every((c, i) => norm(c) === norm(computed[i]))
  );
}

/** Protection facts for when nothing could be read yet. */
export const PROTECTION_NOT_READ: BranchProtectionFacts = {
  readable: false,
  sources: [],
  requirements: [],
  unreadableReason: 'not read yet',
};

/**
 * Recomputes what is derived from the stored facts of pull requests: the
 * expected lane label (none for a pull request whose label is not judged,
 * see `labelExpectationOf`), the rework rounds and, for merged pull requests,
 * required-check conformance. Reads only the database (the protection
 * facts come from the last read), writes only what changed, and gives the
 * same result whichever path stored the facts.
 */
export class DerivedStateUpdater {
  constructor(
    private readonly deps: {
      store: DualLaneStore;
      config: GatesConfig;
      protection: BranchProtectionReader;
    },
  ) {}

  /** Returns the number of rows changed. */
  async update(
    repository: Repository,
    numbers: number[],
    now: Date = new Date(),
  ): Promise<number> {
    const { store } = this.deps;
    const prs: PullRequest[] = [];
    for (const number of [...new Set(numbers)]) {
      const pr = await store.gates.getPullRequest(repository.id, number);
      if (pr) prs.push(pr);
    }
    if (prs.length === 0) return 0;
    const ids = prs.map(p => p.id);
    const events = groupBy(
      await store.gates.listLaneEvents({ pullRequestIds: ids }),
      (e: LaneEvent) => e.pullRequestId,
    );
    const verdicts = groupBy(
      await store.gates.listVerdicts(ids),
      (v: Verdict) => v.pullRequestId,
    );
    const cycles = groupBy(
      await store.gates.listReworkCycles(ids),
      (c: ReworkCycle) => c.pullRequestId,
    );
    const protectionByBranch = new Map<string, BranchProtectionFacts>();
    let changed = 0;
    for (const pr of prs) {
      const runs = await this.runsOf(repository.id, pr);
      const prVerdicts = verdicts.get(pr.id) ?? [];
      const prEvents = events.get(pr.id) ?? [];
      const rule = labelExpectationOf(
        pr,
        { runs, laneEvents: prEvents, verdicts: prVerdicts },
        this.deps.config.requiredChecks,
      );
      const expectedLabel =
        rule.checked && rule.expectedState
          ? this.deps.config.labels[rule.expectedState].name
          : null;

      const rounds = computeReworkRounds(pr, prEvents, prVerdicts);
      if (!sameRounds(cycles.get(pr.id) ?? [], rounds)) {
        await store.gates.replaceReworkCycles(pr.id, rounds);
        changed += Math.max(1, rounds.length);
      }

      let conformance: MergeConformance | undefined;
      if (pr.state === 'merged') {
        let protection = protectionByBranch.get(pr.baseRef);
        if (!protection) {
          protection =
            (await this.deps.protection.cached(repository, pr.baseRef)) ??
            PROTECTION_NOT_READ;
          protectionByBranch.set(pr.baseRef, protection);
        }
        conformance = evaluateConformance({
          pullRequest: pr,
          gates: this.deps.config.requiredChecks,
          protection,
          runs,
          evaluatedAt: now.toISOString(),
        });
      }
      const labelChanged = (pr.expectedLabel ?? null) !== expectedLabel;
      const conformanceChanged = !sameConformance(pr.conformance, conformance);
      if (labelChanged || conformanceChanged) {
        await store.gates.updateDerived(pr.id, {
          expectedLabel: labelChanged ? expectedLabel : undefined,
          conformance: conformanceChanged ? conformance ?? null : undefined,
        });
        changed += 1;
      }
    }
    return changed;
  }

  /** Gate runs on the head commit, and on the merge commit once merged. */
  private async runsOf(repositoryId: number, pr: PullRequest): Promise<GateRun[]> {
    const runs = await this.deps.store.gates.listGateRuns({
      repositoryId,
      headSha: pr.headSha,
    });
    if (pr.state === 'merged' && pr.mergeCommitSha && pr.mergeCommitSha !== pr.headSha) {
      runs.push(
        ...(await this.deps.store.gates.listGateRuns({
          repositoryId,
          headSha: pr.mergeCommitSha,
        })),
      );
    }
    return runs;
  }
}
