export { dualLaneApiRef } from './DualLaneApi';
export type {
  DualLaneApi,
  ComplianceListQuery,
  ComplianceRollupQuery,
} from './DualLaneApi';
export { DualLaneClient } from './DualLaneClient';
