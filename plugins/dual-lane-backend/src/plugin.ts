import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import express from 'express';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { dualLanePermissions } from '@dual-lane/plugin-dual-lane-common';
import { PluginContext } from './context';
import { DualLaneStore } from './database';
import { dualLaneEntityResourceRef, dualLaneEntityRules } from './permissions';
import { createRouter } from './router';
import { CatalogEntitySync } from './services/CatalogEntitySync';
import { EntityAccess } from './services/EntityAccess';
import { GithubClientFactory } from './services/github/GithubClientFactory';
import { IngestAuthorization } from './services/gates/IngestAuthorization';
import { readIngestConfig } from './services/gates/ingestConfig';
import { scheduleCatalogSync } from './services/scheduleCatalogSync';
import { setupGates } from './services/gates/setupGates';
import { setupSupplyChain } from './services/supplyChain/setupSupplyChain';
import { setupCompliance } from './services/compliance/setupCompliance';

/**
 * The dual-lane backend plugin: syncs gate runs, signed artifacts and
 * policy versions into the database, verifies them, computes go/no-go and
 * serves it all under `/api/dual-lane`.
 *
 * @public
 */
export const dualLanePlugin = createBackendPlugin({
  pluginId: 'dual-lane',
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
        notifications: notificationService,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init({
        logger,
        config,
        database,
        scheduler,
        lifecycle,
        auth,
        httpAuth,
        httpRouter,
        permissions,
        permissionsRegistry,
        catalog,
        events,
        notifications,
        actionsRegistry,
      }) {
        const store = await DualLaneStore.create({ database, logger });
        const integrations = ScmIntegrations.fromConfig(config);

        const catalogSync = new CatalogEntitySync({
          catalog,
          auth,
          store,
          integrations,
          logger,
        });
        const entityAccess = new EntityAccess({
          catalog,
          permissions,
          store,
          catalogSync,
        });

        permissionsRegistry.addResourceType({
          resourceRef: dualLaneEntityResourceRef,
          permissions: dualLanePermissions.filter(p => p.type === 'resource'),
          rules: dualLaneEntityRules,
          getResources: refs => store.repositories.getEntitiesByRefs(refs),
        });
        permissionsRegistry.addPermissions(dualLanePermissions);

        await scheduleCatalogSync({ config, scheduler, catalogSync, logger });

        const ingestAuthorization = new IngestAuthorization({
          config: readIngestConfig(config),
          permissions,
          store,
          defaultHost: 'github.com',
          production: process.env.NODE_ENV === 'production',
        });
        const ingestNote = ingestAuthorization.startupNote();
        logger[ingestNote.level](ingestNote.message);

        const context: PluginContext = {
          logger,
          config,
          scheduler,
          lifecycle,
          auth,
          httpAuth,
          permissions,
          permissionsRegistry,
          catalog,
          events,
          notifications,
          actionsRegistry,
          store,
          catalogSync,
          entityAccess,
          github: GithubClientFactory.fromConfig(config, { logger }),
          ingestAuthorization,
        };

        // Each area below wires its services and adds its routes.
        const routes: express.Router[] = [];

        // -- gates: GitHub sync of pull requests, gate runs, lanes, verdicts, labels
        const gates = await setupGates(context);
        routes.push(gates.router);

        // -- supply chain: artifacts, provenance, SBOMs, policy versions
        routes.push(await setupSupplyChain(context));

        // -- compliance: KPIs, drift, go/no-go, waivers
        routes.push(
          await setupCompliance(context, {
            rederivePullRequests: (repository, numbers) =>
              gates.deps.derived.update(repository, numbers),
          }),
        );

        httpRouter.use(await createRouter({ context, routes }));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
