import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ComplianceKpis,
  ComplianceVerdict,
  computeComplianceKpis,
  criterionBit,
  emptyRepositoryFacts,
  emptyVerdictCounts,
  evaluateCompliance,
  KpiWindow,
  resolveThresholds,
  snapshotValues,
  VerdictCounts,
} from '@dual-lane/plugin-dual-lane-common';
import { DualLaneStore } from '../../database';
import {
  ComplianceQueries,
  EvaluableEntity,
} from '../../database/ComplianceQueries';
import { PendingMark, StoredEvaluation } from '../../database/ComplianceStore';
import { ComplianceConfig } from './complianceConfig';
import { ComplianceNotifier, isFlip, VerdictFlip } from './ComplianceNotifier';

export interface EvaluationRun {
  entities: number;
  repositories: number;
  verdicts: VerdictCounts;
  flips: VerdictFlip[];
  /** False when the run stopped early because it was aborted. */
  complete: boolean;
}

const VERDICT_RANK: Record<ComplianceVerdict, number> = {
  'no-go': 2,
  'no-data': 1,
  go: 0,
};

/** Severity sorts no-go first, then no-data, then go; more failures first. */
export function severityOf(verdict: ComplianceVerdict, failingCount: number) {
  return VERDICT_RANK[verdict] * 16 + Math.min(failingCount, 15);
}

/** Repositories per batch: one set of fact queries, one write transaction. */
const REPOSITORIES_PER_BATCH = 500;

/**
 * Evaluates entities against the go/no-go criteria and stores the results,
 * today's KPI snapshot and the flips. Facts are loaded per batch of
 * repositories with set-based queries (see `ComplianceQueries`); the KPIs
 * and verdicts are computed by the common rules, once per repository and
 * once per entity (entities of one repository share its KPIs but may have
 * their own thresholds and waivers).
 */
export class ComplianceEvaluator {
  constructor(
    private readonly deps: {
      store: DualLaneStore;
      queries: ComplianceQueries;
      config: ComplianceConfig;
      notifier?: ComplianceNotifier;
      logger: LoggerService;
      clock?: () => Date;
    },
  ) {}

  private now() {
    return this.deps.clock ? this.deps.clock() : new Date();
  }

  windowAt(now: Date): KpiWindow {
    const days = this.deps.config.windowDays;
    return {
      days,
      start: new Date(now.getTime() - days * 86_400_000).toISOString(),
      end: now.toISOString(),
    };
  }

  async evaluateAll(options: { signal?: AbortSignal } = {}) {
    return this.evaluate(
      await this.deps.queries.listEntities({ all: true }),
      options,
    );
  }

  async evaluateRepositories(
    repositoryIds: number[],
    options: { signal?: AbortSignal } = {},
  ) {
    if (repositoryIds.length === 0) return this.evaluate([], options);
    return this.evaluate(
      await this.deps.queries.listEntities({ repositoryIds }),
      options,
    );
  }

  async evaluateEntities(
    entityRefs: string[],
    options: { signal?: AbortSignal } = {},
  ) {
    if (entityRefs.length === 0) return this.evaluate([], options);
    return this.evaluate(
      await this.deps.queries.listEntities({ entityRefs }),
      options,
    );
  }

  /**
   * Evaluates what changed since `since` (see `ComplianceQueries.changedSince`)
   * and the repositories marked pending. A mark is removed in the
   * transaction that stores its repository's results, so a pass that fails
   * or is aborted leaves the rest pending, and a mark set again while the
   * pass runs stays for the next one.
   */
  async evaluateChanged(since: Date, options: { signal?: AbortSignal } = {}) {
    const now = this.now();
    const changed = await this.deps.queries.changedSince(since, now);
    const marks = await this.deps.store.compliance.listPending(now);
    const pending = marks.map(m => m.repositoryId);
    const entities = new Map<string, EvaluableEntity>();
    const repositoryIds = [...new Set([...changed.repositoryIds, ...pending])];
    if (repositoryIds.length) {
      for (const e of await this.deps.queries.listEntities({ repositoryIds })) {
        entities.set(e.entityRef, e);
      }
    }
    if (changed.entityRefs.length) {
      for (const e of await this.deps.queries.listEntities({
        entityRefs: changed.entityRefs,
      })) {
        entities.set(e.entityRef, e);
      }
    }
    const run = await this.evaluate([...entities.values()], options, marks);
    if (run.complete && marks.length) {
      // Marks of repositories no entity points at: nothing to store.
      await this.deps.store.compliance.clearPending(marks);
    }
    return run;
  }

