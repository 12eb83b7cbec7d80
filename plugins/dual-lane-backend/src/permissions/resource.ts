import { createPermissionResourceRef } from '@backstage/plugin-permission-node';
import {
  DualLaneEntity,
  RESOURCE_TYPE_DUAL_LANE_ENTITY,
} from '@dual-lane/plugin-dual-lane-common';

/** Columns of the `entities` table a permission rule may filter on. */
export type EntityFilterColumn = 'entity_ref' | 'kind' | 'owner_ref' | 'system_ref';

/** A permission rule as a SQL filter: the column is one of the values. */
export interface EntityFilter {
  column: EntityFilterColumn;
  values: string[];
}

export const dualLaneEntityResourceRef = createPermissionResourceRef<
  DualLaneEntity,
  EntityFilter
>().with({
  pluginId: 'dual-lane',
  resourceType: RESOURCE_TYPE_DUAL_LANE_ENTITY,
});
