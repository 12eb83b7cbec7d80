import { LoggerService } from '@backstage/backend-plugin-api';
import { compareAgentInstructions } from '@dual-lane/plugin-dual-lane-common';
import { createHash } from 'node:crypto';
import { DualLaneStore } from '../../database';
import { ComplianceQueries } from '../../database/ComplianceQueries';
import { DriftCheckState } from '../../database/ComplianceStore';
import {
  GithubClient,
  GithubClientFactory,
} from '../github/GithubClientFactory';

/** Files larger than this are refused rather than stored. */
const MAX_FILE_BYTES = 1024 * 1024;

export type DriftCheckOutcome = 'unchanged' | 'aligned' | 'drift' | 'failed';

interface RepositoryRef {
  id: number;
  host: string;
  owner: string;
  name: string;
  defaultBranch?: string;
}

interface FileRead {
  text?: string;
  sha?: string;
  etag?: string;
}

/** The git blob sha of a file's bytes, as `git hash-object` computes it. */
export function gitBlobSha(content: Buffer): string {
  return createHash('sha1')
    .update(`blob ${content.length}\0`)
    .update(content)
    .digest('hex');
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown })?.status;
  return typeof status === 'number' ? status : undefined;
}

function etagOf(
  headers: Record<string, unknown> | undefined,
): string | undefined {
  const etag = headers?.etag;
  return typeof etag === 'string' ? etag : undefined;
}

/**
 * The seed's WS5 drift check, run by the backend for every repository:
 * reads AGENTS.md and CLAUDE.md from the default branch and records a
 * drift incident with the lines that disagree (gate names, thresholds), or
 * resolves the repository's incidents when they agree again.
 *
 * Conditional requests keep it cheap (a 304 does not count against
 * GitHub's rate limit): the branch is read with the ETag of the last read,
 * and only when its head moved are the two files read, each with its own
 * ETag (an unchanged file answers 304 and its stored text is reused).
 */
export class DriftCheck {
  constructor(
    private readonly deps: {
      store: DualLaneStore;
      queries: ComplianceQueries;
      github: GithubClientFactory;
      logger: LoggerService;
      agentsPath: string;
      claudePath: string;
      concurrency: number;
      clock?: () => Date;
    },
  ) {}

  private now() {
    return this.deps.clock ? this.deps.clock() : new Date();
  }

  async checkAll(options: { signal?: AbortSignal } = {}) {
    const repos = await this.deps.queries.repositoriesInUse();
    const counts: Record<DriftCheckOutcome, number> = {
      unchanged: 0,
      aligned: 0,
      drift: 0,
      failed: 0,
    };
    let next = 0;
    const worker = async () => {
      while (next < repos.length && !options.signal?.aborted) {
        const repo = repos[next++];
        counts[await this.checkRepository(repo)] += 1;
      }
    };
    await Promise.all(
      Array.from(
        { length: Math.min(this.deps.concurrency, repos.length) },
        worker,
      ),
    );
    this.deps.logger.info(
      `Drift check of ${repos.length} repositories: ${counts.drift} drifting, ${
        counts.aligned
      } aligned, ${counts.unchanged} unchanged, ${counts.failed} failed${
        options.signal?.aborted ? ' (aborted)' : ''
      }`,
    );
    return counts;
  }

  async checkRepository(repo: RepositoryRef): Promise<DriftCheckOutcome> {
    const { store, logger } = this.deps;
    const state: DriftCheckState = (await store.compliance.getDriftCheck(
      repo.id,
    )) ?? {
      repositoryId: repo.id,
    };
    const slug = `${repo.host}/${repo.owner}/${repo.name}`;
    try {
      return await this.check(repo, state);
    } catch (error) {
      const message = statusOf(error)
        ? `GitHub answered ${statusOf(error)}: ${(error as Error).message}`
        : String((error as Error)?.message ?? error);
      logger.warn(`Drift check of ${slug} failed: ${message}`);
      await store.compliance.saveDriftCheck(
        { ...state, lastError: message },
        this.now(),
      );
      return 'failed';
    }
  }

