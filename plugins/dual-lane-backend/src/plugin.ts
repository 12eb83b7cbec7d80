import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { dualLanePermissions } from '@dual-lane/plugin-dual-lane-common';
import { DualLaneStore } from './database';
import { dualLaneEntityResourceRef, dualLaneEntityRules } from './permissions';
import { createRouter } from './router';
import { CatalogEntitySync } from './services/CatalogEntitySync';
import { EntityAccess } from './services/EntityAccess';
import { scheduleCatalogSync } from './services/scheduleCatalogSync';

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
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
      },
      async init({
        logger,
        config,
        database,
        scheduler,
        auth,
        httpAuth,
        httpRouter,
        permissions,
        permissionsRegistry,
        catalog,
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
          permissions: dualLanePermissions.filter(
            p => p.type === 'resource',
          ),
          rules: dualLaneEntityRules,
          getResources: refs => store.repositories.getEntitiesByRefs(refs),
        });
        permissionsRegistry.addPermissions(dualLanePermissions);

        await scheduleCatalogSync({ config, scheduler, catalogSync, logger });

        httpRouter.use(
          await createRouter({ store, httpAuth, entityAccess, logger }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
