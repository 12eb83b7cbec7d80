import { Entity } from '@backstage/catalog-model';
import { GITHUB_PROJECT_SLUG_ANNOTATION } from '@dual-lane/plugin-dual-lane-common';

/**
 * Whether an entity takes part in dual-lane: it has the
 * `github.com/project-slug` annotation. Use it to show the dual-lane tabs
 * and card only where they have data, e.g.
 * `<EntityLayout.Route path="/gates" title="Gates" if={isDualLaneAvailable}>`.
 *
 * @public
 */
export function isDualLaneAvailable(entity: Entity): boolean {
  return Boolean(
    entity.metadata.annotations?.[GITHUB_PROJECT_SLUG_ANNOTATION]?.trim(),
  );
}
