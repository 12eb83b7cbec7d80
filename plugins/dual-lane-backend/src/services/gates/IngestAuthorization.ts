import {
  BackstageCredentials,
  BackstageServicePrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  dualLaneIngestPermission,
  NegativeTestEnvironment,
  Repository,
} from '@dual-lane/plugin-dual-lane-common';
import { DualLaneStore } from '../../database';
import {
  DEFAULT_INGEST_ENVIRONMENTS,
  IngestCaller,
  IngestConfig,
  patternMatches,
} from './ingestConfig';
import { repositoryKey } from './ingestRepositories';

/** An authenticated ingest caller and what config grants it. */
export interface IngestPrincipal {
  credentials: BackstageCredentials<BackstageServicePrincipal>;
  subject: string;
  grant: IngestCaller;
}

/** `runs[3].repository`, or just `repository` for a single item. */
function itemField(field: string, index: number, name: string) {
  return field ? `${field}[${index}].${name}` : name;
}

/** The grant of any caller while `dualLane.ingest.callers` is not set (development). */
function openGrant(subject: string): IngestCaller {
  return {
    subject,
    repositories: [{ host: '*', owner: '*', name: '*' }],
    negativeTestEnvironments: DEFAULT_INGEST_ENVIRONMENTS,
  };
}

/**
 * Decides what a CI system may push through `POST /ingest/...`, per
 * repository, in two layers that must both allow it:
 *
 * 1. `dualLane.ingest.callers` names the service principal (a static
 *    token's `external:<subject>` or `plugin:<id>`) with the repositories
 *    and negative-test environments it may write; a caller not listed may
 *    not ingest at all, and `production` negative tests need an explicit
 *    grant. Permission policies cannot tell static tokens apart (they see
 *    no user), so this is where one CI system is kept out of another's
 *    repositories. Without the key, outside production, any service caller
 *    may write any repository (still subject to 2.) but never `production`
 *    negative tests; in production (NODE_ENV) no one may.
 * 2. The permission policy's decision on `dual-lane.ingest` for every
 *    catalog entity pointing at each repository (a resource permission of
 *    `dual-lane-entity`), since what is written counts for each of them.
 *
 * Repositories must be ones a catalog entity points at now.
 */
export class IngestAuthorization {
  constructor(
    private readonly deps: {
      config: IngestConfig;
      permissions: PermissionsService;
      store: DualLaneStore;
      defaultHost: string;
      /** NODE_ENV is production: no caller may ingest unless listed. */
      production: boolean;
    },
  ) {}

  /** What to log at startup about who may ingest. */
  startupNote(): { level: 'info' | 'warn'; message: string } {
    const { callers } = this.deps.config;
    if (callers) {
      return {
        level: 'info',
        message: `Ingest is open to ${
          callers.length
        } caller(s) of dualLane.ingest.callers${
          callers.length ? `: ${callers.map(c => c.subject).join(', ')}` : ''
        }`,
      };
    }
    return {
      level: 'warn',
      message: this.deps.production
        ? 'dualLane.ingest.callers is not set: POST /ingest/gate-runs, /ingest/negative-tests and /ingest/artifacts refuse every caller. List each CI system with its repositories.'
        : 'dualLane.ingest.callers is not set: any service caller granted dual-lane.ingest may push gate runs, artifacts and ci/staging negative tests for any repository (development only; in production every caller must be listed)',
    };
  }

  /** The caller's grant; refuses callers `dualLane.ingest.callers` does not list. */
  caller(
    credentials: BackstageCredentials<BackstageServicePrincipal>,
  ): IngestPrincipal {
    const subject = credentials.principal.subject;
    const { callers } = this.deps.config;
    if (!callers) {
      if (this.deps.production) {
        throw new NotAllowedError(
          `${subject} may not ingest into dual-lane: dualLane.ingest.callers is not configured, and in production every caller must be listed there`,
        );
      }
      return { credentials, subject, grant: openGrant(subject) };
    }
    const grant = callers.find(c => c.subject === subject);
    if (!grant) {
      throw new NotAllowedError(
        `${subject} may not ingest into dual-lane: it is not listed in dualLane.ingest.callers`,
      );
    }
    return { credentials, subject, grant };
  }

