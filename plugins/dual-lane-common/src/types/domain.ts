/*
 * The dual-lane domain as stored by the backend and returned by its API.
 * Timestamps are ISO-8601 strings in UTC; digests are `sha256:<hex>`.
 */

/** A source repository that at least one catalog entity points at. */
export interface Repository {
  id: number;
  host: string;
  owner: string;
  name: string;
  defaultBranch?: string;
  defaultBranchSha?: string;
  externalId?: number;
  createdAt: string;
  updatedAt: string;
}

/** A catalog entity taking part in dual-lane. */
export interface DualLaneEntity {
  /** `kind:namespace/name`, lower-case. */
  entityRef: string;
  kind: string;
  namespace: string;
  name: string;
  title?: string;
  ownerRef?: string;
  systemRef?: string;
  repositoryId?: number;
  /** The entity's `dual-lane/*` annotations. */
  annotations: Record<string, string>;
  updatedAt: string;
}

export type PullRequestState = 'open' | 'closed' | 'merged';

export interface PullRequest {
  id: number;
  repositoryId: number;
  number: number;
  externalId?: number;
  title: string;
  state: PullRequestState;
  draft: boolean;
  author?: string;
  headRef: string;
  headSha: string;
  baseRef: string;
  /** `<slug>` of `feature/<slug>` when the head branch follows the convention. */
  laneSlug?: string;
  mergeCommitSha?: string;
  mergedBy?: string;
  createdAt: string;
  updatedAt: string;
  closedAt?: string;
  mergedAt?: string;
  /** The label the lane state machine expects this pull request to carry. */
  expectedLabel?: string;
  /** Labels the pull request carries. */
  labels: string[];
  /** Required-check conformance of a merged pull request (see the gates rules). */
  conformance?: unknown;
}

/**
 * Where a gate run came from: GitHub's check runs, or `POST
 * /ingest/gate-runs` by one caller (`ingest:<principal subject>`, e.g.
 * `ingest:external:jenkins`), so each CI system keys its own runs. Plain
 * `ingest` is how runs were stored before that (a migration renames them).
 */
export type GateRunSource = 'github' | 'ingest' | `ingest:${string}`;

/** Whether a gate run was pushed through `POST /ingest/gate-runs`. */
export function isIngestedGateRun(run: { source?: GateRunSource }): boolean {
  return run.source === 'ingest' || Boolean(run.source?.startsWith('ingest:'));
}
export type GateRunStatus = 'queued' | 'in_progress' | 'completed';
export type GateRunConclusion =
  | 'success'
  | 'failure'
  | 'neutral'
  | 'cancelled'
  | 'skipped'
  | 'timed_out'
  | 'action_required'
  | 'stale';

/** One check run of a required gate on one commit. */
export interface GateRun {
  id: number;
  repositoryId: number;
  pullRequestId?: number;
  source: GateRunSource;
  /** The check run id, or the CI system's own run id. */
  externalId: string;
  /** The configured gate this run counts for. */
  gateName: string;
  /** The name the run was reported under. */
  checkName: string;
  headSha: string;
  status: GateRunStatus;
  conclusion?: GateRunConclusion;
  appId?: number;
  appSlug?: string;
  detailsUrl?: string;
  policyDigest?: string;
  startedAt?: string;
  completedAt?: string;
  updatedAt: string;
}

export type LaneEventKind = 'codex-ready' | 'claude-applied';

/** A lane marker seen on a commit. */
export interface LaneEvent {
  id: number;
  repositoryId: number;
  pullRequestId?: number;
  kind: LaneEventKind;
  slug: string;
  branch?: string;
  commitSha: string;
  occurredAt: string;
}

export type VerdictValue = 'approved' | 'changes-requested' | 'rejected';
export type VerdictSource = 'review' | 'comment' | 'api';

/** A supervisor (PLAN) decision on a pull request. */
export interface Verdict {
  id: number;
  pullRequestId: number;
  source: VerdictSource;
  externalId: string;
  verdict: VerdictValue;
  author?: string;
  body?: string;
  commitSha?: string;
  recordedAt: string;
}

/** One builder → enforcer → supervisor round. */
export interface ReworkCycle {
  pullRequestId: number;
  cycle: number;
  startedAt: string;
  endedAt?: string;
  verdict?: VerdictValue;
}

export type VerificationOutcome = 'verified' | 'failed' | 'unverified';
export type ArtifactKind = 'artifact-bundle' | 'image' | 'file';
export type ArtifactSource = 'github-attestation' | 'release-asset' | 'ingest';

/** A build output identified by its digest. */
export interface Artifact {
  id: number;
  repositoryId: number;
  pullRequestId?: number;
  digest: string;
  name: string;
  kind: ArtifactKind;
  sizeBytes?: number;
  source: ArtifactSource;
  sourceUrl?: string;
  commitSha?: string;
  mergeBaseSha?: string;
  sbomSummary?: unknown;
  contents?: unknown;
  status: VerificationOutcome;
  createdAt: string;
  updatedAt: string;
}

export type PolicyVersionStatus = VerificationOutcome | 'tampered';

/** A signed `policies.tar.gz` bundle. */
export interface PolicyVersion {
  id: number;
  repositoryId?: number;
  name: string;
  version: string;
  digest: string;
  signerIdentity?: string;
  policies: Array<{ name: string; kind: string; engine?: string }>;
  sourceUrl?: string;
  status: PolicyVersionStatus;
  publishedAt?: string;
  createdAt: string;
  updatedAt: string;
}

export type VerificationCheck = 'signature' | 'provenance' | 'sbom';

/** One recorded check of an artifact or a policy bundle. */
export interface Verification {
  id: number;
  artifactId?: number;
  policyVersionId?: number;
  check: VerificationCheck;
  outcome: VerificationOutcome;
  reason?: string;
  signerIdentity?: string;
  signerIssuer?: string;
  tlogIndex?: number;
  trustedRoot?: string;
  policyHash?: string;
  policy?: unknown;
  slsaLevel?: number;
  details?: unknown;
  /** False once a re-verification superseded it. */
  current: boolean;
  verifiedAt: string;
}

/** `AGENTS.md` and `CLAUDE.md` disagreeing. */
export interface DriftIncident {
  id: number;
  repositoryId: number;
  commitSha: string;
  agentsSha?: string;
  claudeSha?: string;
  differences: Array<{ kind: string; agents?: string; claude?: string }>;
  detectedAt: string;
  resolvedAt?: string;
}

export type NegativeTestEnvironment = 'ci' | 'staging' | 'production';

/** A deliberately bad input and whether a gate blocked it. */
export interface NegativeTestResult {
  id: number;
  repositoryId: number;
  pullRequestId?: number;
  testName: string;
  environment: NegativeTestEnvironment;
  commitSha: string;
  blocked: boolean;
  evidenceUrl?: string;
  observedAt: string;
}

export type ComplianceVerdict = 'go' | 'no-go' | 'no-data';

/** The precomputed go/no-go of one entity. */
export interface ComplianceResult {
  entityRef: string;
  verdict: ComplianceVerdict;
  failingCount: number;
  criteria: unknown;
  kpis: unknown;
  evaluatedAt: string;
}

export interface KpiSnapshot {
  entityRef: string;
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  verdict: ComplianceVerdict;
  kpis: unknown;
  createdAt: string;
}

/** A time-boxed exemption of one entity from one go/no-go criterion. */
export interface Waiver {
  id: number;
  entityRef: string;
  criterion: string;
  reason: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  revokedBy?: string;
  revokedAt?: string;
}