  private async check(
    repo: RepositoryRef,
    state: DriftCheckState,
  ): Promise<DriftCheckOutcome> {
    const { store, github } = this.deps;
    const client = await github.forRepository(repo);
    const now = this.now();
    const branch =
      repo.defaultBranch ??
      state.defaultBranch ??
      (await this.defaultBranch(client, repo));
    const sameBranch = state.defaultBranch === branch;

    let sha: string;
    let branchEtag: string | undefined;
    try {
      const res = await client.request(
        'GET /repos/{owner}/{repo}/branches/{branch}',
        {
          owner: repo.owner,
          repo: repo.name,
          branch,
          headers:
            sameBranch && state.branchEtag
              ? { 'if-none-match': state.branchEtag }
              : {},
        },
      );
      sha = res.data.commit.sha;
      branchEtag = etagOf(res.headers as any);
    } catch (error) {
      if (statusOf(error) === 304 && state.comparedAt) {
        await store.compliance.saveDriftCheck(
          { ...state, checkedAt: now.toISOString(), lastError: undefined },
          now,
        );
        return 'unchanged';
      }
      if (statusOf(error) === 404) {
        throw new Error(`default branch '${branch}' not found`);
      }
      throw error;
    }
    if (sha === state.commitSha && sameBranch && state.comparedAt) {
      await store.compliance.saveDriftCheck(
        {
          ...state,
          branchEtag,
          checkedAt: now.toISOString(),
          lastError: undefined,
        },
        now,
      );
      return 'unchanged';
    }

    const agents = await this.readFile(
      client,
      repo,
      sha,
      this.deps.agentsPath,
      {
        text: state.agentsText,
        sha: state.agentsSha,
        etag: state.agentsEtag,
      },
    );
    const claude = await this.readFile(
      client,
      repo,
      sha,
      this.deps.claudePath,
      {
        text: state.claudeText,
        sha: state.claudeSha,
        etag: state.claudeEtag,
      },
    );
    const differences = compareAgentInstructions(agents.text, claude.text);
    if (differences.length > 0) {
      await store.compliance.recordDriftIncident(
        {
          repositoryId: repo.id,
          commitSha: sha,
          agentsSha: agents.sha,
          claudeSha: claude.sha,
          differences,
        },
        now,
      );
    } else {
      await store.compliance.resolveDriftIncidents(repo.id, now);
    }
    await store.compliance.saveDriftCheck(
      {
        repositoryId: repo.id,
        defaultBranch: branch,
        branchEtag,
        commitSha: sha,
        agentsEtag: agents.etag,
        agentsSha: agents.sha,
        agentsText: agents.text,
        claudeEtag: claude.etag,
        claudeSha: claude.sha,
        claudeText: claude.text,
        differences: differences.length,
        checkedAt: now.toISOString(),
        comparedAt: now.toISOString(),
      },
      now,
    );
    await store.compliance.markPending([repo.id], now);
    return differences.length > 0 ? 'drift' : 'aligned';
  }

  private async defaultBranch(client: GithubClient, repo: RepositoryRef) {
    const { data } = await client.request('GET /repos/{owner}/{repo}', {
      owner: repo.owner,
      repo: repo.name,
    });
    return data.default_branch;
  }

  /** Reads a file at a commit; a 304 reuses what was stored, a 404 is absent. */
  private async readFile(
    client: GithubClient,
    repo: RepositoryRef,
    ref: string,
    path: string,
    stored: FileRead,
  ): Promise<FileRead> {
    try {
      const res = await client.request(
        'GET /repos/{owner}/{repo}/contents/{path}',
        {
          owner: repo.owner,
          repo: repo.name,
          path,
          ref,
          headers: {
            accept: 'application/vnd.github.raw+json',
            ...(stored.etag && stored.text !== undefined
              ? { 'if-none-match': stored.etag }
              : {}),
          },
        },
      );
      const data = res.data as unknown;
      let bytes: Buffer;
      // Octokit hands text back for `charset=utf-8` responses, bytes otherwise.
      if (typeof data === 'string') bytes = Buffer.from(data, 'utf8');
      else if (
        Object.prototype.toString.call(data) === '[object ArrayBuffer]'
      ) {
        bytes = Buffer.from(data as ArrayBuffer);
      } else throw new Error(`${path} is not a file`);
      if (bytes.length > MAX_FILE_BYTES) {
        throw new Error(`${path} is larger than ${MAX_FILE_BYTES} bytes`);
      }
      return {
        text: bytes.toString('utf8'),
        sha: gitBlobSha(bytes),
        etag: etagOf(res.headers as any),
      };
    } catch (error) {
      if (statusOf(error) === 304) return stored;
      if (statusOf(error) === 404) return {};
      throw error;
    }
  }
}
