import {
  createPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/**
 * The resource type of dual-lane's per-entity data. Its rules (see the
 * backend) are applied in SQL, so list endpoints filter before paginating.
 */
export const RESOURCE_TYPE_DUAL_LANE_ENTITY = 'dual-lane-entity';

export type DualLaneEntityPermission = ResourcePermission<
  typeof RESOURCE_TYPE_DUAL_LANE_ENTITY
>;

/** Read the gates, supply chain and compliance of an entity. */
export const dualLaneEntityReadPermission = createPermission({
  name: 'dual-lane.entity.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_DUAL_LANE_ENTITY,
});

/** Re-run verification of an entity's artifacts and policy bundles. */
export const dualLaneReverifyPermission = createPermission({
  name: 'dual-lane.supply-chain.reverify',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_DUAL_LANE_ENTITY,
});

/** Re-evaluate an entity's go/no-go now. */
export const dualLaneEvaluatePermission = createPermission({
  name: 'dual-lane.compliance.evaluate',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_DUAL_LANE_ENTITY,
});

/** Create or revoke a waiver of one go/no-go criterion for an entity. */
export const dualLaneWaiverManagePermission = createPermission({
  name: 'dual-lane.waiver.manage',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_DUAL_LANE_ENTITY,
});

/** Record a PLAN (supervisor) verdict on a pull request. */
export const dualLaneVerdictRecordPermission = createPermission({
  name: 'dual-lane.verdict.record',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_DUAL_LANE_ENTITY,
});

/**
 * Push gate runs, negative tests or artifacts through `POST /ingest/...`
 * for the repository an entity points at. Checked for every entity pointing
 * at each repository of a batch (what is written counts for each of them),
 * in addition to the backend's `dualLane.ingest.callers` grants.
 */
export const dualLaneIngestPermission = createPermission({
  name: 'dual-lane.ingest',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_DUAL_LANE_ENTITY,
});

export const dualLanePermissions = [
  dualLaneEntityReadPermission,
  dualLaneReverifyPermission,
  dualLaneEvaluatePermission,
  dualLaneWaiverManagePermission,
  dualLaneVerdictRecordPermission,
  dualLaneIngestPermission,
];
