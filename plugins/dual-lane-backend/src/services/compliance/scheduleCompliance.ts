import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { DualLaneStore } from '../../database';
import { ComplianceConfig } from './complianceConfig';
import { ComplianceEvaluator } from './ComplianceEvaluator';
import { DriftCheck } from './DriftCheck';
import { GroupHierarchySync } from './GroupHierarchySync';

/** Where the incremental pass starts from: the start of the last complete pass. */
export const EVALUATED_SINCE_KEY = 'compliance:evaluated-since';

/**
 * Runs the last complete pass's start minus the lookback, then records
 * this pass's start if it completed. The lookback catches facts written
 * with a timestamp older than when they were committed (GitHub's
 * `updated_at` of a pull request synced late).
 */
export async function runIncremental(
  deps: {
    store: DualLaneStore;
    evaluator: ComplianceEvaluator;
    config: ComplianceConfig;
  },
  signal?: AbortSignal,
  now: Date = new Date(),
) {
  const { store, evaluator, config } = deps;
  const cursor = (await store.repositories.getSyncState(EVALUATED_SINCE_KEY))
    ?.cursor;
  const last = cursor
    ? new Date(cursor)
    : new Date(now.getTime() - config.windowDays * 86_400_000);
  const since = new Date(last.getTime() - config.lookbackMinutes * 60_000);
  const run = await evaluator.evaluateChanged(since, { signal });
  if (run.complete) {
    await store.repositories.setSyncState({
      key: EVALUATED_SINCE_KEY,
      cursor: now.toISOString(),
      lastSyncedAt: new Date().toISOString(),
    });
  }
  return run;
}

/** A full pass: every entity, then history older than `historyDays` pruned. */
export async function runFull(
  deps: {
    store: DualLaneStore;
    evaluator: ComplianceEvaluator;
    config: ComplianceConfig;
  },
  signal?: AbortSignal,
  now: Date = new Date(),
) {
  const { store, evaluator, config } = deps;
  const run = await evaluator.evaluateAll({ signal });
  const keepFrom = new Date(
    now.getTime() - (config.historyDays - 1) * 86_400_000,
  )
    .toISOString()
    .slice(0, 10);
  const pruned = await store.compliance.pruneKpiSnapshots(keepFrom);
  if (run.complete) {
    await store.repositories.setSyncState({
      key: EVALUATED_SINCE_KEY,
      cursor: now.toISOString(),
      lastSyncedAt: new Date().toISOString(),
    });
  }
  return { run, pruned };
}

/**
 * The compliance tasks, each global (one instance across backend
 * replicas) and honouring the scheduler's abort signal between batches:
 * incremental evaluation, the daily full pass, the group hierarchy mirror
 * and the drift check.
 */
export async function scheduleCompliance(deps: {
  scheduler: SchedulerService;
  logger: LoggerService;
  store: DualLaneStore;
  config: ComplianceConfig;
  evaluator: ComplianceEvaluator;
  groups: GroupHierarchySync;
  drift: DriftCheck;
}) {
  const { scheduler, logger, config } = deps;
  await scheduler.scheduleTask({
    id: 'dual-lane:compliance:incremental',
    scope: 'global',
    ...config.schedules.incremental,
    fn: async signal => {
      const run = await runIncremental(deps, signal);
      if (run.entities > 0) {
        logger.info(
          `Compliance: re-evaluated ${run.entities} changed entities (${run.verdicts['no-go']} no-go), ${run.flips.length} flips`,
        );
      }
    },
  });
  await scheduler.scheduleTask({
    id: 'dual-lane:compliance:full',
    scope: 'global',
    ...config.schedules.full,
    fn: async signal => {
      const started = Date.now();
      const { run, pruned } = await runFull(deps, signal);
      logger.info(
        `Compliance: evaluated ${run.entities} entities on ${
          run.repositories
        } repositories in ${Date.now() - started} ms (${run.verdicts.go} go, ${
          run.verdicts['no-go']
        } no-go, ${
          run.verdicts['no-data']
        } no data), pruned ${pruned} snapshots`,
      );
    },
  });
  await scheduler.scheduleTask({
    id: 'dual-lane:compliance:groups',
    scope: 'global',
    ...config.schedules.groups,
    fn: async () => {
      await deps.groups.sync();
    },
  });
  if (config.drift.enabled) {
    await scheduler.scheduleTask({
      id: 'dual-lane:drift-check',
      scope: 'global',
      ...config.drift.schedule,
      fn: async signal => {
        await deps.drift.checkAll({ signal });
      },
    });
  } else {
    logger.info('Drift check is disabled (dualLane.sync.drift.enabled: false)');
  }
}
