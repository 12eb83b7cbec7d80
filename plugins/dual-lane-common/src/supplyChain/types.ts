import {
  Artifact,
  PolicyVersion,
  Verification,
  VerificationCheck,
  VerificationOutcome,
} from '../types/domain';

/** One entry of an artifact bundle (`artifact.tar.gz`). */
export interface ArtifactBundleEntry {
  name: string;
  sizeBytes: number;
  /** `sha256:<hex>` of the entry's content. */
  digest: string;
}

/** What was found inside an artifact bundle (stored as `Artifact.contents`). */
export interface ArtifactBundleContents {
  entries: ArtifactBundleEntry[];
  /** Entries the bundle schema does not know; reported, not extracted. */
  unknownEntries: string[];
  /** Required entries that are missing. */
  missingEntries: string[];
  /** Why the archive was rejected (path traversal, link, size limits). */
  rejectedReason?: string;
}

/** The summary of a CycloneDX SBOM (stored as `Artifact.sbomSummary`). */
export interface SbomSummary {
  specVersion: string;
  serialNumber?: string;
  /** Every component, nested ones included. */
  componentCount: number;
  /** `bom-ref`s the metadata component depends on directly. */
  directDependencies: string[];
  /** License ids, names or expressions, with how many components carry each. */
  licenses: Array<{ license: string; count: number }>;
  /** Components without any license. */
  componentsWithoutLicense: number;
  purls: string[];
  /** Components with at least one hash. */
  componentsWithHashes: number;
  /** Hash algorithms seen, with counts. */
  hashAlgorithms: Record<string, number>;
}

/** A verification as the API returns it (the stored policy JSON left out). */
export type VerificationSummary = Omit<Verification, 'policy'>;

export interface ArtifactWithVerifications extends Artifact {
  /** The current verification of each check, when one was recorded. */
  verifications: Partial<Record<VerificationCheck, VerificationSummary>>;
}

export interface PolicyVersionWithVerification extends PolicyVersion {
  verification?: VerificationSummary;
  /** True when this is the version the repository's policy gate last ran against. */
  lastUsedByPolicyGate: boolean;
}

/** The policy gate's last run of a repository and the bundle it used. */
export interface PolicyGateUsage {
  gateRunId: number;
  gateName: string;
  headSha: string;
  policyDigest: string;
  conclusion?: string;
  completedAt?: string;
  /** The policy version with that digest, when it is known. */
  policyVersion?: { id: number; name: string; version: string; status: string };
}

export interface SupplyChainTotals {
  artifacts: number;
  byStatus: Record<VerificationOutcome, number>;
  /** Artifacts whose signature verified, over all artifacts (0..1), or null with none. */
  signedRatio: number | null;
  /** Artifacts whose provenance verified, over all artifacts (0..1), or null with none. */
  provenanceVerifiedRatio: number | null;
  policyVersions: number;
  tamperedPolicyVersions: number;
}

/** `GET /entities/:kind/:namespace/:name/supply-chain` */
export interface SupplyChainResponse {
  entityRef: string;
  repository: { host: string; owner: string; name: string };
  artifacts: ArtifactWithVerifications[];
  policyVersions: PolicyVersionWithVerification[];
  policyGate?: PolicyGateUsage;
  totals: SupplyChainTotals;
  /** sha256 of the verification policy now in force. */
  currentPolicyHash: string;
}

/** One verification changed by a re-verification. */
export interface ReverifyChange {
  subject: 'artifact' | 'policy-version';
  id: number;
  name: string;
  digest: string;
  check: VerificationCheck;
  before?: VerificationOutcome;
  after: VerificationOutcome;
  reason?: string;
}

/** `POST /entities/:kind/:namespace/:name/supply-chain/reverify` */
export interface ReverifyResponse {
  entityRef: string;
  reverified: number;
  changes: ReverifyChange[];
  currentPolicyHash: string;
  /** Why nothing was re-verified (e.g. a trusted root that has not loaded yet). */
  skipped?: string;
}

/** What `POST /ingest/artifacts` stored. */
export interface IngestArtifactResponse {
  subject: 'artifact' | 'policy-version';
  id: number;
  digest: string;
  status: string;
  verifications: VerificationSummary[];
  /**
   * What the caller should know about this submission, e.g. that its
   * bundle was not used because the stored one verified and it did not.
   */
  notes?: string[];
}
