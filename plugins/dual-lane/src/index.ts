/**
 * The dual-lane frontend plugin: gates, supply chain and go/no-go
 * compliance of catalog entities, and the organisation's compliance page.
 *
 * This entry point serves the legacy frontend system; the new frontend
 * system's plugin is the default export of `@dual-lane/plugin-dual-lane/alpha`.
 *
 * @packageDocumentation
 */
export {
  dualLanePlugin,
  DualLanePage,
  EntityDualLaneGatesContent,
  EntityDualLaneSupplyChainContent,
  EntityDualLaneComplianceCard,
} from './plugin';
export { isDualLaneAvailable } from './conditions';
export { dualLaneApiRef, DualLaneClient } from './api';
export type {
  DualLaneApi,
  ComplianceListQuery,
  ComplianceRollupQuery,
  ComplianceWaiversQuery,
} from './api';
