export { dualLaneApiRef } from './DualLaneApi';
export type {
  DualLaneApi,
  ComplianceListQuery,
  ComplianceRollupQuery,
  ComplianceWaiversQuery,
} from './DualLaneApi';
export { DualLaneClient } from './DualLaneClient';
