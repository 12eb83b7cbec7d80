import { Entity, parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ScmIntegrationRegistry } from '@backstage/integration';
import {
  DUAL_LANE_ANNOTATION_PREFIX,
  GITHUB_PROJECT_SLUG_ANNOTATION,
} from '@dual-lane/plugin-dual-lane-common';
import { EntityInput, RepositoryInput } from '../database';

const SLUG = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/;

/** The repository an entity points at, parsed from its annotations. */
export interface EntityRepository {
  host: string;
  owner: string;
  name: string;
}

/**
 * Reads `github.com/project-slug` (`owner/repo`). The host is the GitHub
 * integration matching the entity's source location, so GitHub Enterprise
 * entities resolve to their own host; github.com otherwise. Returns an
 * error message for a malformed slug instead of throwing, so one bad entity
 * does not stop a sync.
 */
export function repositoryOfEntity(
  entity: Entity,
  integrations: ScmIntegrationRegistry,
): EntityRepository | { error: string } | undefined {
  const slug = entity.metadata.annotations?.[GITHUB_PROJECT_SLUG_ANNOTATION];
  if (slug === undefined) {
    return undefined;
  }
  const match = SLUG.exec(slug.trim());
  if (!match) {
    return {
      error: `annotation ${GITHUB_PROJECT_SLUG_ANNOTATION} must be 'owner/repo', got '${slug}'`,
    };
  }
  return { host: hostOfEntity(entity, integrations), owner: match[1], name: match[2] };
}

function hostOfEntity(entity: Entity, integrations: ScmIntegrationRegistry) {
  const annotations = entity.metadata.annotations ?? {};
  for (const key of ['backstage.io/source-location', 'backstage.io/managed-by-location']) {
    const value = annotations[key];
    const url = value?.replace(/^url:/, '');
    if (!url || !/^https?:\/\//.test(url)) continue;
    const integration = integrations.github.byUrl(url);
    if (integration) return integration.config.host;
  }
  return 'github.com';
}

function relationTarget(entity: Entity, type: string, kind?: string) {
  return entity.relations?.find(
    r => r.type === type && (!kind || parseEntityRef(r.targetRef).kind === kind),
  )?.targetRef;
}

/** The entity row stored for a catalog entity (without its repository id). */
export function entityInputOf(
  entity: Entity,
  repositoryId: number | undefined,
): EntityInput {
  const annotations = Object.fromEntries(
    Object.entries(entity.metadata.annotations ?? {}).filter(([k]) =>
      k.startsWith(DUAL_LANE_ANNOTATION_PREFIX),
    ),
  );
  return {
    entityRef: stringifyEntityRef(entity),
    kind: entity.kind,
    namespace: entity.metadata.namespace ?? 'default',
    name: entity.metadata.name,
    title: entity.metadata.title,
    ownerRef: relationTarget(entity, 'ownedBy'),
    systemRef: relationTarget(entity, 'partOf', 'system'),
    repositoryId,
    annotations,
  };
}

export function repositoryInputOf(repo: EntityRepository): RepositoryInput {
  return { host: repo.host, owner: repo.owner, name: repo.name };
}

export function repositoryKey(repo: EntityRepository) {
  return `${repo.host}/${repo.owner}/${repo.name}`.toLowerCase();
}
