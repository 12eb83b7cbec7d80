import { NotFoundError } from '@backstage/errors';
import {
  ComplianceCriteriaResponse,
  ComplianceHistoryResponse,
  ComplianceListResponse,
  ComplianceRollupItem,
  ComplianceRollupResponse,
  ComplianceSortField,
  DualLaneEntity,
  EntityComplianceResponse,
  GO_NO_GO_CRITERIA,
  goNoGoAnnotation,
  isWaiverActive,
  kpiIndicators,
  KpiSnapshotValues,
  Repository,
  resolveThresholds,
  summarizeScope,
  Waiver,
  WaiverView,
} from '@dual-lane/plugin-dual-lane-common';
import { DualLaneStore } from '../../database';
import {
  ComplianceFilters,
  ComplianceListQueries,
  DEFAULT_SORT_ORDER,
  SortOrder,
} from '../../database/ComplianceListQueries';
import { StoredEvaluation } from '../../database/ComplianceStore';
import { ComplianceConfig } from './complianceConfig';
import { ComplianceEvaluator } from './ComplianceEvaluator';

export function waiverView(waiver: Waiver, now: Date): WaiverView {
  return { ...waiver, active: isWaiverActive(waiver, now) };
}

/** Builds the compliance API's responses from precomputed results. */
export class ComplianceReader {
  constructor(
    private readonly deps: {
      store: DualLaneStore;
      listQueries: ComplianceListQueries;
      evaluator: ComplianceEvaluator;
      config: ComplianceConfig;
      clock?: () => Date;
    },
  ) {}

  private now() {
    return this.deps.clock ? this.deps.clock() : new Date();
  }

  /**
   * The stored evaluation of an entity, re-evaluated first when there is
   * none yet or it is out of date by itself: a waiver in it ran out, or the
   * entity's annotations or repository changed since.
   */
  async currentEvaluation(entity: DualLaneEntity): Promise<StoredEvaluation> {
    const { store, evaluator } = this.deps;
    const stored = await store.compliance.getEvaluation(entity.entityRef);
    const stale =
      !stored ||
      (stored.nextChangeAt !== undefined &&
        Date.parse(stored.nextChangeAt) <= this.now().getTime()) ||
      stored.repositoryId !== entity.repositoryId ||
      stored.annotations !== JSON.stringify(entity.annotations ?? {});
    if (!stale) return stored;
    await evaluator.evaluateEntities([entity.entityRef]);
    const fresh = await store.compliance.getEvaluation(entity.entityRef);
    if (!fresh)
      throw new NotFoundError(`No compliance for ${entity.entityRef}`);
    return fresh;
  }

  async entityCompliance(
    entity: DualLaneEntity,
    repository: Repository,
  ): Promise<EntityComplianceResponse> {
    const { store } = this.deps;
    const evaluation = await this.currentEvaluation(entity);
    const now = this.now();
    const [waivers, drift] = await Promise.all([
      store.compliance.listWaivers(entity.entityRef),
      store.compliance.listDriftIncidents({
        repositoryIds: [repository.id],
        openOnly: true,
      }),
    ]);
    return {
      entityRef: entity.entityRef,
      entity: {
        kind: entity.kind,
        namespace: entity.namespace,
        name: entity.name,
        title: entity.title,
        ownerRef: entity.ownerRef,
        systemRef: entity.systemRef,
      },
      repository: {
        host: repository.host,
        owner: repository.owner,
        name: repository.name,
      },
      verdict: evaluation.verdict,
      failingCount: evaluation.failingCount,
      evaluatedAt: evaluation.evaluatedAt,
      window: evaluation.kpis.window,
      reasons: evaluation.reasons,
      criteria: evaluation.criteria,
      indicators: kpiIndicators(evaluation.kpis, evaluation.thresholds.values),
      kpis: evaluation.kpis,
      thresholds: evaluation.thresholds,
      waivers: waivers.reverse().map(w => waiverView(w, now)),
      waiverMaxDays: this.deps.config.waiverMaxDays,
      openDriftIncidents: drift,
    };
  }

