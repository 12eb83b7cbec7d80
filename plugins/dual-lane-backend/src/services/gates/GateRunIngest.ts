import { InputError } from '@backstage/errors';
import {
  contextMatches,
  GateDefinition,
  IngestGateRun,
  IngestGateRunsResponse,
  Repository,
} from '@dual-lane/plugin-dual-lane-common';
import { GateRunInput } from '../../database';
import { IngestAuthorization, IngestPrincipal } from './IngestAuthorization';
import { repositoryKey } from './ingestRepositories';
import { GateSyncDeps } from './syncDeps';

/**
 * Stores gate runs pushed by CI systems that are not GitHub. The batch is
 * checked whole before anything is written: every gate must be a configured
 * one, every repository one a catalog entity points at and the caller may
 * write (see `IngestAuthorization`). Runs are keyed by the caller (source
 * `ingest:<subject>`), so one CI system's `externalId` never overwrites
 * another's run.
 */
export class GateRunIngest {
  constructor(
    private readonly deps: Pick<
      GateSyncDeps,
      'store' | 'config' | 'derived'
    > & { defaultHost: string; authorization: IngestAuthorization },
  ) {}

  private gateOf(
    run: IngestGateRun,
    index: number,
  ): { gate: GateDefinition; checkName: string } {
    const gate = this.deps.config.requiredChecks.find(
      g => g.name === run.gate || g.context === run.gate,
    );
    if (!gate) {
      throw new InputError(
        `runs[${index}].gate: '${
          run.gate
        }' is not a configured gate; expected one of ${this.deps.config.requiredChecks
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
    caller: IngestPrincipal,
  ): Promise<IngestGateRunsResponse> {
    const { store } = this.deps;
    const gates = runs.map((run, i) => this.gateOf(run, i));
    const repos = await this.deps.authorization.repositories(
      caller,
      runs,
      'runs',
    );
    const reporter = ingestSourceOf(caller.subject);
    const inputs: GateRunInput[] = [];
    const touched = new Map<
      number,
      { repo: Repository; numbers: Set<number> }
    >();
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
        source: reporter,
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

/** The source (and reporting app) of runs a caller ingests: `ingest:<subject>`. */
export function ingestSourceOf(subject: string): `ingest:${string}` {
  return `ingest:${subject}`;
}
