import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createDualLaneConfigReadAction } from './actions/createDualLaneConfigReadAction';
import { createDualLaneRepoAction } from './actions/createDualLaneRepoAction';
import {
  TEMPLATE_GATES_DEPRECATION,
  TEMPLATE_GATES_KEY,
} from './services/config/templateGates';

/** Registers `dual-lane:repo:create` and `dual-lane:config:read`. */
export const scaffolderModuleDualLane = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'dual-lane',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scaffolder: scaffolderActionsExtensionPoint,
      },
      async init({ config, logger, scaffolder }) {
        if (config.has(TEMPLATE_GATES_KEY)) {
          logger.warn(TEMPLATE_GATES_DEPRECATION);
        }
        const integrations = ScmIntegrations.fromConfig(config);
        scaffolder.addActions(
          createDualLaneConfigReadAction({ config }),
          createDualLaneRepoAction({ config, integrations }),
        );
      },
    });
  },
});
