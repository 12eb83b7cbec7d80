import express from 'express';
import { Repository } from '@dual-lane/plugin-dual-lane-common';
import { readRequiredChecks } from '@dual-lane/plugin-dual-lane-node';
import { PluginContext } from '../../context';
import { ComplianceListQueries } from '../../database/ComplianceListQueries';
import { ComplianceQueries } from '../../database/ComplianceQueries';
import { complianceRoutes } from '../../routes/complianceRoutes';
import {
  createGetEntityComplianceAction,
  createListFailingGatesAction,
  createRecordPlanVerdictAction,
} from './actions';
import { readComplianceConfig } from './complianceConfig';
import { ComplianceEvaluator } from './ComplianceEvaluator';
import { ComplianceNotifier } from './ComplianceNotifier';
import { ComplianceReader } from './ComplianceReader';
import { DriftCheck } from './DriftCheck';
import { GroupHierarchySync } from './GroupHierarchySync';
import { OrgWaivers } from './OrgWaivers';
import { scheduleCompliance } from './scheduleCompliance';
import { subscribeToChanges } from './subscribeToChanges';
import { WaiverService } from './WaiverService';

/**
 * Wires the compliance area: config, evaluation (incremental, daily full,
 * on demand), the drift check, the group hierarchy mirror, notifications,
 * the actions agents call, and the routes. A bad config value fails the
 * plugin's start with its key in the message.
 */
export async function setupCompliance(
  context: PluginContext,
  options: {
    /** The gates area's re-derivation of lane labels and rework rounds. */
    rederivePullRequests?: (
      repository: Repository,
      numbers: number[],
    ) => Promise<unknown>;
  } = {},
): Promise<express.Router> {
  const { store } = context;
  const config = readComplianceConfig(context.config);
  const logger = context.logger.child({ area: 'compliance' });
  const queries = new ComplianceQueries(store.knex);
  const evaluator = new ComplianceEvaluator({
    store,
    queries,
    config,
    logger,
    notifier: new ComplianceNotifier({
      notifications: context.notifications,
      logger,
      ...config.notifications,
    }),
  });
  const reader = new ComplianceReader({
    store,
    listQueries: new ComplianceListQueries(store.knex),
    evaluator,
    config,
  });

  // Facts written by this plugin are announced by the store; modules and
  // other plugins publish DUAL_LANE_REPOSITORIES_CHANGED_TOPIC instead.
  store.changes.subscribe(ids => store.compliance.markPending(ids).then(() => {}));
  await subscribeToChanges({ events: context.events, store, logger });
  await scheduleCompliance({
    scheduler: context.scheduler,
    logger,
    store,
    config,
    evaluator,
    groups: new GroupHierarchySync({
      catalog: context.catalog,
      auth: context.auth,
      store,
      logger,
    }),
    drift: new DriftCheck({
      store,
      queries,
      github: context.github,
      logger,
      ...config.drift,
    }),
  });

  const actionDeps = {
    actionsRegistry: context.actionsRegistry,
    entityAccess: context.entityAccess,
  };
  createGetEntityComplianceAction({ ...actionDeps, reader });
  createListFailingGatesAction({
    ...actionDeps,
    store,
    gates: readRequiredChecks(context.config),
  });
  createRecordPlanVerdictAction({
    ...actionDeps,
    store,
    evaluator,
    rederivePullRequests: options.rederivePullRequests,
  });

  return complianceRoutes({
    httpAuth: context.httpAuth,
    permissions: context.permissions,
    permissionsRegistry: context.permissionsRegistry,
    entityAccess: context.entityAccess,
    reader,
    evaluator,
    waivers: new WaiverService({
      store,
      evaluator,
      maxDays: config.waiverMaxDays,
      orgWaivers: new OrgWaivers(store.knex),
    }),
  });
}
