import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createDualLaneConfigReadAction } from './actions/createDualLaneConfigReadAction';
import { createDualLaneRepoAction } from './actions/createDualLaneRepoAction';

/** Registers `dual-lane:repo:create` and `dual-lane:config:read`. */
export const scaffolderModuleDualLane = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'dual-lane',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        scaffolder: scaffolderActionsExtensionPoint,
      },
      async init({ config, scaffolder }) {
        const integrations = ScmIntegrations.fromConfig(config);
        scaffolder.addActions(
          createDualLaneConfigReadAction({ config }),
          createDualLaneRepoAction({ config, integrations }),
        );
      },
    });
  },
});
