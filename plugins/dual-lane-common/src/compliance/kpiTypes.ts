import { NegativeTestEnvironment, PullRequestState } from '../types';

/*
 * KPIs of one repository over a time window, and the facts they are
 * computed from. The backend gathers the facts with set-based queries; the
 * arithmetic lives here so that it is the same everywhere and tested.
 */

/** The evaluation window: `[start, end]`, ISO-8601. */
export interface KpiWindow {
  days: number;
  start: string;
  end: string;
}

/** One pull request as the KPIs see it. */
export interface PullRequestFacts {
  number: number;
  title: string;
  state: PullRequestState;
  headRef: string;
  laneSlug?: string;
  createdAt: string;
  mergedAt?: string;
  closedAt?: string;
  /** Number of PLAN verdicts recorded on it. */
  verdicts: number;
  /** Builder → enforcer → supervisor rounds recorded (the first included). */
  rounds: number;
  /**
   * The earliest `[CODEX-READY:<slug>]` of its lane slug in the repository
   * at or before it opened, and after any earlier pull request of the same
   * slug opened.
   */
  codexReadyAt?: string;
  /** The label the lane state machine expects; absent when not derived. */
  expectedLabel?: string;
  /** The lane-state labels it carries (other labels left out). */
  laneLabels: string[];
  /** Required gates passing on the head commit (merged pull requests). */
  requiredChecks?: { required: number; passing: number };
}

/** A merged pull request that looks like a revert (`Revert "..."`, `revert-<n>-...`). */
export interface RevertCandidate {
  number: number;
  title: string;
  headRef: string;
  mergedAt: string;
}

export interface ArtifactCulprit {
  digest: string;
  name: string;
  /** The outcome of the current verification of the check, if any. */
  outcome?: string;
  reason?: string;
}

/** Artifact counts of the window, with the first failing ones. */
export interface ArtifactFacts {
  total: number;
  signed: number;
  provenanceVerified: number;
  /** Artifact bundles carrying a `rollback.sql`. */
  withRollbackScript: number;
  unsigned: ArtifactCulprit[];
  provenanceUnverified: ArtifactCulprit[];
}

/** The latest observation of one negative test in one environment. */
export interface NegativeTestFacts {
  testName: string;
  environment: NegativeTestEnvironment;
  blocked: boolean;
  commitSha: string;
  observedAt: string;
  evidenceUrl?: string;
}

export interface DriftIncidentFacts {
  id: number;
  commitSha: string;
  detectedAt: string;
  resolvedAt?: string;
  differences: number;
}

export interface DriftFacts {
  /** When the drift check last read the repository; absent: never. */
  checkedAt?: string;
  commitSha?: string;
  agentsPresent?: boolean;
  claudePresent?: boolean;
  lastError?: string;
  /** Incidents open at some time in the window. */
  incidents: DriftIncidentFacts[];
}

export interface RepositoryFacts {
  /** Non-draft pull requests created, merged or closed in the window, or open. */
  pullRequests: PullRequestFacts[];
  /** Merged revert pull requests, merged at or after the window start. */
  reverts: RevertCandidate[];
  artifacts: ArtifactFacts;
  negativeTests: NegativeTestFacts[];
  drift: DriftFacts;
}

/** At most `limit` items, with the total they were taken from. */
export interface CulpritList<T> {
  total: number;
  items: T[];
}

export interface PullRequestRef {
  number: number;
  title: string;
}

/** The KPIs of one repository (and so of every entity pointing at it). */
export interface ComplianceKpis {
  window: KpiWindow;
  pullRequests: {
    /** Non-draft pull requests created, merged or closed in the window, or still open. */
    active: number;
    opened: number;
    merged: number;
  };
  /** `[CODEX-READY]` → pull request open, over pull requests opened in the window. */
  timeToPullRequest: {
    samples: number;
    medianMinutes: number | null;
    p90Minutes: number | null;
  };
  /** Required gates passing on the head of pull requests merged in the window. */
  requiredChecks: {
    required: number | null;
    evaluated: number;
    allPassing: number;
    percentAllPassing: number | null;
    medianPassing: number | null;
    notAllPassing: CulpritList<
      PullRequestRef & { passing: number; required: number }
    >;
  };
  verdictCoverage: {
    merged: number;
    withVerdict: number;
    percent: number | null;
    withoutVerdict: CulpritList<PullRequestRef>;
  };
  rework: {
    pullRequests: number;
    /** Rework cycles over all active pull requests. */
    total: number;
    mean: number | null;
    max: number | null;
    /** Number of pull requests per rework count, e.g. `{ "0": 10, "3": 1 }`. */
    distribution: Record<string, number>;
    /** Pull requests with at least one rework cycle, most first. */
    reworked: CulpritList<PullRequestRef & { reworkCycles: number }>;
  };
  artifacts: {
    total: number;
    signed: number;
    provenanceVerified: number;
    signedPercent: number | null;
    provenancePercent: number | null;
    withRollbackScript: number;
    unsigned: CulpritList<ArtifactCulprit>;
    provenanceUnverified: CulpritList<ArtifactCulprit>;
  };
  negativeTests: {
    /** The four negative tests of the seed. */
    known: number;
    /** Distinct tests observed blocked in production in the window. */
    blockedInProduction: string[];
    /** Distinct tests observed blocked in any environment ("n of 4"). */
    blocked: string[];
    productionObservations: number;
    /** Tests whose latest observation in an environment was not blocked. */
    notBlocked: NegativeTestFacts[];
  };
  /** See `computeComplianceKpis` for the definition. */
  changeFailure: {
    deployments: number;
    failed: number;
    percent: number | null;
    failures: CulpritList<PullRequestRef & { revertedBy: number }>;
    /** Merged changes whose artifact bundle carries `rollback.sql` (not failures). */
    withRollbackScript: number;
  };
  labelAccuracy: {
    checked: number;
    accurate: number;
    percent: number | null;
    inaccurate: CulpritList<
      PullRequestRef & { expected: string; laneLabels: string[] }
    >;
  };
  drift: {
    checked: boolean;
    checkedAt?: string;
    commitSha?: string;
    agentsPresent?: boolean;
    claudePresent?: boolean;
    lastError?: string;
    inWindow: number;
    openNow: number;
    incidents: CulpritList<DriftIncidentFacts>;
  };
}
