import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  contextMatches,
  GateDefinition,
  IngestGateRun,
  IngestGateRunsResponse,
  Repository,
} from '@dual-lane/plugin-dual-lane-common';
import { GateRunInput } from '../../database';
import { repositoryKey, resolveIngestRepositories } from './ingestRepositories';
import { GateSyncDeps } from './syncDeps';

function principalOf(credentials: BackstageCredentials): string {
  const p = credentials.principal as { type?: string; subject?: string };
  return p.subject ?? p.type ?? 'unknown';
}

/**
 * Stores gate runs pushed by CI systems that are not GitHub. The batch is
 * checked whole before anything is written: every repository must be one a
 * catalog entity points at, every gate a configured one.
 */
export class GateRunIngest {
  constructor(
    private readonly deps: Pick<
      GateSyncDeps,
      'store' | 'config' | 'derived'
    > & { defaultHost: string },
  ) {}

  private gateOf(run: IngestGateRun, index: number): { gate: GateDefinition; checkName: string } {
    const gate = this.deps.config.requiredChecks.find(
      g => g.name === run.gate || g.context === run.gate,
    );
    if (!gate) {
      throw new InputError(
        `runs[${index}].gate: '${run.gate}' is not a configured gate; expected one of ${this.deps.config.requiredChecks
          .map(g => `'${g.name}'`)
          .join(', ')}`,
      );
    }
    const checkName =
      run.checkName ?? (gate.context.includes('*') ? undefined : gate.context);
    if (!checkName) {
      throw new InputError(
        `runs[${index}].checkName: required for gate '${gate.name}', whose context '${gate.context}' has a wildcard`,
      );
    }
    if (!contextMatches(gate.context, checkName)) {
      throw new InputError(
        `runs[${index}].checkName: '${checkName}' does not match the context '${gate.context}' of gate '${gate.name}'`,
      );
    }
    return { gate, checkName };
  }

  async ingest(
    runs: IngestGateRun[],
    credentials: BackstageCredentials,
  ): Promise<IngestGateRunsResponse> {
    const { store } = this.deps;
    const gates = runs.map((run, i) => this.gateOf(run, i));
    const repos = await resolveIngestRepositories(
      store,
      this.deps.defaultHost,
      runs,
      'runs',
    );
    const reporter = `ingest:${principalOf(credentials)}`;
    const inputs: GateRunInput[] = [];
    const touched = new Map<number, { repo: Repository; numbers: Set<number> }>();
    let linked = 0;
    for (const [i, run] of runs.entries()) {
      const repo = repos.get(
        repositoryKey(run.repository, this.deps.defaultHost),
      )!;
      let pr: { id: number; number: number } | undefined;
      if (run.pullRequest !== undefined) {
        pr = await store.gates.getPullRequest(repo.id, run.pullRequest);
      } else {
        const sha = run.headSha.toLowerCase();
        pr = (await store.gates.pullRequestsAtCommit(repo.id, sha)).find(
          p => p.headSha === sha,
        );
      }
      if (pr) {
        linked += 1;
        const entry = touched.get(repo.id) ?? { repo, numbers: new Set() };
        entry.numbers.add(pr.number);
        touched.set(repo.id, entry);
      }
      inputs.push({
        repositoryId: repo.id,
        pullRequestId: pr?.id,
        source: 'ingest',
        externalId: run.externalId,
        gateName: gates[i].gate.name,
        checkName: gates[i].checkName,
        headSha: run.headSha.toLowerCase(),
        status: run.status,
        conclusion: run.conclusion,
        appSlug: reporter,
        detailsUrl: run.detailsUrl,
        policyDigest: run.policyDigest,
        startedAt: run.startedAt,
        completedAt: run.completedAt,
      });
    }
    await store.gates.upsertGateRuns(inputs);
    for (const { repo, numbers } of touched.values()) {
      await this.deps.derived.update(repo, [...numbers]);
    }
    return { accepted: inputs.length, linkedToPullRequests: linked };
  }
}
