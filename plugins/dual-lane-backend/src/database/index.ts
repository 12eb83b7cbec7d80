export { DualLaneStore } from './DualLaneStore';
export type { RepositoryInput, EntityInput, SyncState } from './RepositoryStore';
export type {
  PullRequestInput,
  GateRunInput,
  LaneEventInput,
  VerdictInput,
  NegativeTestInput,
} from './GateStore';
export type {
  ArtifactInput,
  PolicyVersionInput,
  VerificationInput,
} from './SupplyChainStore';
export type { DriftIncidentInput, WaiverInput } from './ComplianceStore';
