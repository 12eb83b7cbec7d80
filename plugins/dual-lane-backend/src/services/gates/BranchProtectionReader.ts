import {
  BranchProtectionFacts,
  ProtectionRequirement,
  Repository,
} from '@dual-lane/plugin-dual-lane-common';
import { DualLaneStore } from '../../database';
import { GithubRequests, isRateLimited, statusOf } from './githubRequests';

/** How long a read of branch protection is reused by the scheduled sync. */
export const PROTECTION_MAX_AGE_MS = 60 * 60 * 1000;

type SourceState =
  | { status: 'ok'; requirements: ProtectionRequirement[] }
  | { status: 'none' }
  | { status: 'unreadable'; reason: string };

interface CachedProtection {
  protection?: SourceState;
  protectionEtag?: string;
  rules?: SourceState;
  rulesEtag?: string;
}

interface ProtectionResponse {
  contexts?: string[];
  checks?: Array<{ context: string; app_id?: number | null }>;
}

interface BranchRule {
  type: string;
  parameters?: {
    required_status_checks?: Array<{
      context: string;
      integration_id?: number | null;
    }>;
  };
}

function appIdOf(id: number | null | undefined) {
  return typeof id === 'number' && id > 0 ? id : undefined;
}

function factsOf(cached: CachedProtection): BranchProtectionFacts {
  const sources: BranchProtectionFacts['sources'] = [];
  const requirements: ProtectionRequirement[] = [];
  const reasons: string[] = [];
  for (const [source, state] of [
    ['branch-protection', cached.protection],
    ['ruleset', cached.rules],
  ] as const) {
    if (!state) continue;
    if (state.status === 'unreadable') {
      reasons.push(state.reason);
      continue;
    }
    sources.push(source);
    if (state.status === 'ok') requirements.push(...state.requirements);
  }
  return {
    readable: sources.length > 0,
    sources,
    requirements,
    unreadableReason: reasons.length ? reasons.join('; ') : undefined,
  };
}

/**
 * Reads which status checks a branch requires, from classic branch
 * protection and from repository/organisation rulesets, with conditional
 * requests whose ETags and results are kept in `sync_state`. A 404 means
 * "not protected"; a 403 (no admin read, or a plan without protection on
 * private repositories) makes that source unreadable.
 */
export class BranchProtectionReader {
  constructor(private readonly store: DualLaneStore) {}

  private key(repo: Pick<Repository, 'host' | 'owner' | 'name'>, branch: string) {
    return `github:protection:${repo.host}/${repo.owner}/${repo.name}:${branch}`.toLowerCase();
  }

  /** What was last read, without a request; undefined if never read. */
  async cached(
    repo: Pick<Repository, 'host' | 'owner' | 'name'>,
    branch: string,
  ): Promise<BranchProtectionFacts | undefined> {
    const state = await this.store.repositories.getSyncState(
      this.key(repo, branch),
    );
    return state?.data ? factsOf(state.data as CachedProtection) : undefined;
  }

  /**
   * Reads the protection of a branch, unless it was read less than
   * `maxAgeMs` ago (protection rarely changes; the conditional requests
   * would be 304s anyway).
   */
  async read(
    req: GithubRequests,
    repo: Pick<Repository, 'host' | 'owner' | 'name'>,
    branch: string,
    options: { maxAgeMs?: number; now?: Date } = {},
  ): Promise<BranchProtectionFacts> {
    const key = this.key(repo, branch);
    const state = await this.store.repositories.getSyncState(key);
    const previous = (state?.data ?? {}) as CachedProtection;
    const now = options.now ?? new Date();
    if (
      state?.data &&
      state.lastSyncedAt &&
      options.maxAgeMs !== undefined &&
      now.getTime() - Date.parse(state.lastSyncedAt) < options.maxAgeMs
    ) {
      return factsOf(previous);
    }
    const next: CachedProtection = { ...previous };
    const params = { owner: repo.owner, repo: repo.name, branch };

    try {
      const res = await req.get<ProtectionResponse>(
        'GET /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks',
        params,
        previous.protection ? previous.protectionEtag : undefined,
      );
      if (!res.notModified) {
        const checks =
          res.data?.checks ??
          (res.data?.contexts ?? []).map(context => ({ context, app_id: null }));
        next.protection = {
          status: 'ok',
          requirements: checks.map(c => ({
            context: c.context,
            appId: appIdOf(c.app_id),
            source: 'branch-protection',
          })),
        };
        next.protectionEtag = res.etag;
      }
    } catch (error) {
      next.protection = this.failed(error, 'branch protection');
      next.protectionEtag = undefined;
    }

    try {
      const res = await req.get<BranchRule[]>(
        'GET /repos/{owner}/{repo}/rules/branches/{branch}',
        { ...params, per_page: 100 },
        previous.rules ? previous.rulesEtag : undefined,
      );
      if (!res.notModified) {
        const requirements = (res.data ?? [])
          .filter(r => r.type === 'required_status_checks')
          .flatMap(r => r.parameters?.required_status_checks ?? [])
          .map(c => ({
            context: c.context,
            appId: appIdOf(c.integration_id),
            source: 'ruleset' as const,
          }));
        next.rules = { status: 'ok', requirements };
        next.rulesEtag = res.etag;
      }
    } catch (error) {
      next.rules = this.failed(error, 'rulesets');
      next.rulesEtag = undefined;
    }

    await this.store.repositories.setSyncState({
      key,
      data: next,
      lastSyncedAt: now.toISOString(),
    });
    return factsOf(next);
  }

  private failed(error: unknown, what: string): SourceState {
    const status = statusOf(error);
    if (isRateLimited(error)) throw error;
    if (status === 404) return { status: 'none' };
    if (status === 403 || status === 401) {
      return { status: 'unreadable', reason: `${status} on ${what}` };
    }
    throw error;
  }
}
