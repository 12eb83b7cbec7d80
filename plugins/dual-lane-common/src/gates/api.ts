import { LaneState } from '../labels';
import {
  GateRun,
  LaneEvent,
  NegativeTestEnvironment,
  NegativeTestResult,
  PullRequest,
  PullRequestState,
  ReworkCycle,
  Verdict,
} from '../types';
import { MergeConformance } from './conformance';
import { GateDefinition } from './conventions';
import { GateStatus } from './gateStatus';

/** Query of `GET /entities/:kind/:namespace/:name/gates`. */
export interface GatesQuery {
  /** 1..100, default 20. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
  state?: PullRequestState;
}

/** One pull request with everything the gates view shows about it. */
export interface PullRequestGates {
  pullRequest: PullRequest;
  /** The required gates on the head commit. */
  gateStatus: GateStatus;
  /** Every gate run recorded for the pull request, oldest first. */
  gateRuns: GateRun[];
  laneEvents: LaneEvent[];
  /** PLAN's verdict on the head commit (see the verdict convention). */
  verdict?: Verdict;
  /** Every verdict recorded on the pull request, oldest first. */
  verdicts: Verdict[];
  /** Builder → enforcer → supervisor rounds; round 1 is the original. */
  reworkCycles: ReworkCycle[];
  /** Rounds after the first. */
  reworkCount: number;
  /**
   * Label accuracy by `labelExpectation`: `checked` false for a pull
   * request closed without merging, or merged without every gate passing
   * (then `notCheckedReason` says which, and `accurate` is true: there is
   * nothing to hold against its labels).
   */
  labels: {
    checked: boolean;
    notCheckedReason?: string;
    expectedState?: LaneState;
    expected?: string;
    actual: string[];
    unexpected: string[];
    accurate: boolean;
  };
  /** Minutes from the first `[CODEX-READY:<slug>]` to the pull request opening. */
  codexReadyToOpen: { codexReadyAt?: string; minutes?: number };
  /** Required-check conformance, for merged pull requests. */
  conformance?: MergeConformance;
}

/** Response of `GET /entities/:kind/:namespace/:name/gates`. */
export interface GatesResponse {
  items: PullRequestGates[];
  totalCount: number;
  nextCursor?: string;
  /** The configured required gates. */
  requiredChecks: GateDefinition[];
  /** The latest result of each negative test per environment. */
  negativeTests: NegativeTestResult[];
  /** Where the repository's facts come from and how fresh they are. */
  sync?: GatesSyncInfo;
}

/** The GitHub sync of one repository, as the gates view shows it. */
export interface GatesSyncInfo {
  /** The GitHub host the repository lives on, e.g. `github.com`. */
  host: string;
  /** Whether the scheduled sync runs (`dualLane.sync.github.enabled`). */
  scheduled: boolean;
  /** Its cadence (`dualLane.sync.github.schedule`), when scheduled. */
  schedule?: {
    /** Milliseconds between runs, for a duration schedule. */
    everyMs?: number;
    /** The cron expression, for a cron schedule. */
    cron?: string;
    /** For people: `every 10 minutes`, `cron 0 3 * * 1`, `on demand only`. */
    description: string;
  };
  /** When the repository is due again: last sync plus `everyMs` (an estimate). */
  nextSyncAt?: string;
  /** When the repository was last synced from GitHub. */
  lastSyncedAt?: string;
  /** The last sync's error, when it failed. */
  lastError?: string;
}

/** One gate run in `POST /ingest/gate-runs`. */
export interface IngestGateRun {
  /** `owner/repo` (on the default GitHub host) or `host/owner/repo`. */
  repository: string;
  pullRequest?: number;
  headSha: string;
  /** The configured gate's name or context; the run must match one. */
  gate: string;
  /** The name the CI system reports; defaults to the gate's context. */
  checkName?: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion?: GateRun['conclusion'];
  /** The CI system's run id: repeated posts of one id update the run. */
  externalId: string;
  detailsUrl?: string;
  policyDigest?: string;
  startedAt?: string;
  completedAt?: string;
}

export interface IngestGateRunsRequest {
  runs: IngestGateRun[];
}

/**
 * Response of `POST /ingest/gate-runs`. A batch is stored whole or not at
 * all: any invalid run or unknown repository rejects the batch (400 / 404,
 * naming the run).
 */
export interface IngestGateRunsResponse {
  accepted: number;
  /** How many of them were attached to a known pull request. */
  linkedToPullRequests: number;
}

/**
 * One observation in `POST /ingest/negative-tests`: whether a deliberately
 * bad input was blocked, e.g. an admission controller (Kyverno, OPA
 * Gatekeeper) denying an unsigned image in a cluster.
 */
export interface IngestNegativeTest {
  /** `owner/repo` (on the default GitHub host) or `host/owner/repo`. */
  repository: string;
  /** Where it was observed; production counts for the go/no-go criterion. */
  environment: NegativeTestEnvironment;
  /** One of the four negative tests (`NEGATIVE_TESTS`). */
  testName: string;
  blocked: boolean;
  /** The repository commit the deployment was built from (40 hex digits). */
  commitSha: string;
  /** A link to the evidence: the policy report, the denial event, a log. */
  evidenceUrl?: string;
  /** When it was observed (ISO-8601); default: when it was received. */
  observedAt?: string;
}

export interface IngestNegativeTestsRequest {
  results: IngestNegativeTest[];
}

/**
 * Response of `POST /ingest/negative-tests`. A batch is stored whole or not
 * at all (400 naming the field, 404 naming unknown repositories). Results
 * are keyed by repository, commit, test and environment: reporting one again
 * replaces it.
 */
export interface IngestNegativeTestsResponse {
  accepted: number;
}
