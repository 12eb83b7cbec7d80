import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { DualLaneStore } from '../../database';
import { GroupHierarchy } from '../../database/ComplianceStore';

/** The parent of a group: its `childOf` relation, else `spec.parent`. */
export function parentOf(group: Entity): string | undefined {
  const relation = group.relations?.find(
    r =>
      r.type === 'childOf' &&
      parseEntityRef(r.targetRef).kind.toLowerCase() === 'group',
  );
  if (relation) return relation.targetRef.toLowerCase();
  const parent = (group.spec as { parent?: unknown } | undefined)?.parent;
  if (typeof parent !== 'string' || !parent.trim()) return undefined;
  try {
    const ref = parseEntityRef(parent.trim(), {
      defaultKind: 'group',
      defaultNamespace: group.metadata.namespace ?? 'default',
    });
    // A group's parent is a group; anything else is a catalog error.
    return ref.kind.toLowerCase() === 'group'
      ? stringifyEntityRef(ref).toLowerCase()
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The transitive closure of a parent map: every (ancestor, descendant)
 * pair with its distance, each group its own ancestor at depth 0. A cycle
 * (possible while the catalog is being edited) is cut where it closes.
 */
export function closureOf(
  parents: Map<string, string | undefined>,
): GroupHierarchy['closure'] {
  const closure: GroupHierarchy['closure'] = [];
  for (const group of parents.keys()) {
    const seen = new Set<string>();
    let current: string | undefined = group;
    let depth = 0;
    while (current && !seen.has(current)) {
      seen.add(current);
      closure.push({ ancestorRef: current, descendantRef: group, depth });
      current = parents.get(current);
      depth += 1;
    }
  }
  return closure;
}

/**
 * Mirrors the catalog's group hierarchy (kind Group, `spec.parent` /
 * `childOf`) with its transitive closure, so that owner rollups and owner
 * filters include entities owned by nested groups.
 */
export class GroupHierarchySync {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      store: DualLaneStore;
      logger: LoggerService;
    },
  ) {}

  async sync(): Promise<{ groups: number; pairs: number }> {
    const { catalog, auth, store, logger } = this.deps;
    const credentials = await auth.getOwnServiceCredentials();
    const parents = new Map<string, string | undefined>();
    for await (const page of catalog.streamEntities(
      {
        filter: { kind: 'Group' },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'spec.parent',
          'relations',
        ],
      },
      { credentials },
    )) {
      for (const group of page) {
        parents.set(stringifyEntityRef(group).toLowerCase(), parentOf(group));
      }
    }
    const hierarchy: GroupHierarchy = {
      groups: [...parents].map(([groupRef, parentRef]) => ({
        groupRef,
        parentRef,
      })),
      closure: closureOf(parents),
    };
    await store.compliance.replaceGroupHierarchy(hierarchy);
    logger.info(
      `Group hierarchy: ${hierarchy.groups.length} groups, ${hierarchy.closure.length} ancestor pairs`,
    );
    return { groups: hierarchy.groups.length, pairs: hierarchy.closure.length };
  }
}
