import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DualLaneEntity,
  DualLaneEntityPermission,
  GITHUB_PROJECT_SLUG_ANNOTATION,
  Repository,
} from '@dual-lane/plugin-dual-lane-common';
import { DualLaneStore } from '../database';
import { CatalogEntitySync } from './CatalogEntitySync';

export interface AccessibleEntity {
  entity: DualLaneEntity;
  repository: Repository;
}

/**
 * Resolves `:kind/:namespace/:name` for a request: the caller must be able
 * to see the entity in the catalog and be granted the given dual-lane
 * permission on it. An entity the catalog has but the plugin has not synced
 * yet is mirrored on the spot, so its pages answer empty instead of 404.
 */
export class EntityAccess {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      permissions: PermissionsService;
      store: DualLaneStore;
      catalogSync: CatalogEntitySync;
    },
  ) {}

  async resolve(
    ref: CompoundEntityRef,
    permission: DualLaneEntityPermission,
    credentials: BackstageCredentials,
  ): Promise<AccessibleEntity> {
    const entityRef = stringifyEntityRef(ref).toLowerCase();
    const [decision] = await this.deps.permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed to ${permission.attributes.action ?? 'use'} ${entityRef} (${permission.name})`,
      );
    }
    const catalogEntity = await this.deps.catalog.getEntityByRef(ref, {
      credentials,
    });
    if (!catalogEntity) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    if (!catalogEntity.metadata.annotations?.[GITHUB_PROJECT_SLUG_ANNOTATION]) {
      throw new NotFoundError(
        `Entity ${entityRef} has no ${GITHUB_PROJECT_SLUG_ANNOTATION} annotation, so it does not take part in dual-lane`,
      );
    }
    let entity = await this.deps.store.repositories.getEntity(entityRef);
    if (!entity) {
      const result = await this.deps.catalogSync.upsert([catalogEntity]);
      if (result.rejected.length > 0) {
        throw new InputError(`Entity ${entityRef}: ${result.rejected[0].reason}`);
      }
      entity = await this.deps.store.repositories.getEntity(entityRef);
    }
    const repository =
      entity?.repositoryId !== undefined
        ? await this.deps.store.repositories.getRepository(entity.repositoryId)
        : undefined;
    if (!entity || !repository) {
      throw new NotFoundError(`Entity ${entityRef} has no repository`);
    }
    return { entity, repository };
  }
}