  async list(options: {
    filters: ComplianceFilters;
    sort: ComplianceSortField;
    order?: SortOrder;
    limit: number;
    cursor?: string;
  }): Promise<ComplianceListResponse> {
    const { listQueries } = this.deps;
    const order = options.order ?? DEFAULT_SORT_ORDER[options.sort];
    const f = options.filters;
    const scopeFilters: ComplianceFilters = {
      permission: f.permission,
      ownerRef: f.ownerRef,
      systemRef: f.systemRef,
    };
    const narrowed = f.criterion !== undefined || f.search !== undefined;
    const [totals, scope] = await Promise.all([
      listQueries.totals(f),
      narrowed ? listQueries.totals(scopeFilters) : undefined,
    ]);
    const verdicts = options.filters.verdicts;
    const totalCount = verdicts?.length
      ? verdicts.reduce((n, v) => n + totals.counts[v], 0)
      : totals.counts.total;
    const page = await listQueries.list({ ...options, order, totalCount });
    return {
      ...page,
      totals: totals.counts,
      summary: summarizeScope(
        (scope ?? totals).counts,
        (scope ?? totals).tallies,
        scopeName(f),
      ),
    };
  }

  async rollups(options: {
    by: 'owner' | 'system';
    filters: ComplianceFilters;
    limit: number;
    offset: number;
  }): Promise<ComplianceRollupResponse> {
    const { listQueries } = this.deps;
    const [byRef, org] = await Promise.all([
      options.by === 'owner'
        ? listQueries.rollupByOwner(options.filters)
        : listQueries.rollupBySystem(options.filters),
      listQueries.totals(options.filters),
    ]);
    const items: ComplianceRollupItem[] = [...byRef.entries()]
      .map(([ref, t]) => ({
        ref,
        ...(t.parentRef ? { parentRef: t.parentRef } : {}),
        directEntities: t.directEntities,
        summary: summarizeScope(t.counts, t.tallies, ref),
      }))
      .sort(
        (a, b) =>
          b.summary.counts['no-go'] - a.summary.counts['no-go'] ||
          b.summary.counts['no-data'] - a.summary.counts['no-data'] ||
          a.ref.localeCompare(b.ref),
      );
    return {
      by: options.by,
      items: items.slice(options.offset, options.offset + options.limit),
      totalCount: items.length,
      organisation: summarizeScope(
        org.counts,
        org.tallies,
        scopeName(options.filters),
      ),
    };
  }

  async history(
    entityRef: string,
    days: number,
  ): Promise<ComplianceHistoryResponse> {
    const since = new Date(this.now().getTime() - (days - 1) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const snapshots = await this.deps.store.compliance.listKpiSnapshots(
      entityRef,
      since,
    );
    return {
      entityRef,
      days,
      snapshots: snapshots.map(s => ({
        day: s.day,
        verdict: s.verdict,
        kpis: s.kpis as KpiSnapshotValues,
      })),
    };
  }

  criteria(): ComplianceCriteriaResponse {
    const { config } = this.deps;
    const resolved = resolveThresholds({ configured: config.thresholds });
    return {
      windowDays: config.windowDays,
      waiverMaxDays: config.waiverMaxDays,
      annotationOverrides: config.annotationOverrides,
      criteria: GO_NO_GO_CRITERIA.map(c => ({
        ...c,
        threshold: resolved.thresholds[c.id],
        thresholdSource:
          resolved.sources[c.id] === 'config' ? 'config' : 'default',
        annotation: goNoGoAnnotation(c.id),
      })),
    };
  }
}

function scopeName(filters: ComplianceFilters): string {
  const parts = [
    filters.ownerRef && `owned by ${filters.ownerRef}`,
    filters.systemRef && `in ${filters.systemRef}`,
  ].filter(Boolean);
  return parts.length
    ? `the entities ${parts.join(' and ')}`
    : 'the organisation';
}