  private async evaluate(
    entities: EvaluableEntity[],
    options: { signal?: AbortSignal },
    marks: PendingMark[] = [],
  ): Promise<EvaluationRun> {
    const marksByRepository = new Map(marks.map(m => [m.repositoryId, m]));
    const run: EvaluationRun = {
      entities: 0,
      repositories: 0,
      verdicts: emptyVerdictCounts(),
      flips: [],
      complete: true,
    };
    const byRepository = new Map<number | undefined, EvaluableEntity[]>();
    for (const e of entities) {
      byRepository.set(e.repositoryId, [
        ...(byRepository.get(e.repositoryId) ?? []),
        e,
      ]);
    }
    const repositoryIds = [...byRepository.keys()];
    for (let i = 0; i < repositoryIds.length; i += REPOSITORIES_PER_BATCH) {
      if (options.signal?.aborted) {
        run.complete = false;
        this.deps.logger.warn(
          `Compliance evaluation aborted after ${run.entities} of ${entities.length} entities`,
        );
        break;
      }
      const batchIds = repositoryIds.slice(i, i + REPOSITORIES_PER_BATCH);
      const batch = batchIds.flatMap(id => byRepository.get(id)!);
      const ids = batchIds.filter((id): id is number => id !== undefined);
      const flips = await this.evaluateBatch(
        ids,
        batch,
        run,
        ids.flatMap(id => marksByRepository.get(id) ?? []),
      );
      run.flips.push(...flips);
    }
    if (this.deps.notifier && run.flips.length) {
      await this.deps.notifier.notify(run.flips);
    }
    return run;
  }

  private async evaluateBatch(
    repositoryIds: number[],
    entities: EvaluableEntity[],
    run: EvaluationRun,
    settle: PendingMark[],
  ): Promise<VerdictFlip[]> {
    const { store, queries, config } = this.deps;
    const now = this.now();
    const window = this.windowAt(now);
    const facts = await queries.loadRepositoryFacts(repositoryIds, {
      window,
      requiredGates: config.requiredGates,
      laneLabels: config.laneLabels,
      culpritLimit: config.culpritLimit,
    });
    const kpisByRepository = new Map<number | undefined, ComplianceKpis>();
    const kpisOf = (repositoryId: number | undefined) => {
      let kpis = kpisByRepository.get(repositoryId);
      if (!kpis) {
        const f =
          (repositoryId !== undefined && facts.get(repositoryId)) ||
          emptyRepositoryFacts();
        kpis = computeComplianceKpis(f, window, config.culpritLimit);
        kpisByRepository.set(repositoryId, kpis);
      }
      return kpis;
    };
    const refs = entities.map(e => e.entityRef);
    const waivers = await store.compliance.listActiveWaivers(refs, now);
    const previous = await store.compliance.storedVerdicts(refs);
    const evaluations: StoredEvaluation[] = [];
    const flips: VerdictFlip[] = [];
    const day = now.toISOString().slice(0, 10);
    for (const entity of entities) {
      const kpis = kpisOf(entity.repositoryId);
      const resolved = resolveThresholds({
        configured: config.thresholds,
        annotations: entity.annotations,
        policy: config.annotationOverrides,
      });
      const evaluation = evaluateCompliance({
        kpis,
        thresholds: resolved.thresholds,
        thresholdSources: resolved.sources,
        waivers: waivers.filter(w => w.entityRef === entity.entityRef),
        now,
      });
      const mask = (status: string) =>
        evaluation.criteria
          .filter(c => c.status === status)
          .reduce((m, c) => m | criterionBit(c.criterion), 0);
      evaluations.push({
        entityRef: entity.entityRef,
        repositoryId: entity.repositoryId,
        verdict: evaluation.verdict,
        failingCount: evaluation.failingCount,
        severity: severityOf(evaluation.verdict, evaluation.failingCount),
        failingMask: mask('fail'),
        noDataMask: mask('no-data'),
        waivedMask: mask('waived'),
        criteria: evaluation.criteria,
        criteriaSummary: evaluation.criteria.map(c => ({
          criterion: c.criterion,
          status: c.status,
          value: c.value,
          threshold: c.threshold,
          gap: c.gap,
        })),
        reasons: evaluation.reasons,
        kpis,
        thresholds: {
          values: resolved.thresholds,
          sources: resolved.sources,
          annotationErrors: resolved.errors,
        },
        annotations: entity.annotationsJson,
        nextChangeAt: evaluation.nextChangeAt,
        evaluatedAt: now.toISOString(),
      });
      run.verdicts[evaluation.verdict] += 1;
      run.verdicts.total += 1;
      const before = previous.get(entity.entityRef);
      if (isFlip(before, evaluation.verdict)) {
        flips.push({
          entityRef: entity.entityRef,
          kind: entity.kind,
          namespace: entity.namespace,
          name: entity.name,
          title: entity.title,
          ownerRef: entity.ownerRef,
          from: before!,
          to: evaluation.verdict,
          reasons: evaluation.reasons,
        });
      }
    }
    await store.compliance.writeEvaluations(
      evaluations,
      evaluations.map(e => ({
        entityRef: e.entityRef,
        day,
        verdict: e.verdict,
        kpis: snapshotValues(e.kpis, {
          verdict: e.verdict,
          failingCount: e.failingCount,
          criteria: e.criteria,
          reasons: e.reasons,
        }),
      })),
      now,
      { settle },
    );
    run.entities += entities.length;
    run.repositories += repositoryIds.length;
    return flips;
  }
}
