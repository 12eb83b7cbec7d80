import {
  IngestNegativeTest,
  IngestNegativeTestsResponse,
} from '@dual-lane/plugin-dual-lane-common';
import { DualLaneStore, NegativeTestInput } from '../../database';
import { IngestAuthorization, IngestPrincipal } from './IngestAuthorization';
import { repositoryKey } from './ingestRepositories';

/**
 * Stores negative-test observations pushed by systems outside GitHub, such
 * as an admission controller reporting the bad inputs it denied in a
 * cluster. The batch is checked whole before anything is written: every
 * repository must be one a catalog entity points at and the caller may
 * write, every environment one it may report for (`production` only with an
 * explicit grant; see `IngestAuthorization`).
 */
export class NegativeTestIngest {
  constructor(
    private readonly deps: {
      store: DualLaneStore;
      defaultHost: string;
      authorization: IngestAuthorization;
      clock?: () => Date;
    },
  ) {}

  async ingest(
    results: IngestNegativeTest[],
    caller: IngestPrincipal,
  ): Promise<IngestNegativeTestsResponse> {
    const { store, defaultHost, authorization } = this.deps;
    authorization.environments(caller, results, 'results');
    const repos = await authorization.repositories(caller, results, 'results');
    const receivedAt = (this.deps.clock?.() ?? new Date()).toISOString();
    const inputs: NegativeTestInput[] = results.map(r => ({
      repositoryId: repos.get(repositoryKey(r.repository, defaultHost))!.id,
      testName: r.testName,
      environment: r.environment,
      commitSha: r.commitSha.toLowerCase(),
      blocked: r.blocked,
      evidenceUrl: r.evidenceUrl,
      observedAt: r.observedAt ?? receivedAt,
    }));
    await store.gates.upsertNegativeTests(inputs);
    return { accepted: inputs.length };
  }
}
