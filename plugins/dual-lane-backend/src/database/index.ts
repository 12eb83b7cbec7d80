export { DualLaneStore } from './DualLaneStore';
export { RepositoryChanges } from './RepositoryChanges';
export type { RepositoriesChangedListener } from './RepositoryChanges';
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
