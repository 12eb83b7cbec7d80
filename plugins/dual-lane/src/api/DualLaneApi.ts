import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  ComplianceCriteriaResponse,
  ComplianceListQuery,
  ComplianceListResponse,
  ComplianceRollupQuery,
  ComplianceRollupResponse,
  ComplianceWaiversQuery,
  ComplianceWaiversResponse,
  CreateWaiverRequest,
  EntityComplianceResponse,
  GatesQuery,
  GatesResponse,
  ReverifyResponse,
  SupplyChainResponse,
  WaiverView,
} from '@dual-lane/plugin-dual-lane-common';

/*
 * The query types of the compliance routes live in
 * `@dual-lane/plugin-dual-lane-common` with the responses; they are
 * re-exported here for apps that imported them from this package.
 */
export type {
  ComplianceListQuery,
  ComplianceRollupQuery,
  ComplianceWaiversQuery,
};

/**
 * The dual-lane backend, as the frontend uses it. Every method rejects with
 * a `ResponseError` (from `@backstage/errors`) when the backend answers
 * with an error status.
 *
 * @public
 */
export interface DualLaneApi {
  /** Pull requests of an entity's repository with their gates, lanes and verdicts. */
  getGates(
    entity: CompoundEntityRef,
    query?: GatesQuery,
  ): Promise<GatesResponse>;

  /** Artifacts, verifications and policy versions of an entity's repository. */
  getSupplyChain(entity: CompoundEntityRef): Promise<SupplyChainResponse>;

  /**
   * Re-verifies an entity's artifacts and policy bundles under the policy in
   * force; with `force: false` only those verified under another policy.
   */
  reverify(
    entity: CompoundEntityRef,
    options?: { force?: boolean },
  ): Promise<ReverifyResponse>;

  /** An entity's go/no-go, each criterion explained, with its waivers. */
  getEntityCompliance(
    entity: CompoundEntityRef,
  ): Promise<EntityComplianceResponse>;

  /** Re-evaluates an entity's go/no-go now and returns the new result. */
  evaluateCompliance(
    entity: CompoundEntityRef,
  ): Promise<EntityComplianceResponse>;

  createWaiver(
    entity: CompoundEntityRef,
    waiver: CreateWaiverRequest,
  ): Promise<WaiverView>;

  revokeWaiver(
    entity: CompoundEntityRef,
    waiverId: number,
  ): Promise<WaiverView>;

  /** The organisation's entities with their go/no-go, one page at a time. */
  listCompliance(query?: ComplianceListQuery): Promise<ComplianceListResponse>;

  /** Go/no-go rolled up by owner group or by system. */
  getComplianceRollups(
    query: ComplianceRollupQuery,
  ): Promise<ComplianceRollupResponse>;

  /** The go/no-go criteria with the organisation's thresholds. */
  getComplianceCriteria(): Promise<ComplianceCriteriaResponse>;

  /** The waivers of every entity the user may read, newest first. */
  listWaivers(
    query?: ComplianceWaiversQuery,
  ): Promise<ComplianceWaiversResponse>;
}

/**
 * The API reference of {@link DualLaneApi}.
 *
 * @public
 */
export const dualLaneApiRef = createApiRef<DualLaneApi>().with({
  id: 'plugin.dual-lane',
  pluginId: 'dual-lane',
});
