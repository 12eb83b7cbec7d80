import express from 'express';
import Router from 'express-promise-router';
import { PluginContext } from '../../context';
import { gatesRoutes } from '../../routes/gatesRoutes';
import { ingestGateRunsRoutes } from '../../routes/ingestGateRunsRoutes';
import { ingestNegativeTestsRoutes } from '../../routes/ingestNegativeTestsRoutes';
import { GateRunIngest } from './GateRunIngest';
import { GatesReader } from './GatesReader';
import { NegativeTestIngest } from './NegativeTestIngest';
import { readGatesConfig, readGithubSyncConfig } from './gatesConfig';
import { GithubGateSync } from './GithubGateSync';
import { GithubWebhookHandler } from './GithubWebhookHandler';
import { subscribeToGithubWebhooks } from './githubWebhooks';
import { PullRequestRefresher } from './PullRequestRefresher';
import { RefreshQueue } from './RefreshQueue';
import { scheduleGithubSync } from './scheduleGithubSync';
import { createGateSyncDeps, GateSyncDeps } from './syncDeps';
import {
  pruneUncountedVerdicts,
  warnAboutVerdictSettings,
} from './verdictTrust';

export interface GatesArea {
  router: express.Router;
  deps: GateSyncDeps;
  gateSync: GithubGateSync;
  webhooks: GithubWebhookHandler;
}

/**
 * Wires the gates area: config, the scheduled GitHub sync, the webhook
 * subscription, and the read and ingest routes. Config errors (e.g. a bad
 * gate list) fail the plugin's start with the key in the message.
 */
export async function setupGates(context: PluginContext): Promise<GatesArea> {
  const { config, logger } = context;
  const gatesConfig = readGatesConfig(config);
  const sync = readGithubSyncConfig(config);
  const deps = createGateSyncDeps({
    store: context.store,
    github: context.github,
    config: gatesConfig,
    sync,
    logger: logger.child({ area: 'gates' }),
  });
  warnAboutVerdictSettings(gatesConfig.verdicts, deps.logger);
  // Verdicts stored under other settings (or before the pull request's
  // author was excluded) stop counting now, not when their pull request
  // next changes. A failure is logged: the sync filters new ones anyway.
  try {
    const pruned = await pruneUncountedVerdicts(deps);
    if (pruned > 0) {
      deps.logger.info(
        `Removed verdicts the dualLane.verdicts settings do not count from ${pruned} pull requests`,
      );
    }
  } catch (error) {
    deps.logger.error(
      `Could not remove verdicts the dualLane.verdicts settings do not count: ${error}`,
    );
  }
  const gateSync = new GithubGateSync(deps);
  const refresher = new PullRequestRefresher(deps);
  const refreshQueue = new RefreshQueue(deps.logger);
  const webhooks = new GithubWebhookHandler(deps, refresher, refreshQueue);
  // Queued refreshes are dropped on shutdown (the scheduled sync repairs
  // them); running ones finish.
  context.lifecycle.addShutdownHook(async () => {
    refreshQueue.stop();
    await refreshQueue.onIdle();
  });

  if (sync.enabled) {
    await scheduleGithubSync({ scheduler: context.scheduler, sync, gateSync });
  } else {
    deps.logger.info(
      'GitHub gate sync is disabled (dualLane.sync.github.enabled: false)',
    );
  }
  await subscribeToGithubWebhooks({
    events: context.events,
    config,
    sync,
    handler: webhooks,
    logger: deps.logger,
  });

  const { ingestAuthorization } = context;
  const router = Router();
  router.use(
    gatesRoutes({
      httpAuth: context.httpAuth,
      entityAccess: context.entityAccess,
      reader: new GatesReader({
        store: context.store,
        config: gatesConfig,
        sync,
      }),
    }),
  );
  router.use(
    ingestGateRunsRoutes({
      httpAuth: context.httpAuth,
      ingestAuthorization,
      ingest: new GateRunIngest({
        store: context.store,
        config: gatesConfig,
        derived: deps.derived,
        defaultHost: 'github.com',
        authorization: ingestAuthorization,
      }),
    }),
  );
  router.use(
    ingestNegativeTestsRoutes({
      httpAuth: context.httpAuth,
      ingestAuthorization,
      ingest: new NegativeTestIngest({
        store: context.store,
        defaultHost: 'github.com',
        authorization: ingestAuthorization,
      }),
    }),
  );
  return { router, deps, gateSync, webhooks };
}
