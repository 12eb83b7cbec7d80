import { ComplianceVerdict, DriftIncident, Waiver } from '../types';
import { Page } from '../types/pagination';
import { GoNoGoCriterion, GoNoGoCriterionId } from './criteria';
import { CriterionResult, CriterionStatus } from './evaluate';
import { KpiIndicator } from './indicators';
import { ComplianceKpis, KpiWindow } from './kpiTypes';
import { CriterionTally, ScopeSummary, VerdictCounts } from './rollup';
import {
  AnnotationOverridePolicy,
  GoNoGoThresholds,
  ThresholdSource,
} from './thresholds';

/*
 * Requests and responses of the compliance routes under /api/dual-lane.
 */

/** A waiver as returned, with whether it counts now. */
export interface WaiverView extends Waiver {
  /** Not revoked and not expired. */
  active: boolean;
}

/** `GET /entities/:kind/:namespace/:name/compliance` */
export interface EntityComplianceResponse {
  entityRef: string;
  entity: {
    kind: string;
    namespace: string;
    name: string;
    title?: string;
    ownerRef?: string;
    systemRef?: string;
  };
  repository: { host: string; owner: string; name: string };
  verdict: ComplianceVerdict;
  failingCount: number;
  evaluatedAt: string;
  window: KpiWindow;
  /** Why the verdict is what it is, one line per reason. */
  reasons: string[];
  /** The seven go/no-go criteria, each explaining itself. */
  criteria: CriterionResult[];
  /** The seed's KPI table. */
  indicators: KpiIndicator[];
  kpis: ComplianceKpis;
  thresholds: {
    values: GoNoGoThresholds;
    sources: Record<GoNoGoCriterionId, ThresholdSource>;
    /** `dual-lane/go-no-go.*` annotations that were ignored, and why. */
    annotationErrors: string[];
  };
  /** Every waiver of the entity, newest first: the audit trail. */
  waivers: WaiverView[];
  /**
   * The longest a new waiver may run, in days
   * (`dualLane.compliance.waivers.maxDays`).
   */
  waiverMaxDays: number;
  /** Drift incidents of the repository that are open now. */
  openDriftIncidents: DriftIncident[];
}

/** `POST .../compliance/waivers` */
export interface CreateWaiverRequest {
  criterion: GoNoGoCriterionId;
  reason: string;
  /** ISO-8601, in the future and within `dualLane.compliance.waivers.maxDays`. */
  expiresAt: string;
}

/** One criterion of a list row: enough to sort, filter and colour. */
export interface CriterionSummary {
  criterion: GoNoGoCriterionId;
  status: CriterionStatus;
  value: number | null;
  threshold: number;
  gap: number | null;
}

export interface ComplianceListItem {
  entityRef: string;
  kind: string;
  namespace: string;
  name: string;
  title?: string;
  ownerRef?: string;
  systemRef?: string;
  verdict: ComplianceVerdict;
  failingCount: number;
  criteria: CriterionSummary[];
  evaluatedAt: string;
}

export type ComplianceSortField =
  | 'verdict'
  | 'failingCount'
  | 'name'
  | 'owner'
  | 'evaluatedAt';

export const COMPLIANCE_SORT_FIELDS: readonly ComplianceSortField[] = [
  'verdict',
  'failingCount',
  'name',
  'owner',
  'evaluatedAt',
];

/** Query of `GET /compliance`. */
export interface ComplianceListQuery {
  /** 1..500, default 50. */
  limit?: number;
  /** `nextCursor` of the previous page (for the same sort and order). */
  cursor?: string;
  /** Default `verdict`. */
  sort?: ComplianceSortField;
  /** Default: worst / newest first for the sort field. */
  order?: 'asc' | 'desc';
  /** An owner entity ref, e.g. `group:default/team-a`; includes child groups. */
  owner?: string;
  /** A system entity ref, e.g. `system:default/payments`. */
  system?: string;
  /** Sent comma-separated. */
  verdict?: ComplianceVerdict[];
  criterion?: GoNoGoCriterionId;
  /** Needs `criterion`; default `fail`. */
  criterionStatus?: CriterionStatus;
  /** Substring of the entity ref or title, case-insensitive. */
  q?: string;
}

/** Query of `GET /compliance/rollups`. */
export interface ComplianceRollupQuery {
  by: 'owner' | 'system';
  /** 1..1000, default 100. */
  limit?: number;
  /** Default 0. */
  offset?: number;
  owner?: string;
  system?: string;
}

/** Query of `GET /compliance/waivers`. */
export interface ComplianceWaiversQuery {
  /** Only waivers that count now (not revoked, not expired). Default false. */
  active?: boolean;
  criterion?: GoNoGoCriterionId;
  /** 1..500, default 50. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

/** One waiver of the organisation list, with the entity it exempts. */
export interface ComplianceWaiverItem extends WaiverView {
  entity: {
    kind: string;
    namespace: string;
    name: string;
    title?: string;
    ownerRef?: string;
    systemRef?: string;
  };
}

/**
 * `GET /compliance/waivers`: the waivers of every entity the caller may
 * read, newest first.
 */
export interface ComplianceWaiversResponse extends Page<ComplianceWaiverItem> {
  /** `dualLane.compliance.waivers.maxDays`. */
  waiverMaxDays: number;
}

/** `GET /compliance` */
export interface ComplianceListResponse extends Page<ComplianceListItem> {
  /**
   * Entities per verdict matching every filter but `verdict`, so a UI can
   * show counts on verdict tabs.
   */
  totals: VerdictCounts;
  /** The go/no-go of everything the caller may read under the owner/system filters. */
  summary: ScopeSummary;
}

export interface ComplianceRollupItem {
  /** The owner (a group, or a user owning entities directly) or system ref. */
  ref: string;
  /** The parent group, for owners that are groups. */
  parentRef?: string;
  /** Entities owned directly (not through child groups). */
  directEntities: number;
  summary: ScopeSummary;
}

/** `GET /compliance/rollups?by=owner|system` */
export interface ComplianceRollupResponse {
  by: 'owner' | 'system';
  items: ComplianceRollupItem[];
  totalCount: number;
  organisation: ScopeSummary;
}

/** The compact per-day record kept for trends. */
export interface KpiSnapshotValues {
  values: Partial<Record<GoNoGoCriterionId, number | null>>;
  statuses: Partial<Record<GoNoGoCriterionId, CriterionStatus>>;
  pullRequests: number;
  mergedPullRequests: number;
  timeToPullRequestMedianMinutes: number | null;
  changeFailurePercent: number | null;
  requiredChecksAllPassingPercent: number | null;
}

/** `GET .../compliance/history?days=` */
export interface ComplianceHistoryResponse {
  entityRef: string;
  days: number;
  snapshots: Array<{
    day: string;
    verdict: ComplianceVerdict;
    kpis: KpiSnapshotValues;
  }>;
}

/** `GET /compliance/criteria` */
export interface ComplianceCriteriaResponse {
  windowDays: number;
  /** The longest a waiver may run, in days (`dualLane.compliance.waivers.maxDays`). */
  waiverMaxDays: number;
  annotationOverrides: AnnotationOverridePolicy;
  criteria: Array<
    GoNoGoCriterion & {
      /** The organisation's threshold (config, else the seed's). */
      threshold: number;
      thresholdSource: Exclude<ThresholdSource, 'annotation'>;
      /** The annotation an entity overrides it with. */
      annotation: string;
    }
  >;
}

export type { CriterionTally };