  /**
   * The repositories a batch names, keyed by `host/owner/repo`, once the
   * caller may write every one of them (`field` names the batch's list in
   * messages, e.g. `runs`; empty for a single item). The whole batch is
   * refused otherwise, naming each offending item: 403 for a repository not
   * granted or an entity the policy denies, 404 for one no entity points at.
   */
  async repositories(
    caller: IngestPrincipal,
    items: Array<{ repository: string }>,
    field: string,
  ): Promise<Map<string, Repository>> {
    const { defaultHost, store } = this.deps;
    const keys = items.map(i => repositoryKey(i.repository, defaultHost));

    const notGranted = items.flatMap((item, i) =>
      caller.grant.repositories.some(p =>
        patternMatches(p, keys[i], defaultHost),
      )
        ? []
        : [`${itemField(field, i, 'repository')} '${item.repository}'`],
    );
    if (notGranted.length > 0) {
      throw new NotAllowedError(
        `${caller.subject} may not ingest into ${notGranted.join(
          ', ',
        )}: not among its repositories in dualLane.ingest.callers. Nothing was stored.`,
      );
    }

    const repos = new Map<string, Repository>();
    const unknown: string[] = [];
    const missing = new Set<string>();
    for (const [i, key] of keys.entries()) {
      if (repos.has(key)) continue;
      if (!missing.has(key)) {
        const [host, owner, name] = key.split('/');
        const repo = await store.repositories.findRepositoryInUse(
          host,
          owner,
          name,
        );
        if (repo) {
          repos.set(key, repo);
          continue;
        }
        missing.add(key);
      }
      unknown.push(
        `${itemField(field, i, 'repository')} '${items[i].repository}'`,
      );
    }
    if (unknown.length > 0) {
      throw new NotFoundError(
        `Unknown repository: ${unknown.join(
          ', ',
        )}; no catalog entity points at it with github.com/project-slug (host ${defaultHost} unless given as host/owner/repo). Nothing was stored.`,
      );
    }

    await this.authorizeEntities(caller, [...repos.values()]);
    return repos;
  }

  /** Refuses negative tests for environments the caller is not granted. */
  environments(
    caller: IngestPrincipal,
    items: Array<{ environment: NegativeTestEnvironment }>,
    field: string,
  ) {
    const allowed = caller.grant.negativeTestEnvironments;
    const refused = items.flatMap((item, i) =>
      allowed.includes(item.environment)
        ? []
        : [`${itemField(field, i, 'environment')} '${item.environment}'`],
    );
    if (refused.length > 0) {
      throw new NotAllowedError(
        `${caller.subject} may not report negative tests for ${refused.join(
          ', ',
        )}: it may report for ${allowed.join(
          ', ',
        )} (dualLane.ingest.callers[].negativeTestEnvironments). Nothing was stored.`,
      );
    }
  }

  private async authorizeEntities(
    caller: IngestPrincipal,
    repos: Repository[],
  ) {
    const refs = await this.deps.store.repositories.entityRefsOfRepositories(
      repos.map(r => r.id),
    );
    // An entity may have left the catalog since the repository was looked
    // up: without an entity there is no decision to ask for, so refuse.
    const orphaned = repos.filter(repo => !refs.get(repo.id)?.length);
    if (orphaned.length > 0) {
      throw new NotFoundError(
        `Unknown repository: ${orphaned
          .map(r => `${r.host}/${r.owner}/${r.name}`)
          .join(
            ', ',
          )}; no catalog entity points at it any more. Nothing was stored.`,
      );
    }
    const requests = repos.flatMap(repo =>
      refs.get(repo.id)!.map(ref => ({ repo, ref })),
    );
    const decisions = await this.deps.permissions.authorize(
      requests.map(r => ({
        permission: dualLaneIngestPermission,
        resourceRef: r.ref,
      })),
      { credentials: caller.credentials },
    );
    const denied = requests.filter(
      (_, i) => decisions[i].result !== AuthorizeResult.ALLOW,
    );
    if (denied.length > 0) {
      throw new NotAllowedError(
        `Not allowed to ingest into ${denied
          .map(
            d =>
              `${d.repo.host}/${d.repo.owner}/${d.repo.name} (${dualLaneIngestPermission.name} on ${d.ref})`,
          )
          .join(', ')}. Nothing was stored.`,
      );
    }
  }
}
