import {
  checkLabels,
  codexReadyToOpenMinutes,
  computeGateStatus,
  currentVerdict,
  GateRun,
  GatesResponse,
  MergeConformance,
  NegativeTestResult,
  PullRequestGates,
  PullRequestState,
  reworkCount,
  Repository,
} from '@dual-lane/plugin-dual-lane-common';
import { DualLaneStore } from '../../database';
import { GatesConfig, GithubSyncConfig } from './gatesConfig';
import { labelExpectationOf } from './labelRule';
import { pullsSyncKey } from './syncDeps';
import { syncInfoOf } from './syncInfo';

function group<T>(items: T[], key: (t: T) => number | undefined) {
  const out = new Map<number, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k !== undefined) out.set(k, [...(out.get(k) ?? []), item]);
  }
  return out;
}

/** The latest result of each negative test per environment. */
export function latestNegativeTests(tests: NegativeTestResult[]): NegativeTestResult[] {
  const latest = new Map<string, NegativeTestResult>();
  for (const t of tests) {
    const key = `${t.testName}\u0000${t.environment}`;
    const seen = latest.get(key);
    if (!seen || t.observedAt >= seen.observedAt) latest.set(key, t);
  }
  return [...latest.values()].sort((a, b) =>
    `${a.testName}${a.environment}`.localeCompare(`${b.testName}${b.environment}`),
  );
}

/**
 * Builds the gates view of a repository's pull requests: stored facts plus
 * the rules of `@dual-lane/plugin-dual-lane-common` evaluated with the
 * current config, so the page shows exactly what the frontend would compute.
 */
export class GatesReader {
  constructor(
    private readonly deps: {
      store: DualLaneStore;
      config: GatesConfig;
      sync: Pick<GithubSyncConfig, 'enabled' | 'schedule'>;
    },
  ) {}

  async list(
    repository: Repository,
    query: { limit: number; cursor?: string; state?: PullRequestState },
  ): Promise<GatesResponse> {
    const { store, config } = this.deps;
    const page = await store.gates.listPullRequests({
      repositoryIds: [repository.id],
      state: query.state,
      limit: query.limit,
      cursor: query.cursor,
    });
    const ids = page.items.map(p => p.id);
    const linkedRuns = group(
      await store.gates.listGateRuns({ pullRequestIds: ids }),
      r => r.pullRequestId,
    );
    const events = group(await store.gates.listLaneEvents({ pullRequestIds: ids }), e => e.pullRequestId);
    const verdicts = group(await store.gates.listVerdicts(ids), v => v.pullRequestId);
    const cycles = group(await store.gates.listReworkCycles(ids), c => c.pullRequestId);

    const items: PullRequestGates[] = [];
    for (const pr of page.items) {
      const runs = new Map<number, GateRun>(
        (linkedRuns.get(pr.id) ?? []).map(r => [r.id, r]),
      );
      // Runs reported on the head before the pull request was known.
      for (const r of await store.gates.listGateRuns({
        repositoryId: repository.id,
        headSha: pr.headSha,
      })) {
        runs.set(r.id, r);
      }
      const gateRuns = [...runs.values()].sort((a, b) => a.id - b.id);
      const prEvents = events.get(pr.id) ?? [];
      const prVerdicts = verdicts.get(pr.id) ?? [];
      const gateStatus = computeGateStatus(config.requiredChecks, gateRuns, pr.headSha);
      const verdict = currentVerdict(prVerdicts, pr.headSha);
      const rule = labelExpectationOf(
        pr,
        { runs: gateRuns, laneEvents: prEvents, verdicts: prVerdicts },
        config.requiredChecks,
      );
      const expectedState = rule.checked ? rule.expectedState : undefined;
      const labelCheck = checkLabels(expectedState, pr.labels, config.labels);
      const reworkCycles = cycles.get(pr.id) ?? [];
      items.push({
        pullRequest: pr,
        gateStatus,
        gateRuns,
        laneEvents: prEvents,
        verdict,
        verdicts: prVerdicts,
        reworkCycles,
        reworkCount: reworkCount(reworkCycles),
        labels: rule.checked
          ? {
              checked: true,
              expectedState,
              expected: labelCheck.expected,
              actual: labelCheck.actual,
              unexpected: labelCheck.unexpected,
              accurate: labelCheck.accurate,
            }
          : {
              checked: false,
              notCheckedReason: rule.reason,
              actual: pr.labels,
              unexpected: [],
              accurate: true,
            },
        codexReadyToOpen: codexReadyToOpenMinutes(pr, prEvents),
        conformance: pr.conformance as MergeConformance | undefined,
      });
    }
    const sync = await store.repositories.getSyncState(pullsSyncKey(repository));
    return {
      items,
      totalCount: page.totalCount,
      nextCursor: page.nextCursor,
      requiredChecks: config.requiredChecks,
      negativeTests: latestNegativeTests(
        await store.gates.listNegativeTests(repository.id),
      ),
      sync: syncInfoOf(repository, this.deps.sync, sync),
    };
  }
}
