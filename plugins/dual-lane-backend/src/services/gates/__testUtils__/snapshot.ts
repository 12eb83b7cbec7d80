import { DualLaneStore } from '../../../database';

/**
 * Everything stored about a repository's pull requests, without the
 * columns that record when a row was written, for comparing the results of
 * different write paths.
 */
export async function snapshotRepository(store: DualLaneStore, repositoryId: number) {
  const page = await store.gates.listPullRequests({ repositoryIds: [repositoryId], limit: 1000 });
  const ids = page.items.map(p => p.id);
  const byId = new Map(page.items.map(p => [p.id, p.number]));
  const num = (id?: number) => (id === undefined ? undefined : byId.get(id));
  const runs = await store.gates.listGateRuns({ repositoryId });
  return {
    pullRequests: page.items
      .map(({ id: _id, conformance, ...pr }) => ({
        ...pr,
        conformance: conformance
          ? { ...(conformance as object), evaluatedAt: undefined }
          : undefined,
      }))
      .sort((a, b) => a.number - b.number),
    gateRuns: runs
      .map(({ id: _id, updatedAt: _u, pullRequestId, ...r }) => ({ ...r, pr: num(pullRequestId) }))
      .sort((a, b) => a.externalId.localeCompare(b.externalId)),
    laneEvents: (await store.gates.listLaneEvents({ repositoryId }))
      .map(({ id: _id, pullRequestId, ...e }) => ({ ...e, pr: num(pullRequestId) }))
      .sort((a, b) => `${a.commitSha}${a.kind}`.localeCompare(`${b.commitSha}${b.kind}`)),
    verdicts: (await store.gates.listVerdicts(ids))
      .map(({ id: _id, pullRequestId, ...v }) => ({ ...v, pr: num(pullRequestId) }))
      .sort((a, b) => `${a.source}${a.externalId}`.localeCompare(`${b.source}${b.externalId}`)),
    reworkCycles: (await store.gates.listReworkCycles(ids)).map(({ pullRequestId, ...c }) => ({
      ...c,
      pr: num(pullRequestId),
    })),
    negativeTests: (await store.gates.listNegativeTests(repositoryId))
      .map(({ id: _id, pullRequestId, ...t }) => ({ ...t, pr: num(pullRequestId) }))
      .sort((a, b) => `${a.commitSha}${a.testName}`.localeCompare(`${b.commitSha}${b.testName}`)),
  };
}
