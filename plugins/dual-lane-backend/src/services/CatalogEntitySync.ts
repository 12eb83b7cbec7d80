import {
  AuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { GITHUB_PROJECT_SLUG_ANNOTATION } from '@dual-lane/plugin-dual-lane-common';
import { DualLaneStore } from '../database';
import {
  entityInputOf,
  repositoryInputOf,
  repositoryKey,
  repositoryOfEntity,
} from './catalogEntities';

export interface CatalogSyncResult {
  entities: number;
  repositories: number;
  removed: number;
  /** Entities skipped because of a malformed annotation, with the reason. */
  rejected: Array<{ entityRef: string; reason: string }>;
  /** Refs of the entities stored. */
  entityRefs: string[];
}

/**
 * Mirrors the catalog entities that take part in dual-lane (those with
 * `github.com/project-slug`) into the plugin's database, with their owner,
 * system and repository, so that list endpoints can filter and join in SQL.
 */
export class CatalogEntitySync {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      store: DualLaneStore;
      integrations: ScmIntegrationRegistry;
      logger: LoggerService;
    },
  ) {}

  async syncAll(): Promise<CatalogSyncResult> {
    const { catalog, auth, logger } = this.deps;
    const credentials = await auth.getOwnServiceCredentials();
    const entities: Entity[] = [];
    for await (const page of catalog.streamEntities(
      {
        filter: {
          [`metadata.annotations.${GITHUB_PROJECT_SLUG_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
        fields: ['kind', 'metadata', 'relations'],
      },
      { credentials },
    )) {
      entities.push(...page);
    }
    const result = await this.upsert(entities);
    result.removed = await this.deps.store.repositories.deleteEntitiesExcept(
      result.entityRefs,
    );
    logger.info(
      `Catalog sync: ${result.entities} dual-lane entities on ${result.repositories} repositories, ${result.removed} removed, ${result.rejected.length} rejected`,
    );
    return result;
  }

  /** Upserts the given catalog entities and their repositories. */
  async upsert(entities: Entity[]): Promise<CatalogSyncResult> {
    const { store, integrations, logger } = this.deps;
    const rejected: CatalogSyncResult['rejected'] = [];
    const accepted: Array<{ entity: Entity; key: string }> = [];
    const repos = new Map<string, ReturnType<typeof repositoryInputOf>>();
    for (const entity of entities) {
      const repo = repositoryOfEntity(entity, integrations);
      if (!repo) continue;
      if ('error' in repo) {
        const entityRef = stringifyEntityRef(entity);
        rejected.push({ entityRef, reason: repo.error });
        logger.warn(`Skipping ${entityRef}: ${repo.error}`);
        continue;
      }
      const key = repositoryKey(repo);
      repos.set(key, repositoryInputOf(repo));
      accepted.push({ entity, key });
    }
    const ids = await store.repositories.upsertRepositories([...repos.values()]);
    await store.repositories.upsertEntities(
      accepted.map(({ entity, key }) => entityInputOf(entity, ids.get(key))),
    );
    return {
      entities: accepted.length,
      repositories: repos.size,
      removed: 0,
      rejected,
      entityRefs: accepted.map(a => stringifyEntityRef(a.entity)),
    };
  }
}
